"""Shared helpers for OS1's benchmarks: machine facts, prepared data dirs, medians, results."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import platform
import statistics
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DATA = REPO / "bench" / "data"
MODELS = ["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"]
# The models that `make run` / `make test` installed (the default data dir), unless told otherwise.
SOURCE_DATA_DIR = Path(os.environ.get("OS1_BENCH_DATA_DIR") or platformdirs.user_data_dir("os1"))
BENCH_CONFIG = Path(os.environ.get("OS1_BENCH_CONFIG", "/tmp/bench-os1.toml"))
USER = "sam"
COMPANION = "Ari"
PERSONA = (
    "My name is Ari. I chose it myself: it is short, bright and easy to say.\n"
    "Personality: I am warm, curious and a little playful, and I keep my answers brief."
)
HUMAN = (
    "Prefers to be called: Sam\n"
    "Social or private: fairly private, a few close friends\n"
    "Relationship with their mother: close, they call every Sunday\n"
    "Preferred voice for me: does not matter\n"
    "Wants help with: staying organised and remembering things"
)


def isolate_env() -> None:
    """Point OS1 at the bench config (an empty file) so no user config leaks in."""
    BENCH_CONFIG.parent.mkdir(parents=True, exist_ok=True)
    if not BENCH_CONFIG.exists():
        BENCH_CONFIG.write_text("# empty: OS1 benchmarks use defaults plus explicit overrides\n")
    os.environ["OS1_CONFIG"] = str(BENCH_CONFIG)
    os.environ["OS1_DATA_DIR"] = str(SOURCE_DATA_DIR)
    os.environ.pop("OS1_LLM__MODEL", None)


def _sh(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False).stdout.strip()
    except OSError:
        return ""


def _cpuinfo() -> dict[str, str]:
    """The first processor's fields in /proc/cpuinfo (empty where there is none)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return {}
    fields: dict[str, str] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    return fields


def cpu_detail(info: dict[str, str]) -> str:
    """Family, model and widest vector unit: the runs' machines differ in these ("AMD EPYC" on
    all of them; a token took 17 ms on one and ~55 ms on another, docs/benchmarks.md)."""
    flags = set(info.get("flags", "").split())
    simd = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    if "amx_tile" in flags:
        simd += ", AMX"
    return f"{info.get('vendor_id', '?')} family {info.get('cpu family', '?')} model {info.get('model', '?')}, {simd}"


def machine() -> dict[str, Any]:
    info = _cpuinfo()
    cpu = info.get("model name") or platform.processor() or "unknown"
    mem_kb = next(
        (int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
         if line.startswith("MemTotal")),
        0,
    )
    return {
        "nproc": int(_sh("nproc") or os.cpu_count() or 0),
        "cpu": cpu,
        "cpu_detail": cpu_detail(info),
        "ram_gib": round(mem_kb / 2**20, 1),
        "loadavg_before": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _sh("git", "rev-parse", "--short", "HEAD"),
        "git_dirty": bool(_sh("git", "status", "--porcelain", "--untracked-files=no")),
    }


_SHA_CACHE: dict[Path, str] = {}


def model_file(model: str) -> Path:
    from os1.models.catalog import lookup

    entry = lookup(model)
    if entry is None:
        raise SystemExit(f"unknown catalogue model {model!r}")
    return SOURCE_DATA_DIR / "models" / entry.filename


def model_facts(model: str) -> dict[str, Any]:
    """The file's own sha256 prefix (computed, not copied from the catalogue) and size."""
    path = model_file(model)
    if path not in _SHA_CACHE:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while block := fh.read(8 << 20):
                digest.update(block)
        _SHA_CACHE[path] = digest.hexdigest()
    return {"name": model, "file": path.name, "bytes": path.stat().st_size,
            "sha256_prefix": _SHA_CACHE[path][:16]}


def prepare_data_dir() -> Path:
    """A fresh data dir whose user has finished the interview; models are a symlink."""
    return asyncio.run(aprepare_data_dir())


async def aprepare_data_dir() -> Path:
    """Async form of prepare_data_dir, for use inside a running event loop."""
    from os1.plugins import migrations
    from os1.storage.sqlite import SqliteStore

    root = Path(tempfile.mkdtemp(prefix="os1-bench-"))
    (root / "models").symlink_to(SOURCE_DATA_DIR / "models")
    store = await SqliteStore.open(root / "os1.db", migrations())
    try:
        await add_user(store, USER)
    finally:
        await store.close()
    return root


async def add_user(store: Any, user: str, human: str = HUMAN, preferred: str = "Sam") -> None:
    """Write what a finished interview leaves behind: persona, human block, profile."""
    from os1.memory import blocks

    await blocks.set_value(store, user, "persona", PERSONA)
    await blocks.set_value(store, user, "human", human)
    await store.set_profile(user, {"companion_name": COMPANION, "preferred_name": preferred,
                                   "voice": "any", "identity_chosen_by_model": True})


def settings_for(model: str, data_dir: Path, **llm: Any) -> Any:
    from os1.config import load_settings

    return load_settings(data_dir=data_dir, user=USER, llm={"model": model, **llm})


def median(values: list[float | None]) -> float | None:
    clean = [v for v in values if v is not None]
    return round(statistics.median(clean), 2) if clean else None


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def header(title: str, model: str, extra: str = "") -> None:
    print(f"\n== {title} — {model} {extra}".rstrip(), flush=True)



def finish(name: str, model: str, quick: bool, result: dict[str, Any], mach: dict[str, Any]) -> None:
    """Add machine, model and load facts to a result, write it and say where."""
    mach = {**mach, "loadavg_after": [round(x, 2) for x in os.getloadavg()]}
    result |= {"machine": mach, "model": model_facts(model), "quick": quick}
    print("  ->", write_result(f"{name}-{model}", result))
