"""The PPTX deck as an audience and an outline view see it (python-pptx only, no LibreOffice):
title placeholders, the theme, sizes, short step slides, the trainer layer, charts, file names."""

from __future__ import annotations

import dataclasses
import io
import re
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from qunce.content.catalogue import Catalogue
from qunce.content.schema import Exercise, KeyMessage, Playbook, Text, Trainer
from qunce.workshop.agenda import Agenda, Block
from qunce.workshop.budget import (
    STEP_EN,
    STEP_ZH,
    en_words,
    one_line,
    shorten_en,
    shorten_zh,
    xml_safe,
    zh_units,
)
from qunce.workshop.deck import Bi, build_deck, step_body
from qunce.workshop.files import deck_filename, report_filename, safe_stem
from qunce.workshop.pptx_export import MIN_BODY, Para, deck_pptx, fit_body

BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE}
CJK = re.compile(r"[\u4e00-\u9fff]")
KEY = KeyMessage(zh="先找对人，再拉进群", en="Find the right people before you open the group")


@pytest.fixture(scope="module")
def trained(catalogue: Catalogue) -> Catalogue:
    """The real content, with a trainer layer and key messages on `launch-rules` (fixture text)."""
    book = catalogue.items["launch-rules"]
    assert isinstance(book, Playbook)
    steps = [s.model_copy(update={"key_message": KEY if n % 2 == 0 else None})
             for n, s in enumerate(book.steps)]  # fmt: skip
    trainer = Trainer(
        questions=[
            Text(zh="你们的群为谁而建？", en="Who is your group for?"),
            Text(zh="哪一条群规最先被违反？", en="Which rule will be broken first?"),
        ],
        exercise=Exercise(
            title=Text(zh="算一算：种子用户够不够", en="Do the sums: enough seed members?"),
            brief=Text(
                zh="用漏斗计算器估算邀请、进群和第一周发言的人数，写下三个数字交给培训师。" * 3,
                en="Use the funnel calculator to estimate invitations, joins and first-week "
                "speakers; hand the trainer your three numbers. " * 3,
            ),
            calculator="funnel",
            inputs={"visitors": 300},
        ),
        anchor_case="xiaomi-fans",
    )
    changed = book.model_copy(update={"steps": steps, "trainer": trainer})
    return dataclasses.replace(catalogue, items={**catalogue.items, "launch-rules": changed})


@pytest.fixture(scope="module")
def agenda_plain() -> Agenda:
    """A playbook with a trainer layer, and a case that is not its anchor case."""
    return Agenda(
        title="社群启动\x0b工作坊 <第一期>",
        blocks=(
            Block(item="launch-rules", minutes=40, note="注意\x00时间\x1b[31m"),
            Block(item="momo-pain-points", minutes=15),
        ),
    )


def _open(deck_bytes: bytes) -> Any:
    return Presentation(io.BytesIO(deck_bytes))


def _body_runs(slide: Any) -> list[Any]:
    return [
        run
        for shape in slide.placeholders
        if shape.placeholder_format.type in BODY_TYPES
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    ]


def _body_text(slide: Any) -> tuple[str, str]:
    """(Chinese, English) text of the slide's body placeholders."""
    zh, en = [], []
    for run in _body_runs(slide):
        (zh if CJK.search(run.text) else en).append(run.text)
    return " ".join(zh), " ".join(en)


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_every_slide_has_a_title_placeholder_and_readable_body(
    trained: Catalogue, agenda_plain: Agenda, lang: str
) -> None:
    deck = build_deck(agenda_plain, trained)
    prs = _open(deck_pptx(deck, lang))  # type: ignore[arg-type]
    assert len(prs.slides) == len(deck.slides)
    for index, slide in enumerate(prs.slides):
        title = slide.shapes.title
        assert title is not None and title.is_placeholder, index
        assert title.text_frame.text.strip(), index
        assert all(r.font.size.pt >= 20 for p in title.text_frame.paragraphs for r in p.runs)
        runs = _body_runs(slide)
        assert runs, f"slide {index + 1} has no body placeholder text"
        sizes = {r.font.size.pt for r in runs}
        assert min(sizes) >= MIN_BODY[lang], (index, sizes)
    assert prs.slide_width > prs.slide_height  # 16:9


