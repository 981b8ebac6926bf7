"""Where and when a photo or a video was taken, for the plan's Photos/<year>/<place> folders.

A photo's place comes from its EXIF GPS position, named offline by `reverse_geocode`, which
ships its own GeoNames data (every place of 1,000 people or more; nothing is downloaded). The
nearest such place is often a neighbourhood ("Intendente" in Lisbon), which would split one
trip into many folders, so the name is that of the most populous place within about 20 km:
Lisbon, New York City, Faro. A video's date is its container's creation time (the `mvhd` box
of MP4 and QuickTime files, found with mutagen's atom reader) and its place the ISO 6709
position phones write in the header (`©xyz`, or the QuickTime location key), named the same way.
"""

from __future__ import annotations

import functools
import logging
import re
import struct
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

log = logging.getLogger(__name__)
NEARBY_DEG = 0.2  # about 20 km of latitude: "the same place" for a trip's photos
MP4_EPOCH = datetime(1904, 1, 1, tzinfo=UTC)
_loading = threading.Lock()
_ISO6709 = re.compile(r"([+-]\d{2}(?:\.\d+)?)([+-]\d{3}(?:\.\d+)?)")
LOCATION_KEY = b"com.apple.quicktime.location.ISO6709"


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


def iso6709(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) from an ISO 6709 string in decimal degrees, as phones and ffmpeg
    write a video's place ("+38.7223-009.1393+012.0/"), or None."""
    found = _ISO6709.match(text.strip())
    if not found:
        return None
    lat, lon = float(found.group(1)), float(found.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat, lon) == (0, 0):
        return None
    return lat, lon


def _mdta_location(meta: bytes) -> str:
    """The `com.apple.quicktime.location.ISO6709` value of a QuickTime `meta` box's payload
    (its `keys` name each `ilst` item by number, as iPhones write them), or ''."""
    if meta[:4] == bytes(4):
        meta = meta[4:]  # the ISO form of `meta` starts with a version and flags; QuickTime's does not
    children = dict(_boxes(meta))
    keys, items = children.get(b"keys", b""), children.get(b"ilst", b"")
    names = [name for _, name in _boxes(keys[8:])]  # each key is a box: its namespace, then its name
    if LOCATION_KEY not in names:
        return ""
    wanted = struct.pack(">I", names.index(LOCATION_KEY) + 1)
    for kind, item in _boxes(items):
        if kind == wanted:
            data = dict(_boxes(item)).get(b"data", b"")
            return data[8:].decode("utf-8", "replace")  # after its type and locale
    return ""


def _boxes(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """The (type, payload) of each box laid end to end in `data`; stops at a damaged one."""
    at = 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        if size < 8 or at + size > len(data):
            return
        yield kind, data[at + 8:at + size]
        at += size


def _location(atoms: Any, f: Any) -> str:
    """A video's place as written in its header: `udta/©xyz` (Android phones, ffmpeg's
    `-metadata location=`), else the QuickTime `meta` keys (iPhones); '' when there is none."""
    # mutagen reads `meta` as the ISO full box, so its children are misread for QuickTime's
    # form; only the box's bytes are taken from it and _mdta_location reads them.
    for where in ((b"moov", b"udta", b"\xa9xyz"), (b"moov", b"meta")):
        try:
            _, payload = atoms.path(*where)[-1].read(f)
        except Exception:  # noqa: BLE001,S112 - no such box: try the other way of writing it
            continue
        text = payload[4:].decode("utf-8", "replace") if where[-1] != b"meta" else _mdta_location(payload)
        if text:
            return text
    return ""


def video_facts(path: str) -> dict[str, str]:
    """A video's creation date (YYYY-MM-DD) and place from its MP4/QuickTime header, when it
    has them; {} for any other file."""
    try:
        from mutagen.mp4 import Atoms  # type: ignore[attr-defined]  # public, not re-exported for mypy

        with open(path, "rb") as f:
            atoms = Atoms(f)
            _, head = atoms.path(b"moov", b"mvhd")[-1].read(f)
            position = iso6709(_location(atoms, f))
    except Exception as exc:  # noqa: BLE001 - not an MP4/QuickTime file, or a damaged one
        log.debug("no mvhd in %r: %s", path, exc)
        return {}
    out: dict[str, str] = {}
    if when := _created(head):
        out["date"] = when
    if position is not None and (name := place_name(*position)):
        out["place"] = name
    return out


def _created(head: bytes) -> str:
    """The creation date in an `mvhd` box's payload, or '' when it is unset or makes no sense."""
    if len(head) < 12 or (head[0] == 1 and len(head) < 20):
        return ""
    seconds = struct.unpack(">Q", head[4:12])[0] if head[0] == 1 else struct.unpack(">I", head[4:8])[0]
    when = MP4_EPOCH + timedelta(seconds=seconds)
    if when.year < 1971 or when > datetime.now(UTC) + timedelta(days=1):
        return ""  # unset (0) or nonsense: the file's own time says more
    return when.date().isoformat()
