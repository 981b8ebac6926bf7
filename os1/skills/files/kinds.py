"""What a file is: its kind from the extension, or from its first bytes when the name says
nothing (the `filetype` library), and the few facts a plan needs from inside it: a photo's EXIF
date, camera and place (Pillow, places.py), a video's date and place (places.py), a song's artist and
album (mutagen), the first words of a PDF, Word, OpenDocument or text file (LaTeX,
reStructuredText, Org… too: os1.storage.documents). Everything here reads at most a little of each file and never raises."""

from __future__ import annotations

import logging
import os
from typing import Any

from os1.skills.files.places import gps_of, place_name, video_facts
from os1.storage import documents

log = logging.getLogger(__name__)

KINDS: dict[str, tuple[str, ...]] = {
    "image": ("jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "tif", "tiff", "bmp", "cr2",
              "nef", "arw", "dng", "raw", "svg"),
    "audio": ("mp3", "flac", "ogg", "oga", "opus", "m4a", "aac", "wav", "wma", "aiff"),
    "video": ("mp4", "mkv", "mov", "avi", "webm", "m4v", "wmv", "mpg", "mpeg", "3gp"),
    "document": ("pdf", "doc", "docx", "odt", "rtf", "txt", "md", "pages", "tex", "rst", "org", "adoc",
                 "text", "markdown"),
    "spreadsheet": ("xls", "xlsx", "ods", "csv", "numbers", "tsv"),
    "presentation": ("ppt", "pptx", "odp", "key"),
    "archive": ("zip", "tar", "gz", "tgz", "bz2", "xz", "7z", "rar", "zst"),
    "installer": ("deb", "rpm", "exe", "msi", "dmg", "pkg", "appimage", "apk", "flatpakref"),
    "ebook": ("epub", "mobi", "azw3", "djvu", "fb2"),
    "font": ("ttf", "otf", "woff", "woff2"),
}
BY_EXT = {ext: kind for kind, exts in KINDS.items() for ext in exts}
_SNIFFED = {"image": "image", "audio": "audio", "video": "video", "archive": "archive",
            "font": "font", "document": "document", "application": "archive"}


def extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def kind_of(path: str, name: str) -> str:
    """The kind by extension; a file whose name says nothing is sniffed by its content."""
    kind = BY_EXT.get(extension(name))
    if kind:
        return kind
    try:
        import filetype

        found = filetype.guess(path)
    except (OSError, ValueError):
        return "other"
    if found is None:
        return "other"
    if found.extension == "pdf":
        return "document"
    return BY_EXT.get(found.extension, _SNIFFED.get(found.mime.split("/")[0], "other"))


def image_facts(path: str) -> dict[str, str]:
    """EXIF DateTimeOriginal (as YYYY-MM-DD), camera model and the place (named from the GPS
    position, offline: places.py), when the photo has them."""
    try:
        from PIL import Image

        with Image.open(path) as im:
            exif = im.getexif()
            sub = exif.get_ifd(0x8769)
            when = str(sub.get(36867) or exif.get(306) or "")
            camera = str(exif.get(272) or "").strip("\x00 ")
            position = gps_of(exif.get_ifd(0x8825))
    except Exception as exc:  # noqa: BLE001 - a damaged photo is only a photo without facts
        log.debug("no EXIF in %r: %s", path, exc)
        return {}
    out: dict[str, str] = {}
    if len(when) >= 10 and when[:4].isdigit():
        out["date"] = when[:10].replace(":", "-")
    if camera:
        out["camera"] = camera
    if position is not None and (name := place_name(*position)):
        out["place"] = name
    return out


def audio_facts(path: str) -> dict[str, str]:
    """Artist, album and title from the tags (mutagen's easy interface: one shape for all)."""
    try:
        import mutagen

        f: Any = mutagen.File(path, easy=True)
    except Exception as exc:  # noqa: BLE001
        log.debug("no tags in %r: %s", path, exc)
        return {}
    if not f or not f.tags:
        return {}
    out: dict[str, str] = {}
    for key in ("artist", "album", "title"):
        value = f.tags.get(key)
        if value:
            out[key] = str(value[0]).strip()
    return out


def document_text(path: str, limit: int = 2000) -> str:
    """The first words of a document: enough to tell an invoice from a lease."""
    try:
        return documents.read_text(path, limit)
    except documents.DocumentUnreadable as exc:  # an unreadable document is placed by its name
        log.debug("no text from %r: %s", path, exc)
        return ""


def facts(path: str, name: str, kind: str) -> dict[str, str]:
    """What the plan may use from inside the file, by kind."""
    if kind == "image":
        return image_facts(path)
    if kind == "audio":
        return audio_facts(path)
    if kind == "video":
        return video_facts(path)
    if kind == "document":
        text = document_text(path)
        return {"text": text} if text else {}
    return {}
