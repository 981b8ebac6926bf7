"""Transports bring audio in (an async iterator of frames) and take speech out (an AudioSink)."""
