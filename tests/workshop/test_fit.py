"""Slides fit their frame: the scale, list columns and hidden entries `fit_slide` picks."""

from __future__ import annotations

from qunce.content.catalogue import Catalogue
from qunce.ui.workshop.slides import SCALES, fit_slide, lines_of, md, text_em
from qunce.workshop.agenda import Agenda, Block
from qunce.workshop.deck import Bi, Slide, build_deck


def _slide(body: tuple[Bi, ...], title: str = "标题") -> Slide:
    return Slide(
        key="x", kind="playbook", block=0, item_id="x", step_id=None,
        kicker=Bi("k", "k"), title=Bi(title, "Title"), body=body, notes=(),
    )  # fmt: skip


def test_widths_count_chinese_as_one_em_and_latin_as_about_half() -> None:
    assert text_em("社群电商") == 4
    assert 2.0 < text_em("Community") < 5.5
    assert lines_of("社" * 40, 2.3, 93) == 2  # ~38 characters a line at the body size


def test_short_slides_keep_the_largest_scale() -> None:
    fit = fit_slide(_slide((Bi("先说清为谁、为什么", "Say who it is for", emphasis=True),)), "both")
    assert (fit.level, fit.columns, fit.shown) == (0, 1, 1)


def test_long_lists_go_into_two_columns_then_shrink_then_give_way() -> None:
    some = tuple(
        Bi(f"第 {n} 步：写清楚谁来做", f"Step {n}: who does it", bullet=True) for n in range(9)
    )
    fit = fit_slide(_slide(some), "both")
    assert fit.shown == 9 and (fit.columns == 2 or fit.level > 0)
    many = tuple(
        Bi("这是一条很长的要点，" * 4, "This is a long point that goes on and on " * 3, bullet=True)
        for _ in range(40)
    )
    fit = fit_slide(_slide(many), "both")
    assert fit.level == len(SCALES) - 1 and fit.shown < 40


def test_every_slide_of_a_half_day_deck_shows_all_its_text(catalogue: Catalogue) -> None:
    agenda = Agenda(
        title="社群启动半日工作坊",
        blocks=tuple(Block(item=p.id, minutes=30) for p in catalogue.playbooks[:4])
        + tuple(Block(item=c.id, minutes=15) for c in catalogue.cases[:3]),
    )
    for slide in build_deck(agenda, catalogue).slides:
        for display in ("zh", "en", "both"):
            fit = fit_slide(slide, display)
            assert fit.shown == len(slide.body), (slide.key, display, fit)


def test_a_long_agenda_keeps_most_of_the_title_slide(catalogue: Catalogue) -> None:
    agenda = Agenda(
        title="两天的社群电商训练营",
        blocks=tuple(Block(item=p.id, minutes=30) for p in catalogue.playbooks[:12]),
    )
    title = build_deck(agenda, catalogue).slides[0]
    assert fit_slide(title, "zh").shown == 12
    both = fit_slide(title, "both")
    assert both.columns == 2 and 8 <= both.shown <= 12


def test_typed_text_is_escaped_for_markdown() -> None:
    shown = md("**b** [l](http://x) $x$ :red[r] <i>\x07")
    for raw in ("**b**", "[l]", "$x$", ":red[", "<i>", "\x07"):
        assert raw not in shown
