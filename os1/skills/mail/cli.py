"""`os1 mail ...`: add an account, read, search, sort (with progress), undo, send, rules, contacts."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from os1.config import Settings
from os1.core.commands import with_store
from os1.errors import InputError
from os1.models.base import LLM
from os1.skills.mail import outgoing, reader
from os1.skills.mail.accounts import AccountInput, add_account
from os1.skills.mail.quoting import header_line, mail_signs, quote, user_warning
from os1.skills.mail.repository import CATEGORIES
from os1.skills.mail.service import MailService
from os1.skills.mail.store import mail_repository
from os1.skills.mail.triage import correct as correct_move
from os1.skills.mail.triage import triage
from os1.skills.mail.triage import undo as undo_moves
from os1.storage.base import Store

app = typer.Typer(help="Your mail over IMAP/SMTP: read, sort (undoable), send.", no_args_is_help=True)
console = Console(highlight=False)
T = TypeVar("T")


def _with_store(ctx: typer.Context, fn: Callable[[Settings, Store], Awaitable[T]]) -> T:
    """Run `fn(settings, store)` on the user's database (opened with every skill's tables)."""
    return with_store(ctx, fn, console)


def _with_svc(ctx: typer.Context, account: str | None, fn: Callable[[MailService], Awaitable[T]]) -> T:
    async def go(s: Settings, store: Store) -> T:
        return await fn(await MailService.open(s, store, s.user, account))

    return _with_store(ctx, go)


def _read_password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if os.environ.get("OS1_MAIL_PASSWORD"):
        return os.environ["OS1_MAIL_PASSWORD"]
    return str(typer.prompt("Password (or app token)", hide_input=True))


AccountOpt = typer.Option(None, "--account", help="Account name (default: the first one).")


@app.command()
def add(
    ctx: typer.Context,
    address: str = typer.Argument(..., help="Your email address."),
    imap_host: str = typer.Option(..., help="IMAP server host."),
    smtp_host: str = typer.Option(..., help="SMTP server host."),
    imap_port: int = typer.Option(993), imap_tls: str = typer.Option("ssl", help="ssl, starttls or none."),
    smtp_port: int = typer.Option(587), smtp_tls: str = typer.Option("starttls", help="ssl, starttls or none."),
    username: str | None = typer.Option(None, help="Login name (default: the address)."),
    name: str = typer.Option("default", help="A name for this account."),
    display_name: str = typer.Option("", help="Your name as recipients see it."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    replace: bool = typer.Option(False, help="Replace an account of the same name."),
) -> None:
    """Add a mail account; both logins are checked before anything is saved."""
    pw = _read_password(password_stdin)
    data = AccountInput(name, address, imap_host, smtp_host, username or address, pw, imap_port,
                        imap_tls, smtp_port, smtp_tls, display_name)

    async def go(s: Settings, store: Store) -> None:
        account = await add_account(s, mail_repository(store), s.user, data, replace=replace)
        console.print(f"Added mail account '{escape(account.name)}' ({escape(account.address)}): "
                      "IMAP and SMTP logins work. The password is stored encrypted.")

    _with_store(ctx, go)


@app.command("list")
def list_accounts(ctx: typer.Context) -> None:
    """List mail accounts (never their passwords)."""
    async def go(s: Settings, store: Store) -> None:
        table = Table("name", "address", "IMAP", "SMTP")
        for a in await mail_repository(store).accounts(s.user):
            table.add_row(a.name, a.address, f"{a.imap_host}:{a.imap_port} ({a.imap_tls})",
                          f"{a.smtp_host}:{a.smtp_port} ({a.smtp_tls})")
        console.print(table)

    _with_store(ctx, go)


@app.command()
def new(ctx: typer.Context, account: str | None = AccountOpt) -> None:
    """Show mail that arrived since the last check."""
    listed = _with_svc(ctx, account, lambda svc: reader.whats_new(svc))
    for x in listed:
        console.print(escape(header_line(x.local_id, x.mail)) + (f"  [{x.category}]" if x.category else ""))
    if not listed:
        console.print("No new mail.")


@app.command()
def read(ctx: typer.Context, message: int, account: str | None = AccountOpt) -> None:
    """Show one message (by its number) as text."""
    mail, _ = _with_svc(ctx, account, lambda svc: reader.read(svc, message))
    if mail_signs(mail):
        console.print(f"[yellow]{escape(user_warning([(message, mail)]))}[/]")
    console.print(escape(quote(message, mail, limit=100_000)))


@app.command()
def search(ctx: typer.Context, query: str, account: str | None = AccountOpt) -> None:
    """Search mail: words, from:NAME, subject:WORD."""
    for x in _with_svc(ctx, account, lambda svc: reader.search(svc, query, limit=50)):
        console.print(escape(header_line(x.local_id, x.mail, folder=x.folder)))


@app.command("triage")
def triage_cmd(
    ctx: typer.Context,
    limit: int | None = typer.Option(None, help="Sort at most this many messages."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only (fast, no model)."),
    account: str | None = AccountOpt,
) -> None:
    """Sort the inbox into folders. Resumable and idempotent; 'os1 mail undo' moves back."""
    def progress(done: int, total: int) -> None:
        console.print(f"  {done}/{total} examined")

    async def go(svc: MailService):  # type: ignore[no-untyped-def]
        llm = None
        if not no_model:
            from os1.models.factory import create_llm

            llm = create_llm(svc.settings)
        try:
            return await triage(svc, llm, limit=limit, progress=progress)
        finally:
            if llm is not None:
                await llm.aclose()

    report = _with_svc(ctx, account, go)
    moved = ", ".join(f"{n} to {c}" for c, n in sorted(report.moved.items())) or "nothing"
    console.print(f"Examined {report.examined}, moved {moved}"
                  f" ({report.skipped} already sorted before, {report.resumed} resumed). Run {report.batch}.")


@app.command()
def undo(ctx: typer.Context, run: str | None = typer.Option(None, help="Run id (default: the last)."),
         account: str | None = AccountOpt) -> None:
    """Move back every message the last triage run moved."""
    batch, n = _with_svc(ctx, account, lambda svc: undo_moves(svc, run))
    console.print(f"Moved {n} message(s) back (run {batch})." if batch else "Nothing to undo.")


@app.command()
def send(
    ctx: typer.Context,
    to: str = typer.Option(..., help="Recipients, comma-separated."),
    subject: str = typer.Option(...),
    body: str | None = typer.Option(None, help="Text; without it, read from stdin."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
    account: str | None = AccountOpt,
) -> None:
    """Send an email (shows the exact recipients and text, then asks)."""
    text = body if body is not None else sys.stdin.read()
    if not text.strip():
        raise InputError("The message text is empty.")
    console.print(f"To: {escape(to)}\nSubject: {escape(subject)}\n{'-' * 40}\n{escape(text)}\n{'-' * 40}")
    if not yes and not typer.confirm("Send it?", default=False):
        console.print("Not sent.")
        raise typer.Exit(1)
    msg = _with_svc(ctx, account, lambda svc: outgoing.send(svc, to, subject, text))
    console.print(f"Sent to {escape(str(msg['To']))}.")


@app.command()
def correct(
    ctx: typer.Context,
    message: int = typer.Argument(..., help="Message number."),
    category: str = typer.Argument(..., help=f"One of: {', '.join(CATEGORIES)}."),
    learn: bool = typer.Option(True, help="Also file this sender's mail there from now on."),
    account: str | None = AccountOpt,
) -> None:
    """Move a message to the right folder; triage learns the sender (undo: 'os1 mail undo')."""
    if category not in CATEGORIES:
        raise InputError(f"Unknown category '{category}'.", fix=f"Use one of: {', '.join(CATEGORIES)}.")
    dst = _with_svc(ctx, account, lambda svc: correct_move(svc, message, category, learn=learn))
    console.print(f"Message #{message} is in {escape(dst)}." + (" Learned the sender." if learn else ""))


def _with_llm(settings: Settings, fn: Callable[[LLM], Awaitable[T]]) -> Coroutine[Any, Any, T]:
    from os1.models.factory import create_llm

    async def go() -> T:
        llm = create_llm(settings)
        try:
            return await fn(llm)
        finally:
            await llm.aclose()

    return go()


@app.command()
def draft(ctx: typer.Context, message: int, wish: str = typer.Option("", "--say", help="What to answer."),
          account: str | None = AccountOpt) -> None:
    """Draft a reply in your own voice (learned from your Sent mail). Sends nothing."""
    from os1.skills.mail.drafting import draft_reply

    text = _with_svc(ctx, account, lambda svc: _with_llm(svc.settings, lambda llm: draft_reply(svc, llm, message, wish)))
    console.print(escape(text))


@app.command()
def proofread(ctx: typer.Context,
              file: Path = typer.Option(None, "--file", help="the email's text; standard input if not given"),
              fixed: bool = typer.Option(False, "--fixed", help="print the text with every suggested change made")) -> None:
    """Proofread an email: each suggested change as before and after (the letters' proofreader)."""
    from os1.core.people import known_people
    from os1.language.proofreading import apply, diff, name_words, proofread_text, shows_replacement

    text = file.read_text() if file is not None else sys.stdin.read()
    if not text.strip():
        raise InputError("There is no text to proofread.", fix="Pipe it in, or give --file.")

    async def go(s: Settings, store: Store) -> list[Any]:
        names = [name for _, name in await known_people(store, s.user)]  # correspondents' names are spelled right
        return await asyncio.to_thread(proofread_text, text, own_words=name_words(*names))

    changes = _with_store(ctx, go)
    if fixed:
        console.print(escape(apply(text, changes)), end="")
        return
    for n, change in enumerate(changes, 1):
        before, after = diff(text, change)
        console.print(f"({n}/{len(changes)}) {change.kind}: {escape(change.reason)}")
        console.print(f"[red]- {escape(before)}[/]")
        if shows_replacement(change):
            console.print(f"[green]+ {escape(after)}[/]")
    if not changes:
        console.print("No changes to suggest.")


@app.command()
def rule(
    ctx: typer.Context,
    category: str = typer.Argument(..., help=f"One of: {', '.join(CATEGORIES)}."),
    sender: str | None = typer.Option(None, "--from", help="Address or @domain."),
    subject: str | None = typer.Option(None, help="Words in the subject."),
) -> None:
    """Add a sorting rule; rules win over the model."""
    if category not in CATEGORIES or not (sender or subject):
        raise InputError("Give a category and --from or --subject.", fix=f"Categories: {', '.join(CATEGORIES)}.")

    async def go(s: Settings, store: Store) -> None:
        field, pattern = ("from", sender) if sender else ("subject", subject)
        await mail_repository(store).add_rule(s.user, field, pattern or "", category)
        console.print(f"Mail {field} '{escape(pattern or '')}' now goes to {category}.")

    _with_store(ctx, go)


@app.command()
def contacts(ctx: typer.Context, query: str = typer.Argument("", help="Part of a name or address.")) -> None:
    """People learned from your mail: how often you wrote and were written to."""
    async def go(s: Settings, store: Store) -> None:
        table = Table("address", "name", "from them", "to them", "last seen", "notes")
        for c in await mail_repository(store).contacts(s.user, query):
            table.add_row(c.address, escape(c.name), str(c.received), str(c.sent),
                          c.last_seen[:10], escape(c.notes))
        console.print(table)

    _with_store(ctx, go)
