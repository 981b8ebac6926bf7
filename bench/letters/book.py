"""How long a 200-page book takes to compile: the PDF (WeasyPrint), the EPUB and four previews,
from letters made of the benchmark's prose.

    .venv/bin/python -m bench.letters.book [--letters 270] [--record]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.letters.letters_text import CLOSINGS, HELD_OUT, RECIPIENTS, SENTENCES
from os1.skills.letters.book import plan_book
from os1.skills.letters.bookmaking import compile_book
from os1.skills.letters.repository import Letter

COMMAND = "python -m bench.letters.book --record"


def letters(n: int) -> list[Letter]:
    rng = random.Random(5)
    prose = SENTENCES + HELD_OUT
    out = []
    for i in range(1, n + 1):
        name = rng.choice(RECIPIENTS)
        paras = [" ".join(rng.sample(prose, rng.randint(4, 7))) for _ in range(3)]
        body = f"Dear {name},\n\n" + "\n\n".join(paras) + "\n\n" + rng.choice(CLOSINGS)
        out.append(Letter(i, name, date(2026, 1, 1) + timedelta(days=i * 365 // n), "", body))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=270)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    plan = plan_book(letters(args.letters), "A Year of Letters", "Theodore Twombly",
                     introduction="These are the letters of one year.\n\n" * 3)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        files = compile_book(plan, Path(tmp), print)
        seconds = round(time.perf_counter() - start, 1)
    print(f"{files.pages} pages in {seconds} s")
    if args.record:
        from bench.figures import record

        record("letters.book_200p_compile_s", seconds, "s", "WeasyPrint 70 + EB Garamond", COMMAND,
               note=f"{args.letters} letters, {files.pages} pages A5, PDF + EPUB + 4 previews")


if __name__ == "__main__":
    main()
