"""Letters from files: plain text, Markdown, Word (.docx), OpenDocument (.odt) and PDF.

Each reader returns the letter's text; `parse_letter` then finds who it is to (the greeting,
"Dear Amy,") and when it was written (a dated line near the top, else the file's time). The
readers block (they parse whole files), so callers run them with asyncio.to_thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from os1.skills.letters.errors import LetterUnreadable
from os1.storage import documents

KINDS = documents.KINDS
GREETING = re.compile(r"^\s*(?:my\s+)?(?:dear(?:est)?|hi|hello|to)\s+([^,\n:!]{1,60})[,:!]?\s*$", re.I | re.M)
_DATES = ("%B %d, %Y", "%d %B %Y", "%Y-%m-%d", "%b %d, %Y", "%d %b %Y", "%A, %B %d, %Y", "%A %d %B %Y")


@dataclass(frozen=True)
class ParsedLetter:
    recipient: str
    written_on: date
    body: str


def read_text(path: Path) -> str:
    """The text of a letter file (os1.storage.documents reads it); LetterUnreadable says why
    one cannot be read."""
    if path.suffix.lower() not in KINDS:
        raise LetterUnreadable(f"{path.name}: OS1 reads letters from {', '.join(KINDS)} files.",
                               fix="Save it in one of those formats and import it again.")
    try:
        body = documents.read_text(path)
    except documents.DocumentUnreadable as exc:
        raise LetterUnreadable(exc.message,
                               fix="Open it in its program, save it again, and import that copy.") from exc
    body = re.sub(r"\n{3,}", "\n\n", body.replace("\r\n", "\n")).strip()
    if not body:
        raise LetterUnreadable(f"{path.name} has no text.", fix="A scanned letter needs to be typed in.")
    return body


def find_date(text: str) -> date | None:
    """A date written on a line of its own in the first lines ("March 3, 2026", "2026-03-03")."""
    for line in text.splitlines()[:6]:
        line = line.strip().rstrip(".")
        for fmt in _DATES:
            try:
                return datetime.strptime(line, fmt).date()
            except ValueError:
                continue
    return None


def find_recipient(text: str) -> str:
    """Whom the greeting addresses ("Dear Amy," → "Amy"), or '' when there is none."""
    head = "\n".join(text.splitlines()[:8])
    match = GREETING.search(head)
    return match.group(1).strip() if match else ""


def parse_letter(path: Path) -> ParsedLetter:
    """A letter file as recipient, date and body."""
    body = read_text(path)
    when = find_date(body) or datetime.fromtimestamp(path.stat().st_mtime).date()
    return ParsedLetter(find_recipient(body), when, body)


def letter_files(path: Path) -> list[Path]:
    """The letter files at `path`: the file itself, or those of a folder (not its subfolders)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in KINDS)
    if not path.exists():
        raise LetterUnreadable(f"{path} does not exist.", fix="Check the path.")
    return [path]
