"""The deck as a PowerPoint file (python-pptx): real placeholders, the product's colours, notes.

Every slide comes from a layout with a title placeholder (cover: *Title Slide*; text: *Title and
Content*; a case with figures: *Two Content*, its right half a native bar chart), so outline
views and screen readers see each slide's title and body. The theme is the product's: primary
#c2410c for the accent bar, kickers, key messages and bars; ink #1f2937 on a warm neutral
background (#fafaf9). Body text is at least 20 pt (18 pt in the bilingual deck); a body that
does not fit at that size goes into two columns, and what still does not fit moves to the
speaker notes rather than shrinking.

No font is embedded. Every run names a Latin font and, through `a:ea`, an East Asian one, and
Chinese runs carry `lang="zh-CN"`; PowerPoint, Keynote and LibreOffice then draw the Chinese with
that font or their own CJK fallback instead of empty boxes. python-pptx cannot measure text, so
sizes are chosen from an estimate of the lines each text needs.

Every text passes `budget.xml_safe` on its way in: a control character a trainer typed into a
title or note would otherwise make python-pptx refuse to write the file.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from qunce.workshop.budget import one_line, xml_safe
from qunce.workshop.deck import Bi, Chart, Deck, DisplayLang, Slide

LATIN_FONT = "Arial"
# Windows has Microsoft YaHei; macOS and Linux substitute their own CJK sans (PingFang SC,
# Noto Sans CJK SC, WenQuanYi) for a missing East Asian font, which the `lang` attribute steers.
EA_FONT = "Microsoft YaHei"


def _in(inches: float) -> int:
    """A length in EMU (python-pptx lengths are ints)."""
    return int(Inches(inches))


def _rgb(hex_code: str) -> RGBColor:
    red, green, blue = (int(hex_code[i : i + 2], 16) for i in (0, 2, 4))
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]


WIDTH = _in(13.333)
HEIGHT = _in(7.5)
MARGIN = _in(0.7)
INNER = WIDTH - 2 * MARGIN
EMU_PER_INCH = 914_400
PRIMARY_HEX = "C2410C"
INK_HEX = "1F2937"
MUTED_HEX = "57534E"
BACKGROUND_HEX = "FAFAF9"
INK = _rgb(INK_HEX)
MUTED = _rgb(MUTED_HEX)
ACCENT = _rgb(PRIMARY_HEX)
# Body sizes tried from the largest down; the smallest allowed depends on the deck's language.
BODY_SIZES = (28, 26, 24, 22, 20, 18)
MIN_BODY: dict[str, int] = {"zh": 20, "en": 20, "both": 18}
EMPHASIS = 1.4  # a key message, relative to the body
SECONDARY = 0.85  # the English line under the Chinese one in the bilingual deck
KICKER_SIZE = 16
FOOTER_SIZE = 12
NOTES_SIZE = 12
LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}
LINE_HEIGHT = 1.2  # single spacing of Arial / YaHei is about 1.2 times the size
SPACE_AFTER = 0.3  # space after a paragraph, relative to its size
NUMBERED = re.compile(r"^\d+\.\s")
# Layouts of python-pptx's default template.
COVER, CONTENT, TWO_CONTENT = 0, 1, 3
DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}


@dataclass(frozen=True)
class Fonts:
    """The typefaces written into every run."""

    latin: str = LATIN_FONT
    east_asian: str = EA_FONT


# ---------------------------------------------------------------- measuring (pure)


def _units(text: str) -> float:
    """Width of `text` in 'CJK character' units: a Latin character is about half as wide."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def _lines_needed(pieces: Sequence[tuple[str, float]], width_in: float) -> float:
    """Lines (in units of the first size) that paragraphs of (text, size pt) take in a box."""
    total = 0.0
    for text, size in pieces:
        chars_per_line = max(1.0, width_in * 72 / size)
        lines = sum(max(1, math.ceil(_units(line) / chars_per_line)) for line in text.split("\n"))
        total += (lines + SPACE_AFTER) * size
    return total


def fit_size(pieces: Sequence[tuple[str, float]], width_in: float, height_in: float) -> int:
    """The largest body size (pt) at which paragraphs of (text, relative size) fit the box."""
    for size in BODY_SIZES:
        needed = _lines_needed([(t, size * rel) for t, rel in pieces], width_in) * LINE_HEIGHT
        if needed <= height_in * 72:
            return size
    return BODY_SIZES[-1]


@dataclass(frozen=True)
class BodyFit:
    """How a body is set: its size, its columns, and which paragraphs stay on the slide."""

    size: int
    columns: int
    kept: tuple[int, ...]


COLUMN_GAP_IN = 0.4


def _height_in(lines: Sequence[Sequence[tuple[str, float]]], width: float) -> float:
    """Inches that paragraphs of lines (text, size) take: the space after each paragraph once."""
    total = 0.0
    for para in lines:
        total += _lines_needed(para, width) - SPACE_AFTER * sum(size for _t, size in para[1:])
    return total * LINE_HEIGHT / 72


def _fits(
    measured: Sequence[Sequence[tuple[str, float]]], columns: int, width_in: float, height_in: float
) -> bool:
    width = (width_in - COLUMN_GAP_IN * (columns - 1)) / columns
    if columns == 1:
        return _height_in(measured, width) <= height_in
    # A paragraph never breaks across columns: fill each column greedily, in order.
    filled, used = 1, 0.0
    for para in measured:
        need = _height_in([para], width)
        if used + need > height_in:
            filled, used = filled + 1, 0.0
            if need > height_in or filled > columns:
                return False
        used += need
    return True


def fit_body(body: Sequence[Para], width_in: float, height_in: float, minimum: int) -> BodyFit:
    """The largest size ≥ `minimum` (one column, else two for a list) at which the body fits.

    If nothing fits at `minimum`, the leading prose (a summary before a list) leaves the slide
    first, then paragraphs from the end; the caller puts them in the speaker notes.
    """
    sizes = [s for s in BODY_SIZES if s >= minimum]
    column_options = (1, 2) if len(body) >= 4 else (1,)
    everything = tuple(range(len(body)))
    lead = next((i for i, p in enumerate(body) if p.bullet), 0)
    candidates = [everything]
    if 0 < lead < len(body) - 1:
        candidates.append(everything[lead:])
    for kept in candidates:
        for columns in column_options:
            for size in sizes:
                measured = [body[i].measure(size, minimum) for i in kept]
                if _fits(measured, columns, width_in, height_in):
                    return BodyFit(size, columns, kept)
    kept = candidates[-1]
    columns = column_options[-1]
    while len(kept) > 1:
        kept = kept[:-1]
        if _fits([body[i].measure(minimum, minimum) for i in kept], columns, width_in, height_in):
            break
    return BodyFit(minimum, columns, kept)


# ---------------------------------------------------------------- runs and paragraphs


def _set_fonts(run: Any, lang: str, fonts: Fonts) -> None:
    r_pr = run._r.get_or_add_rPr()
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
    paragraph: Any,
    text: str,
    lang: str,
    size: float,
    fonts: Fonts,
    *,
    bold: bool = False,
    color: RGBColor = INK,
) -> None:
    run = paragraph.add_run()
    run.text = xml_safe(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    _set_fonts(run, lang, fonts)


def _no_bullet(paragraph: Any, indent_emu: int = 0) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("marL", str(indent_emu))
    p_pr.set("indent", "0")
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum", "a:buFont"):
        for old in p_pr.findall(qn(tag)):
            p_pr.remove(old)
    # a:buNone comes after spacing and before tab stops / default run properties.
    bu_none = OxmlElement("a:buNone")
    follower = next(
        (
            p_pr.find(qn(t))
            for t in ("a:tabLst", "a:defRPr", "a:extLst")
            if p_pr.find(qn(t)) is not None
        ),
        None,
    )
    if follower is not None:
        follower.addprevious(bu_none)
    else:
        p_pr.append(bu_none)


@dataclass(frozen=True)
class Para:
    """One paragraph to write: a text in one language, or Chinese with English on a new line."""

    parts: tuple[tuple[str, str], ...]  # (text, language); a second part is the English line
    bullet: bool
    emphasis: bool

    @property
    def text(self) -> str:
        """All of its text (for the notes and for measuring)."""
        return "\n".join(text for text, _lang in self.parts)

    def sizes(self, size: int, minimum: int) -> list[float]:
        """The size of each part: a key message larger, the English line a little smaller."""
        first = size * EMPHASIS if self.emphasis else float(size)
        return [first] + [max(float(minimum), first * SECONDARY)] * (len(self.parts) - 1)

    def measure(self, size: int, minimum: int) -> list[tuple[str, float]]:
        """(text, size) of each line, for `_lines_needed`."""
        return list(zip((t for t, _l in self.parts), self.sizes(size, minimum), strict=True))


def paragraphs(texts: Sequence[Bi], lang: DisplayLang) -> list[Para]:
    """The paragraphs to write for `texts` in `lang`."""
    return [Para(tuple(bi.parts(lang)), bi.bullet, bi.emphasis) for bi in texts]


BULLET_INDENT = 342_900  # the master's first-level bullet indent (0.375 in)


def _write_body(frame: Any, body: Sequence[Para], size: int, minimum: int, fonts: Fonts) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for index, para in enumerate(body):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        sizes = para.sizes(size, minimum)
        paragraph.space_after = Pt(size * SPACE_AFTER)
        paragraph.space_before = Pt(0)
        paragraph.alignment = PP_ALIGN.LEFT
        first_text = para.parts[0][0]
        if para.bullet and not NUMBERED.match(first_text):
            paragraph.level = 0  # the master's bullet
        else:
            _no_bullet(paragraph)
        for part, ((text, language), run_size) in enumerate(zip(para.parts, sizes, strict=True)):
            if part:
                paragraph.add_line_break()
            _add_run(
                paragraph, text, language, run_size, fonts,
                bold=para.emphasis and not part,
                color=ACCENT if para.emphasis and not part else (MUTED if part else INK),
            )  # fmt: skip


def _set_columns(frame: Any, columns: int) -> None:
    body_pr = frame._txBody.find(qn("a:bodyPr"))
    if columns > 1:
        body_pr.set("numCol", str(columns))
        body_pr.set("spcCol", str(_in(COLUMN_GAP_IN)))


# ---------------------------------------------------------------- theme and template


def _theme_xml(xml: bytes, fonts: Fonts) -> bytes:
    """The default theme with the product's colours and fonts."""
    root = etree.fromstring(xml)
    scheme = root.find(".//a:clrScheme", NS)
    colours = {
        "dk1": INK_HEX, "lt1": "FFFFFF", "dk2": "292524", "lt2": "F5F5F4",
        "accent1": PRIMARY_HEX, "accent2": "EA580C", "accent3": "0F766E", "accent4": "57534E",
        "accent5": "B45309", "accent6": "1D4ED8", "hlink": PRIMARY_HEX, "folHlink": "9A3412",
    }  # fmt: skip
    if scheme is not None:
        scheme.set("name", "Qunce")
        for name, value in colours.items():
            slot = scheme.find(f"a:{name}", NS)
            if slot is None:
                continue
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, qn("a:srgbClr")).set("val", value)
    for kind in ("majorFont", "minorFont"):
        font = root.find(f".//a:fontScheme/a:{kind}", NS)
        if font is None:
            continue
        latin, ea = font.find("a:latin", NS), font.find("a:ea", NS)
        if latin is not None:
            latin.set("typeface", fonts.latin)
        if ea is not None:
            ea.set("typeface", fonts.east_asian)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


_ACCENT_BAR = f"""<p:sp xmlns:p="{NS["p"]}" xmlns:a="{NS["a"]}">
  <p:nvSpPr>
    <p:cNvPr id="90" name="Accent bar">
      <a:extLst><a:ext uri="{DECORATIVE_URI}">
        <adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>
      </a:ext></a:extLst>
    </p:cNvPr>
    <p:cNvSpPr/><p:nvPr userDrawn="1"/>
  </p:nvSpPr>
  <p:spPr>
    <a:xfrm><a:off x="0" y="0"/><a:ext cx="{_in(0.16)}" cy="{HEIGHT}"/></a:xfrm>
    <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
    <a:solidFill><a:srgbClr val="{PRIMARY_HEX}"/></a:solidFill>
    <a:ln><a:noFill/></a:ln>
  </p:spPr>
</p:sp>"""


def _widen(element: Any, factor: float) -> None:
    """Stretch every placeholder frame of a master or layout horizontally (4:3 → 16:9)."""
    for xfrm in element.iter(qn("a:xfrm")):
        off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        if off is not None:
            off.set("x", str(int(int(off.get("x")) * factor)))
        if ext is not None:
            ext.set("cx", str(int(int(ext.get("cx")) * factor)))


def _template(fonts: Fonts) -> Any:
    """python-pptx's default template, 16:9, in the product's theme."""
    prs = Presentation()
    factor = WIDTH / prs.slide_width
    prs.slide_width = Emu(WIDTH)
    prs.slide_height = Emu(HEIGHT)
    master = prs.slide_master
    _widen(master._element, factor)
    for layout in prs.slide_layouts:
        _widen(layout._element, factor)
    theme = master.part.part_related_by(RT.THEME)
    # The theme part is a plain Part: its XML is replaced as bytes.
    theme._blob = _theme_xml(theme.blob, fonts)
    master.background.fill.solid()
    master.background.fill.fore_color.rgb = _rgb(BACKGROUND_HEX)
    tree = master.shapes._spTree
    tree.append(etree.fromstring(_ACCENT_BAR))
    title_style = master._element.find(".//p:txStyles/p:titleStyle/a:lvl1pPr", NS)
    if title_style is not None:
        title_style.set("algn", "l")
    return prs


# ---------------------------------------------------------------- slides


def _kicker(page: Any, slide: Slide, lang: DisplayLang, fonts: Fonts, top: float) -> None:
    box = page.shapes.add_textbox(MARGIN, _in(top), INNER, _in(0.45))
    box.name = "Kicker"
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    text, language = slide.kicker.parts("zh" if lang == "both" else lang)[0]
    _add_run(frame.paragraphs[0], one_line(text), language, KICKER_SIZE, fonts, color=ACCENT)


def _title(page: Any, slide: Slide, lang: DisplayLang, fonts: Fonts, size: int) -> float:
    """Fill the title placeholder; returns the height it takes, in inches."""
    placeholder = page.shapes.title
    frame = placeholder.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    parts = slide.title.parts(lang)
    measured = []
    for index, (text, language) in enumerate(parts):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.space_after = Pt(0)
        run_size = size if index == 0 else max(20, round(size * 0.65))
        clean = one_line(text)
        _add_run(
            paragraph, clean, language, run_size, fonts, bold=index == 0,
            color=INK if index == 0 else MUTED,
        )  # fmt: skip
        measured.append((clean, float(run_size)))
    inner_in = INNER / EMU_PER_INCH - 0.2
    lines = sum(
        max(1, math.ceil(_units(text) / max(1.0, inner_in * 72 / size))) * size
        for text, size in measured
    )
    return lines * LINE_HEIGHT / 72 + 0.15


def _title_size(slide: Slide, lang: DisplayLang, cover: bool) -> int:
    longest = max(_units(one_line(t)) for t, _l in slide.title.parts(lang))
    if cover:
        return 44 if longest <= 22 else 36
    return 36 if longest <= 24 else 32 if longest <= 34 else 28


def _place(shape: Any, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _body(
    page: Any,
    placeholder: Any,
    texts: Sequence[Bi],
    lang: DisplayLang,
    box: tuple[int, int, int, int],
    fonts: Fonts,
) -> list[Para]:
    """Set the body into `placeholder` at `box`; returns the paragraphs that did not fit."""
    left, top, width, height = box
    _place(placeholder, left, top, width, height)
    body = paragraphs(texts, lang)
    minimum = MIN_BODY[lang]
    fit = fit_body(body, width / EMU_PER_INCH - 0.2, height / EMU_PER_INCH - 0.1, minimum)
    frame = placeholder.text_frame
    _set_columns(frame, fit.columns)
    _write_body(frame, [body[i] for i in fit.kept], fit.size, minimum, fonts)
    return [p for i, p in enumerate(body) if i not in fit.kept]


def _chart(
    page: Any, chart: Chart, lang: DisplayLang, box: tuple[int, int, int, int], fonts: Fonts
) -> None:
    shown_lang = "zh" if lang == "both" else lang
    integers = all(float(f.value).is_integer() for f in chart.figures)
    number_format = "#,##0" if integers else "#,##0.##"
    data = CategoryChartData(number_format=number_format)  # type: ignore[no-untyped-call]
    if lang == "both":
        data.categories = [
            "\n".join(one_line(t) for t, _l in f.label().parts("both")) for f in chart.figures
        ]
    else:
        data.categories = [one_line(f.label().get(shown_lang)) for f in chart.figures]
    values = [f.value for f in chart.figures]
    data.add_series(one_line(chart.unit.get(shown_lang)), values)  # type: ignore[no-untyped-call]
    left, top, width, height = box
    frame = page.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, left, top, width, height, data)
    frame.name = "Figures chart"
    described = "; ".join(
        f"{one_line(f.label().get(shown_lang))}: {f.value:,g} {one_line(f.unit.get(shown_lang))}"
        for f in chart.figures
    )
    frame._element.nvGraphicFramePr.cNvPr.set("descr", xml_safe(f"Bar chart. {described}"))
    graph = frame.chart
    graph.has_legend = False
    graph.font.size = Pt(16)
    graph.font.color.rgb = INK
    def_rpr = graph._chartSpace.find(".//" + qn("a:defRPr"))
    if def_rpr is not None:
        for tag, face in (("a:latin", fonts.latin), ("a:ea", fonts.east_asian)):
            element = OxmlElement(tag)
            element.set("typeface", face)
            def_rpr.append(element)
    graph.has_title = True
    title_frame = graph.chart_title.text_frame
    title_frame.text = ""
    _add_run(
        title_frame.paragraphs[0],
        one_line(chart.title.get(shown_lang)),
        shown_lang,
        18,
        fonts,
        color=MUTED,
    )
    plot = graph.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(18)
    labels.font.bold = True
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    # One line per label: LibreOffice otherwise wraps "100,000,000" after a few digits.
    body_pr = labels._element.find(".//" + qn("a:bodyPr"))
    if body_pr is not None:
        body_pr.set("wrap", "none")
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = ACCENT
    categories = graph.category_axis
    categories.reverse_order = True
    categories.tick_labels.font.size = Pt(16 if lang != "both" else 14)
    categories.format.line.color.rgb = _rgb("D6D3D1")
    axis = graph.value_axis
    axis.visible = False
    axis.has_major_gridlines = False
    axis.minimum_scale = 0
    axis.maximum_scale = max(values) * 1.55 or 1  # room for the labels


