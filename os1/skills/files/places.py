"""Where and when a photo or a video was taken, for the plan's Photos/<year>/<place> folders.

A photo's place comes from its EXIF GPS position, named offline by `reverse_geocode`, which
ships its own GeoNames data (every place of 1,000 people or more; nothing is downloaded). The
nearest such place is often a neighbourhood ("Intendente" in Lisbon), which would split one
trip into many folders, so the name is that of the most populous place within about 20 km:
Lisbon, New York City, Faro. A video's date is its container's creation time (the `mvhd` box
of MP4 and QuickTime files, found with mutagen's atom reader).
"""

from __future__ import annotations

import functools
import logging
import struct
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

log = logging.getLogger(__name__)
NEARBY_DEG = 0.2  # about 20 km of latitude: "the same place" for a trip's photos
MP4_EPOCH = datetime(1904, 1, 1, tzinfo=UTC)
_loading = threading.Lock()


def _degrees(value: Any, ref: Any) -> float | None:
    """An EXIF GPS coordinate (degrees, minutes, seconds as rationals) as signed degrees."""
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    deg = d + m / 60 + s / 3600
    return -deg if str(ref).strip("\x00 ").upper() in ("S", "W") else deg


def gps_of(gps: Any) -> tuple[float, float] | None:
    """(latitude, longitude) from an EXIF GPS IFD, or None when it has none that makes sense."""
    if not gps or 2 not in gps or 4 not in gps:
        return None
    lat, lon = _degrees(gps[2], gps.get(1, "N")), _degrees(gps[4], gps.get(3, "E"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat, lon) == (0, 0):
        return None
    return lat, lon


def _geonames() -> Any:
    """reverse_geocode's places and their k-d tree (loaded once, about 2 s, on the first photo
    with a position)."""
    import reverse_geocode

    with _loading:
        return reverse_geocode.GeocodeData()


@functools.lru_cache(maxsize=4096)
def _named(lat: float, lon: float) -> str:
    data = _geonames()
    near = data._tree.query_ball_point((lat, lon), NEARBY_DEG)  # noqa: SLF001 - the library's own index
    if not near:
        return str(data.query([(lat, lon)])[0]["city"])
    best = max(near, key=lambda i: data._locations[i]["population"])  # noqa: SLF001
    return str(data._locations[best]["city"])  # noqa: SLF001


def place_name(lat: float, lon: float) -> str:
    """The name of the place at (lat, lon), as a person names a trip: "Lisbon". Positions are
    rounded to about 1 km, so a day's photos ask once."""
    try:
        return _named(round(lat, 2), round(lon, 2))
    except Exception as exc:  # noqa: BLE001 - a photo without a place name is only a photo
        log.warning("no place name for %.2f, %.2f: %s", lat, lon, exc)
        return ""


def video_date(path: str) -> str:
    """A video's creation date (YYYY-MM-DD) from its MP4/QuickTime header, or ''."""
    try:
        from mutagen.mp4 import Atoms  # type: ignore[attr-defined]  # public, not re-exported for mypy

        with open(path, "rb") as f:
            atoms = Atoms(f)
            _, head = atoms.path(b"moov", b"mvhd")[-1].read(f)
    except Exception as exc:  # noqa: BLE001 - not an MP4/QuickTime file, or a damaged one
        log.debug("no mvhd in %r: %s", path, exc)
        return ""
    if len(head) < 12 or (head[0] == 1 and len(head) < 20):
        return ""
    seconds = struct.unpack(">Q", head[4:12])[0] if head[0] == 1 else struct.unpack(">I", head[4:8])[0]
    when = MP4_EPOCH + timedelta(seconds=seconds)
    if when.year < 1971 or when > datetime.now(UTC) + timedelta(days=1):
        return ""  # unset (0) or nonsense: the file's own time says more
    return when.date().isoformat()
