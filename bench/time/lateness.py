"""Reminder lateness: N reminders due over S seconds, fired by the real scheduler loop on the
system clock, in a fresh SQLite database; lateness = fired_at − due_at as stored.

    .venv/bin/python -m bench.time.lateness [--n 200] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import common


async def measure(n: int, seconds: float) -> list[float]:
    from os1.core.clock import SystemClock
    from os1.core.preferences import set_prefs
    from os1.core.schedule import ReminderSchedule
    from os1.core.scheduler import Scheduler
    from os1.plugins import migrations
    from os1.storage.sqlite import SqliteStore

    store = await SqliteStore.open(Path(tempfile.mkdtemp(prefix="os1-late-")) / "os1.db", migrations())
    try:
        reminders = ReminderSchedule(store)
        await set_prefs(store, "sam", {"quiet_start": "", "quiet_end": ""})
        clock = SystemClock()
        sched = Scheduler(store, "sam", clock, ZoneInfo("UTC"))
        start = clock.now() + timedelta(seconds=1)
        for i in range(n):
            await reminders.add("sam", "reminder", f"r{i}", start + timedelta(seconds=seconds * i / n))
        stop = asyncio.Event()
        task = asyncio.create_task(sched.run(stop))
        while len(sched.fired) < n:
            await asyncio.sleep(0.1)
        stop.set()
        sched.poke()
        await task
        return sorted(r.late_s for r in await reminders.list("sam", "fired", limit=n))
    finally:
        await store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    mach = common.machine()
    late = asyncio.run(measure(args.n, args.seconds))
    ms = [x * 1000 for x in late]
    q = statistics.quantiles(ms, n=100)
    summary = {"n": len(ms), "min_ms": round(ms[0], 1), "p50_ms": round(q[49], 1),
               "p95_ms": round(q[94], 1), "p99_ms": round(q[98], 1), "max_ms": round(ms[-1], 1),
               "fired_once": len(ms) == args.n}
    print(f"lateness over {len(ms)} reminders in {args.seconds:.0f} s: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    mach["loadavg_after"] = [round(x, 2) for x in __import__("os").getloadavg()]
    print("  ->", common.write_result("time_lateness", {"summary": summary, "machine": mach, "raw_ms": ms}))


if __name__ == "__main__":
    main()
