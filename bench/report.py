"""Turn bench/results/*.json into the Markdown tables of docs/benchmarks.md.

    .venv/bin/python -m bench.report [--models ...]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bench import common


def _load(name: str, model: str) -> dict[str, Any] | None:
    path = common.RESULTS / f"{name}-{model}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _fmt(value: Any, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _pct(value: Any) -> str:
    return "–" if value is None else f"{value:.0%}"


def markdown(models: list[str]) -> str:
    out: list[str] = []
    found = {(n, m): _load(n, m) for n in ("cold_start", "ttft", "throughput", "tool_calls") for m in models}
    any_result = next((r for r in found.values() if r), None)
    if any_result is None:
        return "(no results yet in bench/results/)"
    mach = any_result["machine"]
    quick = any(r and r.get("quick") for r in found.values())
    out.append(f"Machine: {mach['nproc']} cores, {mach['cpu']}{' (' + mach['cpu_detail'] + ')' if mach.get('cpu_detail') else ''}, {mach['ram_gib']} GiB RAM; "
               f"commit {mach['git_commit']}{' (dirty tree)' if mach.get('git_dirty') else ''}; "
               f"{mach['date']}; 1-min load average before the first benchmark "
               f"{mach.get('loadavg_before', mach.get('loadavg_at_start', [0]))[0]:.2f}"
               + ("; **quick smoke run, not final**" if quick else ""))
    out.append("\nModels: " + ", ".join(
        f"{r['model']['name']} (sha256 {r['model']['sha256_prefix']}…)"
        for m in models if (r := next((found[(n, m)] for n in ("ttft", "tool_calls", "throughput",
                                                                 "cold_start") if found[(n, m)]), None))))
    out.append("\n### 1. Cold start (median)\n\n| model | runs | `you>` prompt on a terminal | "
               "exit, empty stdin | first reply, one line piped | exit, one line piped |\n|---|---|---|---|---|---|")
    for m in models:
        if r := found[("cold_start", m)]:
            s = r["summary"]
            out.append(f"| {m} | {r['runs']} | {_fmt(s['prompt_ready_s'], ' s')} | "
                       f"{_fmt(s['empty_stdin_exit_s'], ' s')} | {_fmt(s['first_reply_s'], ' s')} | "
                       f"{_fmt(s['one_line_exit_s'], ' s')} |")
    out.append("\n### 2. Time to first token through a turn (median)\n\n| model | runs | model load | "
               "cold TTFT (cached tokens) | next turn TTFT (cached) | after `warm()` TTFT (cached) | "
               "speed-up |\n|---|---|---|---|---|---|---|")
    for m in models:
        if r := found[("ttft", m)]:
            s = r["summary"]
            cells = [f"{_fmt(s[k]['ttft_ms'], ' ms', 0)} ({_fmt(s[k]['cached_tokens'], '', 0)} of "
                     f"{_fmt((s[k]['cached_tokens'] or 0) + (s[k]['prompt_tokens_evaluated'] or 0), '', 0)})"
                     for k in ("cold", "next_turn", "after_warm")]
            out.append(f"| {m} | {r['runs']} | {_fmt(s['model_load_ms'], ' ms', 0)} | "
                       + " | ".join(cells) + f" | {_fmt(s.get('speedup_after_warm'), '×', 1)} |")
    out.append("\n### 3. Generation speed, OS1 vs llama.cpp direct (median tokens/s)\n\n| model | pairs × "
               "tokens | direct | OS1 | OS1/direct | llama.cpp timings: direct / OS1 / ratio | goal ≥ 0.95 |"
               "\n|---|---|---|---|---|---|---|")
    for m in models:
        if r := found[("throughput", m)]:
            s = r["summary"]
            out.append(f"| {m} | {r['pairs']} × {r['max_tokens']} | {_fmt(s['direct_rate'])} | "
                       f"{_fmt(s['os1_rate'])} | {_fmt(s['ratio_os1_over_direct'], '', 3)} | "
                       f"{_fmt(s['direct_llama_rate'])} / {_fmt(s['os1_llama_rate'])} / "
                       f"{_fmt(s['ratio_llama_timings'], '', 3)} | {'met' if s['meets_goal'] else 'NOT met'} |")
    out.append("\n### 4. Tool-call accuracy (temperature 0)\n\n| model | requests | valid call | "
               "right tool | right arguments | extra unknown args | s/request |\n|---|---|---|---|---|---|---|")
    for m in models:
        if r := found[("tool_calls", m)]:
            s, o = r["summary"], r["summary"]["overall"]
            out.append(f"| {m} | {o['n']} | {_pct(o['valid'])} | {_pct(o['right_tool'])} | "
                       f"{_pct(o['right_args'])} | {_fmt(s.get('calls_with_unknown_extra_args'))} | "
                       f"{_fmt(s['median_seconds_per_request'], '', 1)} |")
    tools = sorted({t for m in models if (r := found[("tool_calls", m)]) for t in r["summary"]["per_tool"]})
    if tools:
        out.append("\nRight arguments per tool:\n\n| tool | " + " | ".join(models) + " |\n|---|"
                   + "---|" * len(models))
        for t in tools:
            cells = []
            for m in models:
                per = (found[("tool_calls", m)] or {}).get("summary", {}).get("per_tool", {}).get(t)
                cells.append(f"{_pct(per['right_args'])} (n={per['n']})" if per else "–")
            out.append(f"| {t} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="+", default=common.MODELS)
    print(markdown(ap.parse_args().models))


if __name__ == "__main__":
    main()
