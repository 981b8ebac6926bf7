"""The files benchmark: scan + plan of 100,000 files, apply and undo rates with the identity
check, and plan quality on a messy home folder with an answer key (bench/files/home.py).

    python -m bench.files.run [--files 100000] [--record]

Everything happens in a temporary folder; nothing outside it is touched.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.files.home import make_home
from os1.config import Settings
from os1.skills.files import service
from os1.skills.files.journal import Journal
from os1.storage.sqlite import SqliteStore
from tests.files_trees import folders, picture

EXTS = [".jpg", ".pdf", ".txt", ".mp3", ".docx", ".png", ".zip", ".csv", ".mov", ".bin", ".md", ""]
WORDS = ["invoice", "notes", "IMG", "report", "song", "lease", "draft", "scan", "photo", "backup", "todo"]


def make_tree(root: Path, n: int, seed: int = 1) -> None:
    """n small files in n/100 folders, with the names and sizes of an ordinary mess."""
    rng = random.Random(seed)
    for d in range(max(1, n // 100)):
        folder = root / f"dir{d % 37}" / f"sub {d}"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(100):
            name = f"{rng.choice(WORDS)}_{d}_{i}{rng.choice(EXTS)}"
            with open(folder / name, "wb") as f:
                f.write(rng.randbytes(rng.randint(100, 5000)))
    print(f"  made {n:,} files in {root}", flush=True)


async def _store(data: Path) -> tuple[Settings, SqliteStore]:
    from os1.core.runtime import open_store

    settings = Settings(_env_file=None, data_dir=data, user="bench")  # type: ignore[call-arg]
    return settings, await open_store(settings)


def _progress(n: int, path: str) -> None:
    if n % 10_000 == 0 or not path:
        print(f"  looked at {n:,} files", flush=True)


async def scan_plan(base: Path, n: int) -> dict[str, Any]:
    make_tree(base / "mess", n)
    settings, store = await _store(base / "data")
    try:
        t = time.perf_counter()
        run_id, text = await service.make_plan(settings, store, "bench", [str(base / "mess")], progress=_progress)
        took = time.perf_counter() - t
    finally:
        await store.close()
    print("  " + "\n  ".join(text.splitlines()[:6]))
    return {"files": n, "seconds": round(took, 2)}


def _outcome(op: Any, home: Path) -> str:
    if op.action == "hold":
        return "hold"
    if op.action == "trash":
        return "trash"
    return os.path.relpath(os.path.dirname(op.dst), home)


async def quality_and_rates(base: Path) -> dict[str, Any]:
    home = base / "home"
    key = make_home(home)
    before, dirs = picture(home), folders(home)
    settings, store = await _store(base / "data2")
    try:
        run_id, text = await service.make_plan(settings, store, "bench", [str(home)])
        print("  " + "\n  ".join(text.splitlines()))
        ops = {os.path.relpath(o.src, home): o for o in await Journal(store, "bench").ops(run_id)}
        placed = right = held = held_right = 0
        wrong: list[str] = []
        for rel, want in key.items():
            got = _outcome(ops[rel], home) if rel in ops else os.path.dirname(rel)
            if got == "hold":
                held += 1
                held_right += want == "hold"
                continue
            placed += 1
            if got == want:
                right += 1
            else:
                wrong.append(f"{rel}: {got} (key: {want})")
        print(f"  placed {placed}, right {right}; held back {held} ({held_right} rightly)")
        for line in wrong[:12]:
            print(f"    wrong: {line}")
        t = time.perf_counter()
        _, out = await service.apply(store, "bench", run_id)
        apply_s = time.perf_counter() - t
        t = time.perf_counter()
        _, back = await service.undo(store, "bench", run_id)
        undo_s = time.perf_counter() - t
    finally:
        await store.close()
    after = picture(home)
    same = sum(1 for p, v in before.items() if after.get(p) == v)
    return {"accuracy": round(right / placed, 3), "placed": placed, "held": held, "held_right": held_right,
            "apply_rate": round(out.done / apply_s, 1), "undo_rate": round(back.done / undo_s, 1),
            "moved": out.done, "identity": round(same / len(before), 4) if folders(home) == dirs else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--record", action="store_true", help="write the figures into docs/benchmarks.json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="os1-files-bench-") as tmp:
        print(f"scan + plan of {args.files:,} files", flush=True)
        big = asyncio.run(scan_plan(Path(tmp), args.files))
        print(f"  {big['seconds']} s (goal: 30 s)")
        print("plan quality, apply and undo on a messy home folder", flush=True)
        home = asyncio.run(quality_and_rates(Path(tmp)))
    print(f"placement accuracy {home['accuracy']} (goal 0.8) over {home['placed']} placed;"
          f" {home['held']} held back ({home['held_right']} rightly)")
    print(f"apply {home['apply_rate']} files/s, undo {home['undo_rate']} files/s ({home['moved']} files);"
          f" identity after undo {home['identity']}")
    if args.record:
        from bench.figures import record

        cmd = f"python -m bench.files.run --files {args.files}"
        record("files.scan_plan_100k_s", big["seconds"], "s", "none (rules)", cmd,
               note=f"{big['files']:,} files in a fresh temporary tree, 1,000 folders; load average {os.getloadavg()[0]:.2f}")
        record("files.placement_accuracy", home["accuracy"], "ratio", "none (rules)", cmd,
               note=f"{home['placed']} files placed of a generated home folder with an answer key; "
                    f"{home['held']} held back for the user apart ({home['held_right']} rightly)")
        record("files.undo_identity_rate", home["identity"], "ratio", "none", cmd,
               note=f"files identical (path, bytes, mode, mtime) after apply then undo of {home['moved']} operations")
        record("files.apply_rate", home["apply_rate"], "files/s", "none", cmd,
               note="journaled moves (two durable commits each) in a temporary folder")
        record("files.undo_rate", home["undo_rate"], "files/s", "none", cmd)
    if home["identity"] != 1.0:
        sys.exit("undo was not the identity")


if __name__ == "__main__":
    main()
