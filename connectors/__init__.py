"""Connectors: sources that turn seed files or RSS/Atom items into articles on the articles topic."""
