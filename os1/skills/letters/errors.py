"""The letters skill's errors: what happened and what to do."""

from __future__ import annotations

from os1.errors import ToolError


class LetterError(ToolError):
    """A letters operation failed; the model is told so (ToolError) and the CLI prints the fix."""

    code = "letter_error"


class LetterNotFound(LetterError):
    code = "letter_not_found"


class LetterUnreadable(LetterError):
    """A file that cannot be read as a letter (unknown kind, damaged, or without text)."""

    code = "letter_unreadable"


class BookError(LetterError):
    """The book could not be compiled (no letters chosen, a font missing…)."""

    code = "book_error"
