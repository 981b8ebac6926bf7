"""Real small files for the files benchmark and tests: a JPEG with EXIF, an MP3 with ID3 tags,
a PDF with a line of text, made with the same libraries the skill reads them with."""

from __future__ import annotations

import io
import os
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz


def jpeg(path: Path, date: str | None, camera: str | None, gps: tuple[float, float] | None = None) -> None:
    """An 8x8 JPEG with DateTimeOriginal (YYYY:MM:DD HH:MM:SS), the camera model and, if given,
    the GPS position (latitude, longitude in degrees)."""
    from PIL import Image

    seed = zlib.crc32(path.name.encode())
    im = Image.new("RGB", (8, 8), (seed % 251, seed // 251 % 251, seed // 63001 % 251))
    exif = Image.Exif()
    if camera:
        exif[272] = camera
    if date:
        exif.get_ifd(0x8769)[36867] = date
    if gps:
        ifd = exif.get_ifd(0x8825)
        for (ref, value), (pos, neg) in zip(((1, 2), (3, 4)), (("N", "S"), ("E", "W")), strict=True):
            deg = abs(gps[ref // 2])
            ifd[ref] = pos if gps[ref // 2] >= 0 else neg
            ifd[value] = (float(int(deg)), float(int(deg * 60 % 60)), round(deg * 3600 % 60, 2))
    im.save(path, format="JPEG", exif=exif)


def mp4(path: Path, created: datetime | None, where: str = "", apple: bool = False) -> None:
    """A QuickTime/MP4 file with nothing but its header: `ftyp` and a `moov` box whose `mvhd`
    says when it was made (seconds since 1904, as cameras write it) and, given `where` (ISO 6709,
    "+38.7223-009.1393/"), its place: in `udta/©xyz` as Android phones and ffmpeg write it, or
    with `apple` as the `com.apple.quicktime.location.ISO6709` key iPhones write."""
    seconds = int((created - datetime(1904, 1, 1, tzinfo=UTC)).total_seconds()) if created else 0
    mvhd = struct.pack(">B3xIIII", 0, seconds, seconds, 1000, 5000) + b"\x00\x01\x00\x00\x01\x00" + bytes(70)
    moov = _box(b"mvhd", mvhd)
    if where and apple:
        keys = struct.pack(">II", 0, 1) + _box(b"mdta", b"com.apple.quicktime.location.ISO6709")
        item = _box(b"data", struct.pack(">II", 1, 0) + where.encode())
        moov += _box(b"meta", _box(b"hdlr", bytes(8) + b"mdta" + bytes(13)) + _box(b"keys", keys)
                     + _box(b"ilst", _box(struct.pack(">I", 1), item)))
    elif where:
        moov += _box(b"udta", _box(b"\xa9xyz", struct.pack(">HH", len(where), 0x15C7) + where.encode()))
    path.write_bytes(struct.pack(">I4s4sI4s", 20, b"ftyp", b"isom", 0, b"isom") + _box(b"moov", moov))


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp3(path: Path, artist: str | None, album: str | None, title: str) -> None:
    from mutagen.id3 import ID3, TALB, TIT2, TPE1

    path.write_bytes(MP3_FRAME * 6 + title.encode())
    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    if artist:
        tags.add(TPE1(encoding=3, text=artist))
    if album:
        tags.add(TALB(encoding=3, text=album))
    tags.save(path)


def pdf(path: Path, text: str) -> None:
    """A one-page PDF that says `text` (enough for pypdf to read it back)."""
    safe = text.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    path.write_bytes(out.getvalue())


def touch(path: Path, year: int) -> None:
    """Give a file an mtime in `year` (what places a photo without EXIF)."""
    t = int(__import__("datetime").datetime(year, 6, 1).timestamp())
    os.utime(path, (t, t))
