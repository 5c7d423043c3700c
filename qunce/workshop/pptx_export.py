"""The deck as a PowerPoint file (python-pptx): title slide, one slide per step or case, notes.

No font is embedded. Every run names a Latin font and, through the `a:ea` element, an East Asian
one, and Chinese runs carry `lang="zh-CN"`; PowerPoint, Keynote and LibreOffice then draw the
Chinese with that font or their own CJK fallback instead of empty boxes. python-pptx cannot
measure text, so the body size is chosen from an estimate of how many lines the text needs.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from qunce.workshop.deck import Bi, Deck, DisplayLang, Slide

LATIN_FONT = "Arial"
# Windows has Microsoft YaHei; macOS and Linux substitute their own CJK sans (PingFang SC,
# Noto Sans CJK SC, WenQuanYi) for a missing East Asian font, which the `lang` attribute steers.
EA_FONT = "Microsoft YaHei"


def _in(inches: float) -> int:
    """A length in EMU (python-pptx lengths are ints)."""
    return int(Inches(inches))


WIDTH = _in(13.333)
HEIGHT = _in(7.5)
MARGIN = _in(0.6)
INK = RGBColor(0x1F, 0x29, 0x37)  # type: ignore[no-untyped-call]
MUTED = RGBColor(0x6B, 0x72, 0x80)  # type: ignore[no-untyped-call]
ACCENT = RGBColor(0xC2, 0x41, 0x0C)  # type: ignore[no-untyped-call]
BODY_SIZES = (24, 22, 20, 18, 16, 14, 12)
LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}
EMU_PER_INCH = 914_400
LINE_HEIGHT = 1.2  # single spacing of Arial / YaHei is about 1.2 times the size
NUMBERED = re.compile(r"^\d+\.\s")


@dataclass(frozen=True)
class Fonts:
    """The typefaces written into every run."""

    latin: str = LATIN_FONT
    east_asian: str = EA_FONT


def _set_fonts(run: object, lang: str, fonts: Fonts) -> None:
    r_pr = run._r.get_or_add_rPr()  # type: ignore[attr-defined]
    r_pr.set("lang", LANG_TAGS.get(lang, "zh-CN"))
    r_pr.set("altLang", "en-US" if lang == "zh" else "zh-CN")
    for tag in ("a:latin", "a:ea", "a:cs"):
        for old in r_pr.findall(qn(tag)):
            r_pr.remove(old)
    latin = OxmlElement("a:latin")
    latin.set("typeface", fonts.latin)
    ea = OxmlElement("a:ea")
    ea.set("typeface", fonts.east_asian)
    cs = OxmlElement("a:cs")
    cs.set("typeface", fonts.latin)
    # Schema order inside a:rPr: ln, fills, effects, highlight, ..., latin, ea, cs, sym, hlinks.
    anchor = None
    for tag in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst"):
        anchor = r_pr.find(qn(tag))
        if anchor is not None:
            break
    for element in (latin, ea, cs):
        if anchor is not None:
            anchor.addprevious(element)
        else:
            r_pr.append(element)


def _add_run(
    paragraph: object,
    text: str,
    lang: str,
    size: float,
    fonts: Fonts,
    *,
    bold: bool = False,
    color: RGBColor = INK,
) -> None:
    run = paragraph.add_run()  # type: ignore[attr-defined]
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    _set_fonts(run, lang, fonts)


def _units(text: str) -> float:
    """Width of `text` in 'CJK character' units: a Latin character is about half as wide."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.5 for ch in text)


def _lines_needed(pieces: Sequence[tuple[str, float]], width_in: float) -> float:
    """Lines that paragraphs of (text, size in pt) take in a box `width_in` inches wide."""
    total = 0.0
    for text, size in pieces:
        chars_per_line = max(1.0, width_in * 72 / size)
        total += sum(max(1, math.ceil(_units(line) / chars_per_line)) for line in text.split("\n"))
        total += 0.3  # space after each paragraph (space_after is 0.3 of the size)
    return total


def fit_size(pieces: Sequence[tuple[str, float]], width_in: float, height_in: float) -> int:
    """The largest body size (pt) at which the text is estimated to fit the box."""
    for size in BODY_SIZES:
        scaled = [(text, size * rel) for text, rel in pieces]
        lines = _lines_needed(scaled, width_in)
        if lines * size * LINE_HEIGHT <= height_in * 72:
            return size
    return BODY_SIZES[-1]


