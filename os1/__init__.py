"""OS1: a local-first personal AI companion."""

__version__ = "0.1.0"
