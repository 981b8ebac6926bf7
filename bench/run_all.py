"""Run every OS1 benchmark for each model, each in its own process, then print the report.

    .venv/bin/python -m bench.run_all                 # full size, both models (`make bench`)
    .venv/bin/python -m bench.run_all --quick --models qwen2.5-coder-0.5b   # smoke run
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from bench import common, report

BENCHMARKS = ["cold_start", "ttft", "throughput", "tool_calls"]
# Each benchmark's module: cold start is the CLI's, the rest are the model's through OS1.
MODULES = {"cold_start": "bench.cli.cold_start", "ttft": "bench.llm.ttft",
           "throughput": "bench.llm.throughput", "tool_calls": "bench.llm.tool_calls"}


def check_model(model: str) -> str | None:
    """Why the model cannot be benchmarked, or None when its file is complete."""
    from os1.models.catalog import lookup

    entry = lookup(model)
    if entry is None:
        return "not a catalogue model"
    path = common.model_file(model)
    if not path.exists() or path.stat().st_size != entry.size:
        return f"{path} is missing or incomplete (run: OS1_LLM__MODEL={model} .venv/bin/os1 models install)"
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="+", default=common.MODELS, help="catalogue names")
    ap.add_argument("--only", nargs="+", choices=BENCHMARKS, default=BENCHMARKS)
    ap.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test, not figures")
    args = ap.parse_args()
    common.isolate_env()
    models = [m for part in args.models for m in part.split(",") if m]
    for model in models:
        if (problem := check_model(model)) is not None:
            print(f"cannot benchmark {model}: {problem}", file=sys.stderr)
            return 2
    if (load := os.getloadavg()[0]) > 1.0:
        print(f"warning: the machine is busy (1-min load average {load:.1f}); llama.cpp slows down "
              "badly when its threads share cores with other work, so figures will be noisy.")
    failed: list[str] = []
    started = time.perf_counter()
    for model in models:
        for name in args.only:
            cmd = [sys.executable, "-m", MODULES[name], "--model", model]
            if args.quick:
                cmd.append("--quick")
            t0 = time.perf_counter()
            rc = subprocess.run(cmd, cwd=common.REPO, check=False).returncode
            print(f"  [{name} {model}: {'ok' if rc == 0 else f'FAILED rc={rc}'}, "
                  f"{time.perf_counter() - t0:.0f} s]", flush=True)
            if rc != 0:
                failed.append(f"{name}-{model}")
    print(f"\nAll done in {(time.perf_counter() - started) / 60:.1f} min.")
    print(report.markdown(models))
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
