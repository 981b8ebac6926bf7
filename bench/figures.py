"""The headline figures in docs/benchmarks.json: one entry per figure, updated by the bench
script that measures it, so the tables in docs/benchmarks.md (generated from the file by
`python -m bench.report_md`) always show the latest run with its machine, commit and command.

    from bench.figures import record
    record("memory.search_p95_ms_100k", 34.9, "ms", "all-MiniLM-L6-v2", "python -m bench.memory.scale")
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from typing import Any

from bench.common import REPO, _cpuinfo, cpu_detail

FIGURES = REPO / "docs" / "benchmarks.json"
# The default model: the figures named "_1.5b" and the headline voice figures are its.
DEFAULT_MODEL = "qwen2.5-coder-1.5b"
# What memory search runs on (no language model): the text index and the embedder.
EMBEDDER = "all-MiniLM-L6-v2 + FTS5"
FIELDS = ("id", "value", "unit", "model", "machine", "commit", "date", "command")


def machine_name() -> str:
    """The CPU model and core count: what a figure measured on one machine depends on."""
    info = _cpuinfo()
    cores = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip() or "?"
    return f"{info.get('model name', 'unknown CPU')} ({cpu_detail(info)}), {cores} cores"


def _commit_now() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=REPO, check=False).stdout.strip()

    # The figures' own files and the results are what a bench writes: they make no code dirty.
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/benchmarks.json",
                     ":!docs/benchmarks.md", ":!bench/results"))
    return git("rev-parse", "--short", "HEAD") + ("-dirty" if dirty else "")


# Taken when a bench starts (it imports this module first): an hour-long run records the code it
# ran, not a commit made while it ran.
_AT_START = _commit_now()


def commit() -> str:
    """The short commit of the code measured, marked when the tree had uncommitted changes."""
    return _AT_START


def load() -> list[dict[str, Any]]:
    """Every recorded figure, in id order."""
    return json.loads(FIGURES.read_text()) if FIGURES.exists() else []


def save(entries: list[dict[str, Any]]) -> None:
    FIGURES.write_text(json.dumps(sorted(entries, key=lambda e: e["id"]), indent=2, ensure_ascii=False) + "\n")


def record(id: str, value: float | int, unit: str, model: str, command: str, note: str = "") -> dict[str, Any]:
    """Write (or replace) one figure, with this machine, commit and date, and regenerate the
    tables of docs/benchmarks.md from the file."""
    entry: dict[str, Any] = {"id": id, "value": value, "unit": unit, "model": model,
                             "machine": machine_name(), "commit": commit(),
                             "date": datetime.now(UTC).date().isoformat(), "command": command}
    if note:
        entry["note"] = note
    entries = [e for e in load() if e["id"] != id] + [entry]
    save(entries)
    print(f"  -> {FIGURES}: {id} = {value} {unit}")
    from bench import report_md  # the page's tables follow the file (report_md imports this module)

    if FIGURES.parent == report_md.PAGE.parent:
        report_md.PAGE.write_text(report_md.render(report_md.PAGE.read_text(), load()))
    return entry
