"""Walking the folders the user named: what is there, what is left alone and why.

The walk follows no symlinks, never enters a project (a folder with .git, pyproject.toml,
package.json…: its layout is its own) nor a hidden or system folder, honours `.os1ignore` files
(gitignore syntax, through `pathspec`) and reports folders it may not read instead of stopping.
Names are kept as the OS gives them (str with surrogate escapes), so a name in any encoding
survives the round trip. It is plain blocking code: callers run it in a thread, and it reports
progress and stops when `cancel` is set.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pathspec

from os1.skills.files.fsops import PART, quick_hash
from os1.skills.files.kinds import facts, kind_of

PROJECT_MARKERS = frozenset({
    ".git", ".hg", ".svn", "pyproject.toml", "setup.py", "package.json", "Cargo.toml", "go.mod",
    "pom.xml", "build.gradle", "Makefile", "CMakeLists.txt", "Gemfile", "composer.json",
    "mix.exs", "Package.swift", ".project", "node_modules",
})
SYSTEM_NAMES = frozenset({
    "Thumbs.db", "desktop.ini", "$RECYCLE.BIN", "System Volume Information", "lost+found",
    "__MACOSX", "Icon\r", "__pycache__",
})
IGNORE_FILE = ".os1ignore"
Progress = Callable[[int, str], None]
Spec = pathspec.PathSpec[Any]


class Cancelled(Exception):
    """The user stopped the scan."""


@dataclass
class Entry:
    path: str  # absolute, as the OS spells it
    root: str  # the named folder it was found under
    size: int
    mtime_ns: int
    mode: int
    kind: str
    facts: dict[str, str] = field(default_factory=dict)
    _rel: str = field(default="", repr=False)
    _qhash: str = field(default="", repr=False)

    @property
    def rel(self) -> str:
        if not self._rel:
            self._rel = os.path.relpath(self.path, self.root)
        return self._rel

    def quick_hash(self) -> str:
        """fsops.quick_hash of the file, read once (duplicates and the plan's stamp share it)."""
        if not self._qhash:
            self._qhash = quick_hash(self.path, self.size)
        return self._qhash

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


@dataclass
class Scan:
    roots: list[str]
    entries: list[Entry] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)  # folders left whole
    links: list[str] = field(default_factory=list)  # symlinks, never followed nor moved
    ignored: int = 0  # hidden, system or .os1ignore'd
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, why) skipped


def is_project(names: set[str]) -> bool:
    return not PROJECT_MARKERS.isdisjoint(names) or any(n.endswith((".sln", ".xcodeproj")) for n in names)


def _spec(folder: str) -> Spec | None:
    try:
        with open(os.path.join(folder, IGNORE_FILE), encoding="utf-8", errors="surrogateescape") as f:
            return pathspec.GitIgnoreSpec.from_lines(f)
    except OSError:
        return None


def _ignored(path: str, is_dir: bool, specs: list[tuple[str, Spec]]) -> bool:
    for base, spec in specs:
        rel = os.path.relpath(path, base) + ("/" if is_dir else "")
        if spec.match_file(rel):
            return True
    return False


def scan(roots: list[str], *, progress: Progress | None = None, cancel: threading.Event | None = None,
         read_facts: bool = True, every: int = 500) -> Scan:
    """Everything under `roots` that a tidy may move, and what was left alone."""
    out = Scan([os.path.abspath(r) for r in roots])
    for root in out.roots:
        _walk(root, out, progress, cancel, read_facts, every)
    if progress:
        progress(len(out.entries), "")
    return out


def _walk(root: str, out: Scan, progress: Progress | None, cancel: threading.Event | None,
          read_facts: bool, every: int) -> None:
    stack: list[tuple[str, list[tuple[str, Spec]]]] = [(root, [])]
    while stack:
        folder, specs = stack.pop()
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        try:
            with os.scandir(folder) as it:
                items = list(it)
        except OSError as exc:
            out.errors.append((folder, exc.strerror or str(exc)))
            continue
        if is_project({e.name for e in items}):
            out.projects.append(folder)
            continue
        spec = _spec(folder)
        here = specs + [(folder, spec)] if spec else specs
        for e in items:
            if cancel is not None and cancel.is_set():  # a folder of 100,000 files stops too
                raise Cancelled()
            if e.name.startswith(".") or e.name in SYSTEM_NAMES or e.name.endswith(PART):
                out.ignored += 1
                continue
            try:
                if e.is_symlink():
                    out.links.append(e.path)
                    continue
                is_dir = e.is_dir(follow_symlinks=False)
                if here and _ignored(e.path, is_dir, here):
                    out.ignored += 1
                    continue
                if is_dir:
                    stack.append((e.path, here))
                    continue
                st = e.stat(follow_symlinks=False)
            except OSError as exc:
                out.errors.append((e.path, exc.strerror or str(exc)))
                continue
            if not stat.S_ISREG(st.st_mode):
                out.ignored += 1  # sockets, pipes, devices
                continue
            kind = kind_of(e.path, e.name)
            entry = Entry(e.path, root, st.st_size, st.st_mtime_ns, stat.S_IMODE(st.st_mode), kind)
            if read_facts:
                entry.facts = facts(e.path, e.name, kind)
            out.entries.append(entry)
            if progress and len(out.entries) % every == 0:
                progress(len(out.entries), e.path)
