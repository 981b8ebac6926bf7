"""The embedded model places files no rule can (an unknown kind) into folders the rules already
fill, which are those of the answer key (or a folder inside one): one short real-model test."""

from __future__ import annotations

import os

import pytest

from bench.files.samples import jpeg, pdf
from os1.skills.files import service
from os1.skills.files.journal import Journal

KEY = {"invoice_0042.pdf": "Documents/Finance/Invoices", "boarding_pass_LIS.pdf": "Documents/Travel",
       "lease_flat.pdf": "Documents/Contracts", "IMG_0001.jpg": "Photos/2025"}
UNPLACED = ["flight_to_lisbon.pkpass", "invoice_march_backup.dat", "beach_photo_raw.orf"]


@pytest.mark.model
async def test_the_model_places_what_rules_cannot_into_the_key_folders(settings, store, real_llm, tmp_path):
    root = tmp_path / "Downloads"
    root.mkdir()
    pdf(root / "invoice_0042.pdf", "Invoice 42 total 120 EUR")
    pdf(root / "boarding_pass_LIS.pdf", "Boarding pass LIS gate 12")
    pdf(root / "lease_flat.pdf", "Residential lease")
    jpeg(root / "IMG_0001.jpg", "2025:06:14 10:00:00", "Pixel 8")
    for i, name in enumerate(UNPLACED):
        (root / name).write_bytes(bytes([7, i]) * 40)

    run, text = await service.make_plan(settings, store, settings.user, [str(root)], llm=real_llm)
    where = {os.path.basename(o.src): (o.action, os.path.relpath(os.path.dirname(o.dst), root))
             for o in await Journal(store, settings.user).ops(run)}
    assert {n: where[n][1] for n in KEY} == KEY  # the rules' own places are unchanged
    suggested = {n: folder for n, (action, folder) in where.items() if n in UNPLACED and action == "move"}
    assert len(suggested) >= 2, (where, text)
    for folder in suggested.values():  # a key folder, or one inside it ("Documents/Travel/Lisbon")
        assert any(folder == k or folder.startswith(k + "/") for k in KEY.values()), suggested
