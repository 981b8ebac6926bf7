"""A messy home folder with an answer key: where a careful person would put each file.

The key is written from what each file is (a photo from 2023, a lease, an untagged song), not
from the skill's rules, and a few files are hard on purpose (a PNG holiday photo, "Bill's
birthday ideas", a scan whose only clue is the text inside). "hold" means the right answer is
to ask the user; "trash" means it is an exact copy of a file kept elsewhere."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from bench.files.samples import jpeg, mp3, mp4, pdf, touch

# Where the mess lies. Files already inside a tidy top folder (Documents/…, Photos/…) are the
# user's own order and stay, so none are put there.
PLACES = ["Downloads", "Desktop", "", "Downloads/old stuff", "Desktop/to sort"]
ARTISTS = [("Nina Simone", "Pastel Blues"), ("Radiohead", "OK Computer"), ("Björk", "Homogenic"),
           ("Miles Davis", "Kind of Blue"), ("Caetano Veloso", "Transa")]
DOCS = [  # (name, text inside, right folder)
    ("invoice_{n}.pdf", "Invoice {n} total 120 EUR", "Documents/Finance/Invoices"),
    ("scan_{n:04d}.pdf", "INVOICE No. {n} Acme GmbH", "Documents/Finance/Invoices"),
    ("receipt_shop_{n}.pdf", "Thank you for your purchase", "Documents/Finance/Receipts"),
    ("statement_{n}.pdf", "Account statement period {n}", "Documents/Finance/Statements"),
    ("Kontoauszug_{n}.pdf", "Kontoauszug Nr {n}", "Documents/Finance/Statements"),
    ("payslip_{n}.pdf", "Payslip for month {n}", "Documents/Finance/Payslips"),
    ("tax_return_{n}.pdf", "Tax return {n}", "Documents/Finance/Taxes"),
    ("lease_flat_{n}.pdf", "Residential lease", "Documents/Contracts"),
    ("doc_{n}.pdf", "Residential Tenancy Agreement between the parties", "Documents/Contracts"),
    ("CV_{n}.pdf", "Curriculum vitae", "Documents/Work/CV"),
    ("boarding_pass_{n}.pdf", "Boarding pass LIS gate 12", "Documents/Travel"),
    ("meeting notes {n}.txt", "Notes from the meeting", "Documents"),
    ("essay draft {n}.md", "# On walking", "Documents"),
    ("Bill's birthday ideas {n}.txt", "a kite, a book", "Documents"),
]
OTHERS = [  # (name, right folder)
    ("budget_{n}.xlsx", "Documents/Spreadsheets"), ("export_{n}.csv", "Documents/Spreadsheets"),
    ("talk_{n}.pptx", "Documents/Presentations"), ("photos_{n}.zip", "Archives"),
    ("backup_{n}.tar.gz", "Archives"), ("setup_{n}.exe", "Software/Installers"),
    ("app_{n}.deb", "Software/Installers"), ("novel_{n}.epub", "Books"), ("Inter_{n}.ttf", "Fonts"),
    ("Screenshot 2024-05-0{d} at 10.{n:02d}.png", "Pictures/Screenshots"),
    ("logo_{n}.svg", "Pictures"), ("clip_{n}.mp4", "Videos/{year}"), ("vid_{n}.mov", "Videos/{year}"),
    ("data_{n}.bin", "hold"), ("untitled_{n}", "hold"), ("dump_{n}.dat", "hold"),
]
TRIPS = [("Lisbon", (38.7138, -9.1394)), ("New York City", (40.7128, -74.0060)), ("Faro", (37.0194, -7.9304)),
         ("Kyoto", (35.0116, 135.7681))]


def make_home(home: Path, seed: int = 7, scale: int = 4) -> dict[str, str]:
    """Write the folder; return its answer key (path relative to home -> folder, hold or trash)."""
    rng = random.Random(seed)
    key: dict[str, str] = {}

    def spot(name: str) -> Path:
        folder = home / rng.choice(PLACES)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        n = 2
        while path.exists():
            path, n = folder / f"{n}_{name}", n + 1
        return path

    def rel(path: Path) -> str:
        return str(path.relative_to(home))

    for i in range(30 * scale):  # camera photos with EXIF
        year = rng.randint(2018, 2025)
        p = spot(f"{rng.choice(['IMG_', 'DSC', 'PXL_'])}{i:05d}.jpg")
        jpeg(p, f"{year}:0{rng.randint(1, 9)}:1{rng.randint(0, 9)} 10:00:00", rng.choice(["Pixel 7", "iPhone 13", None]))
        key[rel(p)] = f"Photos/{year}"
    for i in range(6 * scale):  # photos without EXIF: the file's date says the year
        year = rng.randint(2018, 2025)
        p = spot(f"photo_{i}.jpg")
        jpeg(p, None, None)
        touch(p, year)
        key[rel(p)] = f"Photos/{year}"
    for i in range(2 * scale):  # holiday photos saved as PNG: a person calls them photos
        year = rng.randint(2018, 2025)
        p = spot(f"holiday_beach_{i}.png")
        jpeg(p, None, None)
        touch(p, year)
        key[rel(p)] = f"Photos/{year}"
    for i in range(15 * scale):
        artist, album = rng.choice(ARTISTS)
        p = spot(f"{i:02d} track.mp3")
        mp3(p, artist, album, f"Song {i}")
        key[rel(p)] = f"Music/{artist}/{album}"
    for i in range(2 * scale):
        p = spot(f"voice memo {i}.mp3")
        mp3(p, None, None, f"memo {i}")
        key[rel(p)] = "Music"
    for i in range(3 * scale):
        for name, text, folder in DOCS:
            n = rng.randint(1, 9999)
            p = spot(name.format(n=n))
            if p.suffix == ".pdf":
                pdf(p, text.format(n=n) + f" ref {n}-{i}")
            else:
                p.write_text(text.format(n=n) + f" {i}")
            key[rel(p)] = folder
    for i in range(2 * scale):
        for name, folder in OTHERS:
            year = rng.randint(2018, 2025)
            p = spot(name.format(n=i, d=rng.randint(1, 9)))
            p.write_bytes(rng.randbytes(rng.randint(200, 3000)))
            touch(p, year)
            key[rel(p)] = folder.format(year=year)
    for i in range(5 * scale):  # trip photos with a GPS position: by year, then by place
        year, (town, (lat, lon)) = rng.randint(2018, 2025), rng.choice(TRIPS)
        p = spot(f"PXL_trip_{i:04d}.jpg")
        spread = (rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03))  # a few km around the town
        jpeg(p, f"{year}:07:1{rng.randint(0, 9)} 12:00:00", "Pixel 8", (lat + spread[0], lon + spread[1]))
        key[rel(p)] = f"Photos/{year}/{town}"
    for i in range(2 * scale):  # phone videos: the date in the file beats the file's own time
        year = rng.randint(2018, 2025)
        p = spot(f"VID_{i:04d}.mp4")
        mp4(p, datetime(year, 8, 1, 12, tzinfo=UTC))
        touch(p, 2026)
        key[rel(p)] = f"Videos/{year}"
    originals = [p for p in key if key[p] not in ("hold",)]
    for i, orig in enumerate(rng.sample(originals, 5 * scale)):  # exact copies, newer
        p = spot(f"copy {i} of {Path(orig).name}")
        p.write_bytes((home / orig).read_bytes())
        key[rel(p)] = "trash"
    return key
