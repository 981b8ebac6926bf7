"""The file operations a tidy run performs, each safe to repeat after a crash.

A move never overwrites: on one filesystem it is a hard link then an unlink of the source (the
link fails if the name is taken, so no race can clobber a file), falling back to a rename where
links are not supported; across filesystems it is a copy to a temporary name, fsync, a hash
check, a rename into place, then the source is removed. `settle` looks at a half-done move and
finishes it, so a rerun after `kill -9` completes the move without duplicating or losing a file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from dataclasses import dataclass

PART = ".os1part"  # the suffix of a copy not yet verified
CHUNK = 1 << 16


@dataclass(frozen=True)
class Stamp:
    """What a file looked like when the plan was made: a change since means it is left alone."""

    size: int
    mtime_ns: int
    qhash: str


def quick_hash(path: str, size: int | None = None) -> str:
    """blake2b of the size, the first and the last 64 KiB: cheap, and with size and mtime it
    catches any edit worth worrying about."""
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        if size is None:
            size = os.fstat(f.fileno()).st_size
        h.update(str(size).encode())
        h.update(f.read(CHUNK))
        if size > 2 * CHUNK:
            f.seek(-CHUNK, os.SEEK_END)
            h.update(f.read(CHUNK))
    return h.hexdigest()


def full_hash(path: str) -> str:
    """blake2b of the whole file: what two files must share to be exact duplicates."""
    h = hashlib.blake2b(digest_size=32)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def stamp(path: str) -> Stamp:
    st = os.lstat(path)
    return Stamp(st.st_size, st.st_mtime_ns, quick_hash(path, st.st_size))


def unchanged(path: str, was: Stamp) -> bool:
    """Whether the regular file at `path` is still the one planned (size, mtime, hash)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if not os.path.isfile(path) or os.path.islink(path):
        return False
    if st.st_size != was.size or st.st_mtime_ns != was.mtime_ns:
        return False
    return quick_hash(path, st.st_size) == was.qhash


def free_name(dst: str) -> str:
    """`dst`, or `name (2).ext`, `name (3).ext`… whichever is not taken: nothing is overwritten."""
    if not os.path.lexists(dst):
        return dst
    base, ext = os.path.splitext(dst)
    n = 2
    while os.path.lexists(f"{base} ({n}){ext}"):
        n += 1
    return f"{base} ({n}){ext}"


def missing_dirs(dst: str) -> list[str]:
    """The parent folders of `dst` that do not exist yet, outermost first."""
    out: list[str] = []
    d = os.path.dirname(dst)
    while d and not os.path.isdir(d):
        out.append(d)
        d = os.path.dirname(d)
    return out[::-1]


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _same_fs(src: str, dst: str) -> bool:
    return os.lstat(src).st_dev == os.stat(os.path.dirname(dst)).st_dev


def move(src: str, dst: str) -> None:
    """Move one file to a free name `dst` (its folders exist); raises FileExistsError on a clash."""
    if _same_fs(src, dst):
        try:
            os.link(src, dst, follow_symlinks=False)
        except OSError as exc:
            if exc.errno == errno.EEXIST:
                raise
            if os.path.lexists(dst):
                raise FileExistsError(dst) from exc
            os.rename(src, dst)  # no hard links here (FAT, some network drives)
        else:
            os.unlink(src)
        _fsync_dir(os.path.dirname(dst))
        return
    _copy_across(src, dst)


def _copy_across(src: str, dst: str) -> None:
    part = dst + PART
    shutil.copyfile(src, part, follow_symlinks=False)
    shutil.copystat(src, part, follow_symlinks=False)
    with open(part, "rb+") as f:
        os.fsync(f.fileno())
    if full_hash(part) != full_hash(src):
        os.unlink(part)
        raise OSError(errno.EIO, f"the copy of {src!r} did not match it")
    if os.path.lexists(dst):
        os.unlink(part)
        raise FileExistsError(dst)
    os.rename(part, dst)
    shutil.copystat(src, dst, follow_symlinks=False)  # the rename kept it; belt and braces
    _fsync_dir(os.path.dirname(dst))
    os.unlink(src)
    _fsync_dir(os.path.dirname(src))


def settle(src: str, dst: str) -> str:
    """Finish or roll back a move that was under way when the process died.

    Returns "done" (the file is at `dst` only), "todo" (it is at `src` only; nothing half-made
    is left) or "missing" (at neither: someone else moved it)."""
    part = dst + PART
    if os.path.lexists(part):
        os.unlink(part)  # an unverified copy: the source is still whole
    at_src, at_dst = os.path.lexists(src), os.path.lexists(dst)
    if at_src and at_dst:
        same = os.path.samestat(os.lstat(src), os.lstat(dst))
        if same or full_hash(src) == full_hash(dst):
            os.unlink(src)  # the link (or the verified copy) was made; the source goes
            return "done"
        return "todo"  # dst is someone else's file: the move had not happened
    if at_dst:
        return "done"
    return "todo" if at_src else "missing"
