"""The piece as a score: a music21 grand staff written as MusicXML, engraved to SVG by verovio,
and, when asked for, those pages as a PDF (WeasyPrint, as the letters' books are made).

MIDI numbers carry no spelling, so each pitch is named from the key (A-flat major has A-flat,
not G-sharp; a raised leading tone is a sharpened degree). music21 and verovio are imported only
here, when a score is written, so composing and the first sound never wait for them.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from os1.skills.music.compose import Piece
    from os1.skills.music.theory import Key


@lru_cache(maxsize=64)
def m21_key(key: Key) -> Any:
    from music21 import key as m21key

    return m21key.Key(key.tonic.replace("b", "-"), key.mode)


@lru_cache(maxsize=64)
def _names(key: Key) -> dict[int, Any]:
    return {p.pitchClass: p for p in m21_key(key).pitches}


def spell(key: Key, midi: int) -> Any:
    """A music21 Pitch for `midi`, named as the key names it."""
    from music21 import pitch

    names = _names(key)
    if midi % 12 in names:
        p = pitch.Pitch(names[midi % 12].name)
    else:  # a raised degree (the leading tone in minor, a chromatic neighbour)
        below = names.get((midi - 1) % 12)
        p = pitch.Pitch(below.name).transpose("A1") if below is not None else pitch.Pitch(midi=midi)
    p.octave = 4
    p.octave += (midi - p.midi) // 12
    return p


def to_score(piece: Piece, title: str = "") -> Any:
    """Two staves (right hand, left hand) in measures, with the key, meter and tempo."""
    from music21 import chord, clef, metadata, meter, note, stream, tempo

    score = stream.Score()
    score.metadata = metadata.Metadata(title=title or "For this moment", composer="")
    k = m21_key(piece.key)
    for hand, staff_clef in (("right", clef.TrebleClef()), ("left", clef.BassClef())):
        part = stream.Part()
        part.append(staff_clef)
        part.append(k)
        part.append(meter.TimeSignature(piece.intent.meter))
        if hand == "right":
            part.append(tempo.MetronomeMark(number=round(piece.tempo)))
        onsets: dict[float, list[int]] = defaultdict(list)
        lengths: dict[float, float] = {}
        for n in piece.notes:
            if n.hand == hand:
                onsets[n.start].append(n.pitch)
                lengths[n.start] = n.dur
        for start in sorted(onsets):
            pitches = sorted(onsets[start])
            element = (note.Note(spell(piece.key, pitches[0])) if len(pitches) == 1
                       else chord.Chord([spell(piece.key, p) for p in pitches]))
            element.quarterLength = lengths[start]
            part.insert(start, element)
        score.insert(0, part.makeMeasures())
    return score


def write_score(piece: Piece, folder: Path, title: str = "") -> dict[str, Path]:
    """score.musicxml and score-N.svg (one a page) in `folder`; returns their paths by kind."""
    from importlib import resources

    import verovio

    xml = folder / "score.musicxml"
    to_score(piece, title).write("musicxml", fp=str(xml))
    toolkit = verovio.toolkit()
    # The package sets its fonts' folder as the default once, at import; seen falling back to
    # the folder compiled into the wheel later in a long process (a test run), so every
    # toolkit is told it.
    toolkit.setResourcePath(str(resources.files("verovio") / "data"))
    toolkit.setOptions({"pageWidth": 2100, "pageHeight": 2970, "scale": 40, "adjustPageHeight": True})
    if not toolkit.loadFile(str(xml)):
        raise RuntimeError("verovio could not read the score")
    out = {"musicxml": xml}
    for page in range(1, toolkit.getPageCount() + 1):
        svg = folder / f"score-{page}.svg"
        svg.write_text(toolkit.renderToSVG(page), encoding="utf-8")
        out[f"svg{page}" if page > 1 else "svg"] = svg
    return out


PAGE_CSS = "@page { size: A4; margin: 12mm } img { display: block; width: 100%; break-after: page }"


def write_pdf(folder: Path) -> Path:
    """score.pdf from the engraved pages in `folder` (score-1.svg, score-2.svg…), one A4 page
    each, still vector (blocking; a second or two, so it is made when first asked for, not
    with every piece). verovio draws the music in an inner <svg> with only a viewBox, which
    WeasyPrint gives no size: it is told to fill the page it is on."""
    from weasyprint import HTML

    pages = sorted(folder.glob("score-*.svg"), key=lambda p: int(p.stem.split("-")[1]))
    if not pages:
        raise FileNotFoundError(f"no engraved score in {folder}")
    sized = []
    for page in pages:
        svg = page.read_text(encoding="utf-8")
        svg = svg.replace('<svg class="definition-scale"', '<svg class="definition-scale" width="100%" height="100%"', 1)
        sized.append(folder / f".print-{page.name}")
        sized[-1].write_text(svg, encoding="utf-8")
    html = f"<style>{PAGE_CSS}</style>" + "".join(f'<img src="{p.name}" alt="">' for p in sized)
    pdf, part = folder / "score.pdf", folder / ".score.pdf.part"  # whole or not there
    try:
        HTML(string=html, base_url=str(folder)).write_pdf(part)
        part.replace(pdf)
    finally:
        for p in sized:
            p.unlink(missing_ok=True)
    return pdf
