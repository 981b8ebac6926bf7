"""Helpers for the files skill's tests: a picture of a tree (path -> bytes, mode, mtime) to
compare before and after, and a small messy folder."""

from __future__ import annotations

import os
from pathlib import Path

Picture = dict[bytes, tuple[bytes, int, int]]


def picture(root: Path) -> Picture:
    """Every regular file and symlink under root: its bytes, mode and mtime (in ns)."""
    out: Picture = {}
    base = os.fsencode(root)
    for folder, dirs, files in os.walk(base, followlinks=False):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            rel = os.path.relpath(path, base)
            if os.path.islink(path):
                out[rel] = (os.readlink(path), st.st_mode, 0)
            else:
                out[rel] = (Path(os.fsdecode(path)).read_bytes(), st.st_mode, st.st_mtime_ns)
    return out


def folders(root: Path) -> set[bytes]:
    base = os.fsencode(root)
    return {os.path.relpath(os.path.join(f, d), base) for f, ds, _ in os.walk(base) for d in ds}


def write(path: Path, data: bytes, mtime_ns: int = 1_700_000_000_000_000_000, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, ns=(mtime_ns, mtime_ns))
    os.chmod(path, mode)


def tidy(root: Path) -> None:
    """A plain Downloads folder: an invoice and its copy, a lease, a photo, a song, an unknown
    file (the screenshot's folder: nothing in it a page would draw oddly)."""
    write(root / "invoice_march.txt", b"INVOICE 42, total 99 EUR")
    write(root / "old" / "invoice_march (copy).txt", b"INVOICE 42, total 99 EUR", 1_700_000_100_000_000_000)
    write(root / "flat lease signed.txt", b"Tenancy agreement for the flat")
    write(root / "IMG_0001.jpg", b"\xff\xd8\xff\xe0 not really a photo", 1_735_000_000_000_000_000)
    write(root / "song.mp3", b"ID3 not really a song")
    write(root / "mystery.bin", b"\x00\x01\x02")


def messy(root: Path) -> None:
    """The plain folder, and a project, a hidden file, a symlink and a name that is not UTF-8."""
    tidy(root)
    write(root / "tool" / "pyproject.toml", b"[project]\n")
    write(root / "tool" / "invoice.txt", b"INVOICE in a project")
    write(root / ".hidden.txt", b"secret")
    write(Path(os.fsdecode(os.fsencode(root) + b"/caf\xe9 menu.txt")), b"Menu")
    os.symlink("/etc/hostname", root / "link.txt")