def test_the_theme_is_the_products(trained: Catalogue, agenda_plain: Agenda) -> None:
    prs = _open(deck_pptx(build_deck(agenda_plain, trained), "zh"))
    theme = prs.slide_master.part.part_related_by(RT.THEME).blob.decode("utf-8")
    assert '<a:accent1><a:srgbClr val="C2410C"/>' in theme
    assert 'typeface="Microsoft YaHei"' in theme
    fill = prs.slide_master.background.fill
    assert str(fill.fore_color.rgb) == "FAFAF9"
    names = {shape.name for shape in prs.slide_master.shapes}
    assert "Accent bar" in names
    layouts = {slide.slide_layout.name for slide in prs.slides}
    assert layouts == {"Title Slide", "Title and Content", "Two Content"}


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_step_slides_stay_within_the_budget(
    trained: Catalogue, agenda_plain: Agenda, lang: str
) -> None:
    deck = build_deck(agenda_plain, trained)
    prs = _open(deck_pptx(deck, lang))  # type: ignore[arg-type]
    steps = [p for s, p in zip(deck.slides, prs.slides, strict=True) if s.kind == "step"]
    assert len(steps) == 9
    for page in steps:
        zh, en = _body_text(page)
        assert zh_units(zh) <= STEP_ZH, zh
        assert en_words(en) <= STEP_EN, en
        notes = page.notes_slide.notes_text_frame.text
        assert "做法" in notes or "What to do" in notes  # the detail is in the notes
    first = prs.slides[[s.key for s in deck.slides].index("step:launch-rules:state-who-and-why")]
    paragraph = next(
        p for p in first.placeholders if p.placeholder_format.idx == 1
    ).text_frame.paragraphs[0]
    expected = {"zh": KEY.zh, "en": KEY.en, "both": KEY.zh}[lang]
    assert paragraph.runs[0].text == expected  # the key message leads, large and bold
    assert paragraph.runs[0].font.bold and paragraph.runs[0].font.size.pt >= 28


def test_the_trainer_layer_gets_its_own_slides(trained: Catalogue, agenda_plain: Agenda) -> None:
    deck = build_deck(agenda_plain, trained)
    keys = [s.key for s in deck.slides]
    book = keys.index("playbook:launch-rules")
    # opening, then-and-now, nine steps, then the trainer layer
    assert keys[book + 1] == "now:launch-rules"
    assert keys[book + 11 : book + 14] == [
        "anchor:launch-rules:xiaomi-fans",
        "discuss:launch-rules",
        "exercise:launch-rules",
    ]
    prs = _open(deck_pptx(deck, "zh"))
    discuss = prs.slides[keys.index("discuss:launch-rules")]
    assert discuss.shapes.title.text_frame.text == "小组讨论"
    assert "你们的群为谁而建" in _body_text(discuss)[0]
    assert "哪一条群规最先被违反" in _body_text(discuss)[0]
    exercise = prs.slides[keys.index("exercise:launch-rules")]
    body = _body_text(exercise)[0]
    assert "15 分钟" in body and "计算器" in body
    assert "visitors = 300" in exercise.notes_slide.notes_text_frame.text
    assert "练习说明" in exercise.notes_slide.notes_text_frame.text  # the whole brief
    # With the anchor case on the agenda, it is not shown twice.
    with_case = Agenda(
        title="t",
        blocks=(Block(item="launch-rules", minutes=40), Block(item="xiaomi-fans", minutes=10)),
    )
    keys = [s.key for s in build_deck(with_case, trained).slides]
    assert "anchor:launch-rules:xiaomi-fans" not in keys and "case:xiaomi-fans" in keys


