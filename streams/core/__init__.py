"""The pure core: plain Python over frozen dataclasses, no faust, aiokafka or prometheus_client."""
