"""The stream processing side of dipwatch: a pure core (``streams.core``) and a thin Faust shell.

Importing this package must not import faust; the shell modules import it themselves.
"""
