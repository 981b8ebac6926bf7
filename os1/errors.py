"""Errors meant for people: a stable code, what happened, and what to do about it."""

from __future__ import annotations


class OS1Error(Exception):
    """Base error. `code` is stable for programs; `fix` tells the user what to do."""

    code = "os1_error"

    def __init__(self, message: str, *, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} {self.fix}".strip()


class ConfigError(OS1Error):
    code = "config_invalid"


class ModelError(OS1Error):
    code = "model_error"


class ModelMissingError(ModelError):
    code = "model_missing"


class ModelCorruptError(ModelError):
    code = "model_corrupt"


class ModelUnavailableError(ModelError):
    """The model server cannot be reached."""

    code = "model_unavailable"


class ModelProtocolError(ModelError):
    """The model server answered with something that is not a valid reply."""

    code = "model_protocol"


class ModelBusyError(ModelError):
    """Background work gave way to the conversation; it is retried later, nothing is lost."""

    code = "model_busy"


class StorageError(OS1Error):
    code = "storage_error"


class StorageFullError(StorageError):
    code = "storage_full"


class InputError(OS1Error):
    """The user's input cannot be used as it is."""

    code = "input_invalid"


class ToolError(OS1Error):
    """A tool failed; the model is told so and may try again."""

    code = "tool_failed"


class WhenError(ToolError):
    """A date or time phrase that is ambiguous, impossible or not understood (os1/language):
    its `fix` is the question that settles it ("Which day did you mean?")."""

    code = "when_unclear"


class SecretError(OS1Error):
    """A stored password cannot be read (key file missing, unsafe or not the one that wrote it)."""

    code = "mail_secret"
