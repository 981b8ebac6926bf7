"""Photos by year and place, videos by the date and place in their header: real JPEGs with EXIF GPS
(named offline by reverse_geocode's own data), real MP4/QuickTime headers, and the plan they
make on a real folder."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from bench.files.samples import jpeg, mp4
from os1.skills.files import service
from os1.skills.files.journal import Journal
from os1.skills.files.places import gps_of, iso6709, video_facts

LISBON, BROOKLYN, ALGARVE = (38.7138, -9.1394), (40.6959, -73.9937), (37.0194, -7.9304)


async def test_photos_go_to_their_year_and_place_and_videos_to_their_year(settings, store, tmp_path):
    root = tmp_path / "Camera"
    root.mkdir()
    jpeg(root / "IMG_1.jpg", "2025:06:14 10:00:00", "Pixel 8", LISBON)
    jpeg(root / "IMG_2.jpg", "2025:06:15 18:30:00", "Pixel 8", (38.6979, -9.2068))  # Belém, same trip
    jpeg(root / "IMG_3.jpg", "2024:12:31 23:00:00", None, BROOKLYN)
    jpeg(root / "IMG_4.jpg", "2025:08:02 09:00:00", None, ALGARVE)
    jpeg(root / "IMG_5.jpg", "2023:01:01 12:00:00", None)  # no position: the year only
    mp4(root / "VID_1.mp4", datetime(2022, 5, 1, 12, tzinfo=UTC))
    mp4(root / "clip.mov", None)  # no date in it: the file's own time
    mp4(root / "VID_2.mp4", datetime(2025, 6, 14, 11, tzinfo=UTC), "+38.7223-009.1393/")  # as ffmpeg writes it
    mp4(root / "IMG_0042.MOV", datetime(2024, 12, 31, 22, tzinfo=UTC), "+40.6959-073.9937+010.000/", apple=True)
    os.utime(root / "clip.mov", (1_600_000_000, 1_600_000_000))  # 2020

    run, text = await service.make_plan(settings, store, settings.user, [str(root)])
    moved = {Path(o.src).name: os.path.relpath(os.path.dirname(o.dst), root)
             for o in await Journal(store, settings.user).ops(run)}
    assert moved == {"IMG_1.jpg": "Photos/2025/Lisbon", "IMG_2.jpg": "Photos/2025/Lisbon",
                     "IMG_3.jpg": "Photos/2024/New York City", "IMG_4.jpg": "Photos/2025/Faro",
                     "IMG_5.jpg": "Photos/2023", "VID_1.mp4": "Videos/2022", "clip.mov": "Videos/2020",
                     "VID_2.mp4": "Videos/2025/Lisbon", "IMG_0042.MOV": "Videos/2024/New York City"}
    assert "move 5 photos into Photos/… (4 folders)" in text


def test_gps_and_video_headers_that_make_no_sense_are_ignored(tmp_path):
    assert gps_of({1: "N", 2: (38.0, 43.0, 20.0), 3: "W", 4: (9.0, 8.0, 21.0)}) == (38.72222222222222, -9.139166666666666)
    assert gps_of({1: "S", 2: (33.0, 52.0, 0.0), 3: "E", 4: (151.0, 12.0, 0.0)})[0] < 0
    for bad in ({}, {2: (0.0, 0.0, 0.0), 4: (0.0, 0.0, 0.0)}, {2: (95.0, 0.0, 0.0), 4: (1.0, 0.0, 0.0)},
                {2: "junk", 4: (1.0, 2.0, 3.0)}, None):
        assert gps_of(bad) is None
    (tmp_path / "fake.mp4").write_bytes(b"\x00\x00\x00\x08free not a video")
    assert video_facts(str(tmp_path / "fake.mp4")) == {}
    assert video_facts(str(tmp_path / "missing.mp4")) == {}
    for bad in ("", "+00.0000+000.0000/", "+95.0000-009.1393/", "junk", "+3843.33-00908.35/"):
        assert iso6709(bad) is None, bad  # degrees-and-minutes forms are not what phones write
    assert iso6709("+38.7223-009.1393+012.000/") == (38.7223, -9.1393)
    mp4(tmp_path / "odd.mp4", datetime(2022, 5, 1, tzinfo=UTC), "somewhere/")
    assert video_facts(str(tmp_path / "odd.mp4")) == {"date": "2022-05-01"}