def test_a_case_shows_its_figures_as_a_native_chart(
    trained: Catalogue, agenda_plain: Agenda
) -> None:
    deck = build_deck(agenda_plain, trained)
    index = [s.key for s in deck.slides].index("anchor:launch-rules:xiaomi-fans")
    chart_data = deck.slides[index].chart
    assert chart_data is not None and len(chart_data.figures) >= 2
    assert len({f.unit.en for f in chart_data.figures}) == 1
    for lang in ("zh", "en", "both"):
        slide = _open(deck_pptx(deck, lang)).slides[index]  # type: ignore[arg-type]
        frames = [s for s in slide.shapes if s.has_chart]
        assert len(frames) == 1
        chart = frames[0].chart
        values = list(chart.plots[0].series[0].values)
        assert values == [f.value for f in chart_data.figures]
        assert len(chart.plots[0].categories) == len(values)
        assert frames[0]._element.nvGraphicFramePr.cNvPr.get("descr").startswith("Bar chart.")
        assert slide.slide_layout.name == "Two Content"


def test_control_characters_never_break_the_export(
    trained: Catalogue, agenda_plain: Agenda
) -> None:
    deck = build_deck(agenda_plain, trained)
    for lang in ("zh", "en", "both"):
        prs = _open(deck_pptx(deck, lang))  # type: ignore[arg-type]
        assert prs.slides[0].shapes.title.text_frame.text == "社群启动 工作坊 <第一期>"
        assert prs.core_properties.title == "社群启动 工作坊 <第一期>"
        notes = prs.slides[1].notes_slide.notes_text_frame.text
        assert "注意时间[31m" in notes and "\x00" not in notes and "\x1b" not in notes


def test_file_names_keep_the_title_and_are_safe_everywhere() -> None:
    assert deck_filename("社群启动半日工作坊", "zh") == "社群启动半日工作坊 - slides (zh).pptx"
    assert safe_stem("../../etc/passwd") == "etc-passwd"
    assert safe_stem('a<b>c:d"e|f?g*h\\i') == "a-b-c-d-e-f-g-h-i"
    assert safe_stem("第一期\x00\x1b\n\t结束. ") == "第一期 结束"
    assert safe_stem("CON") == "CON-qunce-workshop"
    assert safe_stem("nul.txt") == "nul.txt-qunce-workshop"
    assert safe_stem("\x00 /") == "qunce-workshop"
    long = safe_stem("长" * 200)
    assert len(long.encode("utf-8")) <= 120 and long.startswith("长长")
    assert report_filename("A/B", "en", "xlsx") == "A-B - report (en).xlsx"


def test_budget_functions() -> None:
    assert shorten_zh("一二三四五", 10) == "一二三四五"
    short = shorten_zh("先做这个，再做那个，最后做第三件事情然后收尾", 12)
    assert short == "先做这个，再做那个…" and zh_units(short) <= 12
    assert shorten_en("one two three, four five six seven", 5) == "one two three…"
    assert en_words(shorten_en("a b c d e f g h", 4)) <= 4
    assert xml_safe("a\x00b\x0bc\td\ne") == "abc\td\ne"
    assert one_line("a\nb\r\n c\x0b") == "a b c"
    lead = Bi("先找对人", "Find the right people first", emphasis=True)
    done = Bi(
        "完成标准：三十人进群", "Done when: thirty people have joined the group and said hello"
    )
    body, moved = step_body(lead, done)
    assert body == (lead,) and moved == (done,)  # together they pass 14 English words
    long = Bi("长" * 100, "word " * 30)
    body, moved = step_body(None, long)
    assert zh_units(body[0].zh) <= STEP_ZH and en_words(body[0].en) <= STEP_EN
    assert moved == (long,)


def test_fit_body_moves_the_summary_before_list_items() -> None:
    summary = Para((("概要" * 60, "zh"),), bullet=False, emphasis=False)
    items = [Para(((f"{n}. 第 {n} 步" * 3, "zh"),), bullet=True, emphasis=False) for n in range(24)]
    fit = fit_body([summary, *items], 12.0, 4.5, 20)
    assert fit.size >= 20
    assert 0 not in fit.kept and fit.kept[0] == 1  # the summary went to the notes
    short = fit_body([Para((("一句话", "zh"),), False, False)], 12.0, 4.5, 20)
    assert short.size == 28 and short.columns == 1
