"""How long `make test` takes, as CI runs it: a clean clone of the current commit, `bash .ci/run`
(setup from scratch, then the checks and the whole suite), timed from start to exit.

    python -m bench.tests.make_test            # clone, run, record tests.make_test_s
    python -m bench.tests.make_test --from-log LOG --seconds S   # record a run timed elsewhere

The figure is the wall time of the whole command on this machine; the suite alone is printed by
pytest at the end of its output ("… passed in N s").
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import REPO
from bench.figures import record

ID = "tests.make_test_s"
COMMAND = "python -m bench.tests.make_test (a clean clone, then bash .ci/run)"


def suite_seconds(log: str) -> float | None:
    """pytest's own figure for the suite, from the end of its output."""
    found = re.findall(r"passed[^\n]* in ([\d.]+)s", log)
    return float(found[-1]) if found else None


def run_clean_clone() -> tuple[float, str]:
    """Clone the current commit into a new folder and run CI's command there; (seconds, output)."""
    with tempfile.TemporaryDirectory(prefix="os1-make-test-") as tmp:
        clone = Path(tmp) / "os1"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        t0 = time.perf_counter()
        done = subprocess.run(["bash", ".ci/run"], cwd=clone, capture_output=True, text=True,
                              env={**os.environ, "CI": "true"}, check=False)
        seconds = time.perf_counter() - t0
        if done.returncode != 0:
            raise SystemExit(f"`bash .ci/run` failed (exit {done.returncode}); nothing recorded.\n"
                             + done.stdout[-3000:])
        return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-log", type=Path, help="the output of a run timed elsewhere")
    parser.add_argument("--seconds", type=float, help="that run's wall time, with --from-log")
    args = parser.parse_args()
    if args.from_log is not None:
        if args.seconds is None:
            parser.error("--from-log needs --seconds")
        seconds, log = args.seconds, args.from_log.read_text(errors="replace")
    else:
        seconds, log = run_clean_clone()
    suite = suite_seconds(log)
    note = f"the suite alone: {suite:.0f} s (pytest)" if suite is not None else ""
    record(ID, round(seconds), "s", "qwen2.5-coder-0.5b", COMMAND, note)


if __name__ == "__main__":
    main()
