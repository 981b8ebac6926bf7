"""Tidying folders: a plan in plain words, applied with a journal, undone byte for byte."""
