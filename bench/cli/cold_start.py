"""Cold start: launch `os1` as a user would and time how long until it is usable.

Three views, each on a fresh prepared data dir (finished interview, models symlinked):
- prompt_ready: on a pseudo-terminal, launch until the `you> ` prompt appears (model loads behind it);
- empty_stdin_exit: stdin piped empty, launch until the process has exited;
- first_reply: one question piped in, launch until the first reply text appears (and until exit).
The model file is in the page cache (warm disk); "cold" means a new process and a new model load.
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench import common
from bench.figures import DEFAULT_MODEL, record

OS1 = str(common.REPO / ".venv" / "bin" / "os1")
QUESTION = "In one short sentence: what is a good name for a grey cat?"
MARK = f"{common.COMPANION}: ".encode()


def _env(model: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ, OS1_CONFIG=str(common.BENCH_CONFIG), OS1_DATA_DIR=str(data_dir),
               OS1_USER=common.USER, OS1_LLM__MODEL=model, COLUMNS="120", TERM="dumb")
    return env


def prompt_ready(model: str, timeout: float = 300.0) -> dict[str, Any]:
    """Seconds until `you> ` shows on a terminal, then until exit after Ctrl-D."""
    data_dir = common.prepare_data_dir()
    master, slave = pty.openpty()
    t0 = time.perf_counter()
    proc = subprocess.Popen([OS1], stdin=slave, stdout=slave, stderr=slave,
                            env=_env(model, data_dir), close_fds=True)
    os.close(slave)
    seen, ready, sent = b"", None, False
    try:
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None and not select.select([master], [], [], 0)[0]:
                break
            if select.select([master], [], [], 0.05)[0]:
                try:
                    seen += os.read(master, 4096)
                except OSError:  # EIO: the child closed the terminal
                    break
            if ready is None and b"you> " in seen:
                ready = time.perf_counter() - t0
            if ready is not None and not sent:
                os.write(master, b"\x04")  # Ctrl-D: leave
                sent = True
        proc.wait(timeout=max(1.0, timeout - (time.perf_counter() - t0)))
        total = time.perf_counter() - t0
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    return {"prompt_ready_s": ready, "exit_after_ctrl_d_s": total, "rc": proc.returncode,
            "output_tail": seen[-300:].decode(errors="replace")}


def piped(model: str, stdin_text: str, timeout: float = 600.0) -> dict[str, Any]:
    """Pipe `stdin_text`; seconds until the first reply text (if any) and until exit."""
    data_dir = common.prepare_data_dir()
    t0 = time.perf_counter()
    proc = subprocess.Popen([OS1], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=_env(model, data_dir))
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(stdin_text.encode())
    proc.stdin.close()
    out, first = b"", None
    fd = proc.stdout.fileno()
    try:
        while time.perf_counter() - t0 < timeout:
            if not select.select([fd], [], [], 0.05)[0]:
                continue
            block = os.read(fd, 4096)
            if not block:
                break
            out += block
            if first is None and MARK in out and len(out.split(MARK, 1)[1].strip()) > 0:
                first = time.perf_counter() - t0
        proc.wait(timeout=max(1.0, timeout - (time.perf_counter() - t0)))
        total = time.perf_counter() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    return {"first_reply_s": first, "exit_s": total, "rc": proc.returncode,
            "output_tail": out[-400:].decode(errors="replace")}


def run(model: str, runs: int) -> dict[str, Any]:
    common.header("Cold start to prompt", model, f"({runs} runs each)")
    rows: dict[str, list[dict[str, Any]]] = {"prompt_ready": [], "empty_stdin": [], "one_line": []}
    for i in range(runs):  # interleaved, so a busy moment hits all three alike
        rows["prompt_ready"].append(prompt_ready(model))
        rows["empty_stdin"].append(piped(model, ""))
        rows["one_line"].append(piped(model, QUESTION + "\n"))
        print(f"  run {i + 1}: prompt {rows['prompt_ready'][-1]['prompt_ready_s']:.2f} s, "
              f"empty-stdin exit {rows['empty_stdin'][-1]['exit_s']:.2f} s, "
              f"first reply {rows['one_line'][-1]['first_reply_s'] or float('nan'):.2f} s", flush=True)
    summary = {
        "prompt_ready_s": common.median([r["prompt_ready_s"] for r in rows["prompt_ready"]]),
        "exit_after_ctrl_d_s": common.median([r["exit_after_ctrl_d_s"] for r in rows["prompt_ready"]]),
        "empty_stdin_exit_s": common.median([r["exit_s"] for r in rows["empty_stdin"]]),
        "first_reply_s": common.median([r["first_reply_s"] for r in rows["one_line"]]),
        "one_line_exit_s": common.median([r["exit_s"] for r in rows["one_line"]]),
        "failures": sum(r["rc"] != 0 for group in rows.values() for r in group),
    }
    for key, value in summary.items():
        print(f"  median {key:<22} {value}")
    return {"benchmark": "cold_start", "runs": runs, "question": QUESTION,
            "summary": summary, "raw": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=common.MODELS[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="1 run")
    args = ap.parse_args()
    common.isolate_env()
    mach = common.machine()
    result = run(args.model, 1 if args.quick else args.runs)
    common.finish("cold_start", args.model, args.quick, result, mach)
    if args.model == DEFAULT_MODEL and not args.quick:
        record("cli.cold_start_s", result["summary"]["prompt_ready_s"], "s", args.model,
               f"python -m bench.cli.cold_start --model {args.model}")


if __name__ == "__main__":
    main()
