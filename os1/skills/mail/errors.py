"""Mail errors: each says what happened and what to do, and never contains a password."""

from __future__ import annotations

from os1.errors import ToolError


class MailError(ToolError):
    """A mail operation failed; the model is told so (ToolError) and the CLI prints the fix."""

    code = "mail_error"


class MailAuthError(MailError):
    code = "mail_auth"


class MailConnectionError(MailError):
    code = "mail_unreachable"


class MailTLSError(MailError):
    code = "mail_tls"


class NoAccountError(MailError):
    code = "mail_no_account"

    def __init__(self, name: str | None = None) -> None:
        what = f"There is no mail account named '{name}'." if name else "No mail account is set up."
        super().__init__(what, fix="Add one with 'os1 mail add'.")


