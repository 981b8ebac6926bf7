"""The product docs cannot drift: the CLI reference is the commands' own --help, the benchmark
tables are the figures in docs/benchmarks.json, and the README stays a short front page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_FIGURES = {
    "voice.first_audio_p50_s", "voice.first_audio_p95_s", "voice.wer", "voice.bargein_stop_p95_ms",
    "memory.locomo_recall10", "memory.locomo_recall10_multihop", "memory.search_p95_ms_100k",
    "llm.throughput_ratio_1.5b", "llm.tool_right_args_1.5b", "llm.ttft_cached_ms_1.5b",
    "mail.injection_unconfirmed_side_effects", "mail.triage_accuracy",
    "time.nl_schedule_accuracy_1.5b", "cli.cold_start_s",
}
# Lab-notebook words: a product page names what OS1 does, not when or in which ticket it changed.
NOTEBOOK = re.compile(r"session [0-9]+|issue #[0-9]+", re.IGNORECASE)


def _notebook_lines(*places: str) -> list[str]:
    found = []
    for place in places:
        path = ROOT / place
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for file in files:
            try:
                text = file.read_text()
            except (UnicodeDecodeError, OSError):
                continue
            for n, line in enumerate(text.splitlines(), 1):
                if NOTEBOOK.search(line):
                    found.append(f"{file.relative_to(ROOT)}:{n}: {line.strip()}")
    return found


def test_the_cli_reference_is_the_commands_own_help() -> None:
    # In a process of its own: the generator registers every plugin's commands on `os1`'s app.
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    fresh = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli_reference.py")], cwd=ROOT,
                           env=env, capture_output=True, text=True, check=True, timeout=120).stdout
    assert (ROOT / "docs" / "cli.md").read_text() == fresh, (
        "docs/cli.md is stale: run .venv/bin/python scripts/cli_reference.py > docs/cli.md")
    assert "## os1 memory search" in fresh


def test_the_readme_is_a_front_page() -> None:
    assert len((ROOT / "README.md").read_text().splitlines()) <= 200


def test_docs_are_not_a_lab_notebook() -> None:
    assert _notebook_lines("README.md", "docs") == []


def test_code_and_tests_are_not_a_lab_notebook() -> None:
    assert _notebook_lines("os1", "tests") == []


def test_every_headline_figure_is_recorded() -> None:
    entries = json.loads((ROOT / "docs" / "benchmarks.json").read_text())
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    assert REQUIRED_FIGURES <= set(ids)
    for entry in entries:
        assert {"id", "value", "unit", "model", "machine", "commit", "date", "command"} <= set(entry)
        assert isinstance(entry["value"], int | float)


def test_the_benchmark_tables_are_the_recorded_figures() -> None:
    from bench.figures import load
    from bench.report_md import PAGE, render

    page = PAGE.read_text()
    assert render(page, load()) == page, "docs/benchmarks.md is stale: run python -m bench.report_md"


def _anchor(heading: str) -> str:
    """GitHub's id for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_links_between_the_docs_lead_somewhere() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    broken = []
    for page in pages:
        text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
            elif anchor and file.suffix == ".md":
                headings = re.findall(r"^#+ (.+)$", file.read_text(), flags=re.M)
                if anchor not in {_anchor(h) for h in headings}:
                    broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == []
