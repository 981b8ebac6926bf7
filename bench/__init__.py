"""OS1's benchmarks, one package per area, each script run as a module from the repository root:

    .venv/bin/python -m bench.run_all                # cold start, first token, speed, tool calls
    .venv/bin/python -m bench.memory.locomo          # also: scale, slots, facts
    .venv/bin/python -m bench.mail.triage_bench      # also: detector_bench, injection_bench, turn_cost
    .venv/bin/python -m bench.time.nl_schedule       # also: lateness
    .venv/bin/python -m bench.voice.run              # also: stt_window, prompt_cache, compare

Raw results go to bench/results/ (ignored by git); headline figures to docs/benchmarks.json
(bench/figures.py), from which `python -m bench.report_md` writes docs/benchmarks.md's tables.
"""