def _footer(page: Any, number: int, total: int, fonts: Fonts) -> None:
    box = page.shapes.add_textbox(WIDTH - MARGIN - _in(2), HEIGHT - _in(0.5), _in(2), _in(0.35))
    box.name = "Slide number"
    paragraph = box.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    _add_run(paragraph, f"{number} / {total}", "en", FOOTER_SIZE, fonts, color=MUTED)


def _notes(
    page: Any, texts: Sequence[Bi], overflow: Sequence[Para], lang: DisplayLang, fonts: Fonts
) -> None:
    frame = page.notes_slide.notes_text_frame
    frame.text = ""
    lines = [part for p in paragraphs(texts, lang) for part in p.parts]
    if overflow:
        heading = {"en": "Not on the slide (no room):"}.get(lang, "幻灯片上放不下的内容：")
        lines.append((heading, "en" if lang == "en" else "zh"))
        lines += [part for p in overflow for part in p.parts]
    for index, (text, language) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _add_run(paragraph, text, language, NOTES_SIZE, fonts)


def _slide(
    prs: Any, slide: Slide, number: int, total: int, lang: DisplayLang, fonts: Fonts
) -> None:
    cover = slide.kind == "title"
    layout = COVER if cover else TWO_CONTENT if slide.chart else CONTENT
    page = prs.slides.add_slide(prs.slide_layouts[layout])
    title_top = 1.35 if cover else 0.8
    _place(page.shapes.title, MARGIN, _in(title_top), INNER, _in(1.5))
    title_height = _title(page, slide, lang, fonts, _title_size(slide, lang, cover))
    page.shapes.title.height = _in(title_height)
    body_top = title_top + title_height + (0.35 if cover else 0.15)
    body_height = 7.5 - 0.65 - body_top
    placeholders = {p.placeholder_format.idx: p for p in page.placeholders}
    overflow: list[Para] = []
    if slide.chart is not None:
        half = (INNER - _in(0.4)) // 2
        overflow = _body(
            page, placeholders[1], slide.body, lang,
            (MARGIN, _in(body_top), half, _in(body_height)), fonts,
        )  # fmt: skip
        right = placeholders[2]
        right._element.getparent().remove(right._element)
        _chart(
            page, slide.chart, lang,
            (MARGIN + half + _in(0.4), _in(body_top - 0.1), half, _in(body_height + 0.1)), fonts,
        )  # fmt: skip
    else:
        overflow = _body(
            page, placeholders[1], slide.body, lang,
            (MARGIN, _in(body_top), INNER, _in(body_height)), fonts,
        )  # fmt: skip
        if slide.kind == "step":
            # One message in the middle of the slide reads as meant, not as half a slide empty.
            placeholders[1].text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _kicker(page, slide, lang, fonts, 0.85 if cover else 0.32)
    _footer(page, number, total, fonts)
    _notes(page, slide.notes, overflow, lang, fonts)


def deck_pptx(deck: Deck, lang: DisplayLang = "zh", fonts: Fonts | None = None) -> bytes:
    """The deck as a .pptx file in `lang` ("zh", "en", or "both": Chinese with English below)."""
    fonts = fonts or Fonts()
    prs = _template(fonts)
    prs.core_properties.title = one_line(deck.agenda.title)[:255]
    prs.core_properties.author = "Qunce 群策"
    prs.core_properties.language = "en-US" if lang == "en" else "zh-CN"
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, start=1):
        _slide(prs, slide, number, total, lang, fonts)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