def _pieces(texts: Sequence[Bi], lang: DisplayLang) -> list[tuple[str, str, bool, bool]]:
    """(text, language, bullet, secondary) for each paragraph to write."""
    out: list[tuple[str, str, bool, bool]] = []
    for bi in texts:
        parts = bi.parts(lang)
        for index, (text, language) in enumerate(parts):
            out.append((text, language, bi.bullet, index > 0))
    return out


def _textbox(slide: object, left: int, top: int, width: int, height: int) -> object:
    box = slide.shapes.add_textbox(left, top, width, height)  # type: ignore[attr-defined]
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    return frame


def _write(
    frame: object,
    texts: Sequence[Bi],
    lang: DisplayLang,
    size: float,
    fonts: Fonts,
    *,
    bold: bool = False,
    color: RGBColor = INK,
) -> None:
    first = True
    for text, language, bullet, secondary in _pieces(texts, lang):
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()  # type: ignore[attr-defined]
        first = False
        paragraph.space_after = Pt(size * 0.3)
        mark = "" if NUMBERED.match(text) else "• "
        shown = f"{mark}{text}" if bullet and not secondary else (f"  {text}" if bullet else text)
        _add_run(
            paragraph,
            shown,
            language,
            size * (0.8 if secondary else 1.0),
            fonts,
            bold=bold and not secondary,
            color=MUTED if secondary and not bold else color,
        )


def _notes(slide: object, texts: Sequence[Bi], lang: DisplayLang, fonts: Fonts) -> None:
    frame = slide.notes_slide.notes_text_frame  # type: ignore[attr-defined]
    frame.text = ""
    first = True
    for text, language, _bullet, _secondary in _pieces(texts, lang):
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        _add_run(paragraph, text, language, 12, fonts)


def _slide(
    prs: object, slide: Slide, number: int, total: int, lang: DisplayLang, fonts: Fonts
) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[6])  # type: ignore[attr-defined]
    inner = WIDTH - 2 * MARGIN
    if slide.kind == "title":
        kicker = _textbox(page, MARGIN, _in(1.0), inner, _in(0.6))
        _write(kicker, [slide.kicker], lang, 18, fonts, color=ACCENT)
        title = _textbox(page, MARGIN, _in(1.6), inner, _in(1.5))
        _write(title, [slide.title], lang, 40, fonts, bold=True)
        body_top, body_height = _in(3.3), _in(3.7)
    else:
        kicker = _textbox(page, MARGIN, _in(0.35), inner, _in(0.5))
        _write(kicker, [slide.kicker], lang, 14, fonts, color=ACCENT)
        title_size = 28 if max(_units(slide.title.zh), _units(slide.title.en)) > 40 else 32
        title_pieces = [
            (t, title_size * (0.8 if secondary else 1.0))
            for t, _l, _b, secondary in _pieces([slide.title], lang)
        ]
        # The body starts below however many lines the title takes.
        title_lines = _lines_needed(title_pieces, inner / EMU_PER_INCH)
        title_height = _in(max(0.8, title_lines * title_size * LINE_HEIGHT / 72 + 0.1))
        title = _textbox(page, MARGIN, _in(0.85), inner, title_height)
        _write(title, [slide.title], lang, title_size, fonts, bold=True)
        title.vertical_anchor = MSO_ANCHOR.TOP  # type: ignore[attr-defined]
        body_top = _in(0.9) + title_height
        body_height = HEIGHT - body_top - _in(0.7)
    pieces = [(t, 0.8 if secondary else 1.0) for t, _l, _b, secondary in _pieces(slide.body, lang)]
    size = fit_size(pieces, inner / EMU_PER_INCH, body_height / EMU_PER_INCH)
    body = _textbox(page, MARGIN, body_top, inner, body_height)
    _write(body, slide.body, lang, size, fonts)
    footer = _textbox(page, MARGIN, HEIGHT - _in(0.55), inner, _in(0.4))
    paragraph = footer.paragraphs[0]  # type: ignore[attr-defined]
    _add_run(paragraph, f"{number} / {total}", "en", 11, fonts, color=MUTED)
    _notes(page, slide.notes, lang, fonts)


def deck_pptx(deck: Deck, lang: DisplayLang = "zh", fonts: Fonts | None = None) -> bytes:
    """The deck as a .pptx file in `lang` ("zh", "en", or "both": Chinese with English below)."""
    fonts = fonts or Fonts()
    prs = Presentation()
    prs.slide_width = Emu(WIDTH)
    prs.slide_height = Emu(HEIGHT)
    prs.core_properties.title = deck.agenda.title
    prs.core_properties.author = "Qunce 群策"
    prs.core_properties.language = "en-US" if lang == "en" else "zh-CN"
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, start=1):
        _slide(prs, slide, number, total, lang, fonts)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
