"""Where a file belongs, by rules a person can read: a photo goes to Photos/<year>, an invoice
to Documents/Finance/Invoices, a song to Music/<artist>/<album>, a photo with a position to
Photos/<year>/<place> (a video
with one to Videos/<year>/<place>). A file no rule is sure of is
held back (the model may suggest a place; see suggest.py). A file already inside the top folder
its rule names is where the user wants it and stays."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from os1.skills.files.kinds import extension
from os1.skills.files.scan import Entry


@dataclass(frozen=True)
class Placement:
    group: str  # the words the plan and "put the invoices back" use: "photos", "invoices"
    folder: str  # relative to the target folder, "/"-separated
    reason: str


# (group, folder, words in the name or the first words of the text)
DOCUMENT_TOPICS: tuple[tuple[str, str, str], ...] = (
    ("invoices", "Documents/Finance/Invoices", r"invoice|rechnung|facture|factura|fattura|\bbill\b"),
    ("receipts", "Documents/Finance/Receipts", r"receipt|quittung|reçu|\bticket\b"),
    ("bank statements", "Documents/Finance/Statements", r"statement|kontoauszug|\bbank\b"),
    ("payslips", "Documents/Finance/Payslips", r"payslip|pay.?stub|salary|gehalt"),
    ("tax papers", "Documents/Finance/Taxes", r"\btax|steuer|impots|\bw-?2\b|1040"),
    ("contracts", "Documents/Contracts", r"lease|tenancy|rental|contract|agreement|vertrag|mietvertrag"),
    ("CVs", "Documents/Work/CV", r"\bcv\b|resume|résumé|lebenslauf|curriculum"),
    ("insurance papers", "Documents/Insurance", r"insurance|policy|versicherung"),
    ("medical papers", "Documents/Health", r"medical|doctor|prescription|vaccin|health|arzt"),
    ("travel papers", "Documents/Travel", r"boarding|itinerary|booking|flight|e-?ticket|hotel"),
)
BY_KIND = {
    "spreadsheet": ("spreadsheets", "Documents/Spreadsheets"),
    "presentation": ("presentations", "Documents/Presentations"),
    "archive": ("archives", "Archives"),
    "installer": ("installers", "Software/Installers"),
    "ebook": ("books", "Books"),
    "font": ("fonts", "Fonts"),
}
# One pattern for all topics, tried once per document: the first group that matched names it.
# Matched on lowercased words (twice as fast as re.I over a document's first lines).
_TOPICS = re.compile("|".join(f"(?P<t{i}>{words})" for i, (_, _, words) in enumerate(DOCUMENT_TOPICS)))
SCREENSHOT = re.compile(r"screen ?shot|bildschirmfoto|capture d.écran|^scr?_?\d", re.I)
PHOTO_EXTS = {"jpg", "jpeg", "heic", "heif", "cr2", "nef", "arw", "dng", "raw"}
_UNSAFE = re.compile(r"[/\\\x00]|^\.+$")


def _year(entry: Entry, date: str | None) -> str:
    if date and date[:4].isdigit():
        return date[:4]
    return str(datetime.fromtimestamp(entry.mtime_ns / 1e9, UTC).year)


def clean(part: str) -> str:
    """A folder name from a tag or the model: no separators, no dot-only names, not too long."""
    part = _UNSAFE.sub("_", part.strip())[:60].strip()
    return part or "Unknown"


def place(entry: Entry) -> Placement | None:
    """The rule's place for `entry`, or None when no rule is sure."""
    kind, f, name = entry.kind, entry.facts, entry.name
    if kind == "image":
        if SCREENSHOT.search(name):
            return Placement("screenshots", "Pictures/Screenshots", "a screenshot")
        if "date" in f or "camera" in f or extension(name) in PHOTO_EXTS:
            where = f"/{clean(f['place'])}" if f.get("place") else ""
            return Placement("photos", f"Photos/{_year(entry, f.get('date'))}{where}",
                             f"a photo{' from ' + f['camera'] if 'camera' in f else ''}"
                             f"{' taken in ' + f['place'] if where else ''}")
        return Placement("pictures", "Pictures", "an image")
    if kind == "audio":
        if "artist" in f:
            folder = f"Music/{clean(f['artist'])}" + (f"/{clean(f['album'])}" if "album" in f else "")
            return Placement("songs", folder, "a song, by its tags")
        return Placement("songs", "Music", "a sound file")
    if kind == "video":
        where = f"/{clean(f['place'])}" if f.get("place") else ""
        return Placement("videos", f"Videos/{_year(entry, f.get('date'))}{where}",
                         f"a video{' taken in ' + f['place'] if where else ''}")
    if kind == "document":
        found = _TOPICS.search(os.path.splitext(name)[0].lower())  # the name first: it is short
        if not found and f.get("text"):
            found = _TOPICS.search(f["text"][:400].lower())
        if found and found.lastgroup:
            group, folder, _ = DOCUMENT_TOPICS[int(found.lastgroup[1:])]
            return Placement(group, folder, f"a document that says {found.group(0)!r}")
        return Placement("documents", "Documents", "a document")
    if kind in BY_KIND:
        group, folder = BY_KIND[kind]
        return Placement(group, folder, kind)
    return None


def top(folder: str) -> str:
    return folder.split("/", 1)[0]


def already_placed(rel: str, placement: Placement) -> bool:
    """Whether the file already sits under the top folder its rule names (the user's own order)."""
    parts = rel.replace(os.sep, "/").split("/")
    return len(parts) > 1 and parts[0].lower() == top(placement.folder).lower()
