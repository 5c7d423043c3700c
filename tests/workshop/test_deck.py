"""The agenda, the deck built from it, the PPTX file and the Markdown handout."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from qunce.content.catalogue import Catalogue
from qunce.content.schema import Playbook
from qunce.db.errors import InvalidValue
from qunce.workshop.agenda import Agenda, Block, check_agenda, parse_agenda, playbook_ids
from qunce.workshop.deck import Bi, build_deck
from qunce.workshop.handout import handout_markdown, md_escape
from qunce.workshop.pptx_export import EA_FONT, deck_pptx, fit_size

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_parse_agenda_names_every_bad_field() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_agenda({"title": " ", "blocks": [{"item": "Not Kebab", "minutes": 0}]})
    message = str(caught.value)
    assert "title" in message
    assert "blocks.[0].item" in message or "blocks[0].item" in message
    assert "minutes" in message


def test_check_agenda_refuses_unknown_and_repeated_items(catalogue: Catalogue) -> None:
    agenda = Agenda(
        title="x",
        blocks=(
            Block(item="launch-rules", minutes=5),
            Block(item="no-such-thing", minutes=5),
            Block(item="launch-rules", minutes=5),
        ),
    )
    with pytest.raises(InvalidValue) as caught:
        check_agenda(agenda, catalogue.items)
    assert "blocks[1].item" in str(caught.value)
    assert "blocks[2].item" in str(caught.value)


def test_deck_has_a_slide_per_step_and_case(agenda: Agenda, catalogue: Catalogue) -> None:
    deck = build_deck(agenda, catalogue)
    books = [catalogue.items[i] for i in playbook_ids(agenda, catalogue.items)]
    steps = sum(len(b.steps) for b in books if isinstance(b, Playbook))
    # A trainer layer adds a discussion and an exercise slide, and its anchor case unless the
    # case has a block of its own.
    trainer = sum(
        2 + (b.trainer.anchor_case not in {x.item for x in agenda.blocks})
        for b in books
        if isinstance(b, Playbook) and b.trainer is not None
    )
    # title + (opening + steps) per playbook + one per case + a then-and-now slide per agenda
    # item + wrap-up
    nows = len(agenda.blocks)
    assert len(deck.slides) == 1 + len(books) + steps + trainer + 1 + nows + 1
    assert [s.kind for s in deck.slides][:4] == ["title", "playbook", "now", "step"]
    assert deck.slides[-1].kind == "close"
    keys = [s.key for s in deck.slides]
    assert "step:launch-rules:recruit-seed-members" in keys
    assert "case:xiaomi-fans" in keys
    assert len(set(keys)) == len(keys)
    assert deck.first_of_block(1) == keys.index("case:xiaomi-fans")
    assert all(s.notes for s in deck.slides)


def test_trainer_note_goes_to_the_notes_only(agenda: Agenda, catalogue: Catalogue) -> None:
    deck = build_deck(agenda, catalogue)
    case = next(s for s in deck.slides if s.key == "case:xiaomi-fans")
    note = "问：谁是你的前 100 个用户？"
    assert any(note in n.zh for n in case.notes)
    assert not any(note in b.zh for s in deck.slides for b in (*s.body, s.title, s.kicker))


def test_deck_skips_an_item_that_left_the_catalogue(catalogue: Catalogue) -> None:
    agenda = Agenda(
        title="t", blocks=(Block(item="gone-item", minutes=5), Block(item="xiaomi-fans", minutes=9))
    )
    deck = build_deck(agenda, catalogue)
    assert [s.kind for s in deck.slides] == ["title", "case", "now", "close"]
    assert deck.slides[1].minutes == 9


def test_bilingual_parts() -> None:
    text = Bi("你好", "Hello")
    assert text.get("zh") == "你好"
    assert text.get("en") == "Hello"
    assert text.parts("both") == [("你好", "zh"), ("Hello", "en")]
    assert Bi.same("Qunce").parts("both") == [("Qunce", "zh")]
    assert Bi("", "only English").get("zh") == "only English"


def _slide_texts(slide: object) -> str:
    return "\n".join(
        shape.text_frame.text  # type: ignore[attr-defined]
        for shape in slide.shapes  # type: ignore[attr-defined]
        if shape.has_text_frame
    )


def test_pptx_opens_with_slides_notes_and_chinese(agenda: Agenda, catalogue: Catalogue) -> None:
    deck = build_deck(agenda, catalogue)
    prs = Presentation(io.BytesIO(deck_pptx(deck, "zh")))
    assert len(prs.slides) == len(deck.slides)
    assert prs.slide_width > prs.slide_height  # 16:9
    first = _slide_texts(prs.slides[0])
    assert "社群启动半日工作坊" in first
    step_index = [s.key for s in deck.slides].index("step:launch-rules:recruit-seed-members")
    step = prs.slides[step_index]
    recruit = next(s for s in catalogue.get("launch-rules").steps if s.id == "recruit-seed-members")  # type: ignore[union-attr]
    assert recruit.title.zh in _slide_texts(step)
    assert recruit.key_message is not None and recruit.key_message.zh in _slide_texts(step)
    notes = step.notes_slide.notes_text_frame.text
    # the deliverable is on the slide when it fits beside the key message, else in the notes
    assert "完成标准" in _slide_texts(step) + notes
    assert "请各组讨论" in notes
    case = prs.slides[[s.key for s in deck.slides].index("case:xiaomi-fans")]
    assert "谁是你的前 100 个用户" in case.notes_slide.notes_text_frame.text
    assert "谁是你的前 100 个用户" not in _slide_texts(case)


def test_pptx_sets_east_asian_fonts_on_every_chinese_run(
    agenda: Agenda, catalogue: Catalogue
) -> None:
    prs = Presentation(io.BytesIO(deck_pptx(build_deck(agenda, catalogue), "zh")))
    chinese_runs = 0
    for slide in prs.slides:
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        frames.append(slide.notes_slide.notes_text_frame)
        for frame in frames:
            for paragraph in frame.paragraphs:
                for run in paragraph.runs:
                    if not CJK.search(run.text):
                        continue
                    chinese_runs += 1
                    r_pr = run._r.find(qn("a:rPr"))
                    assert r_pr is not None
                    assert r_pr.get("lang") == "zh-CN"
                    ea = r_pr.find(qn("a:ea"))
                    assert ea is not None and ea.get("typeface") == EA_FONT
                    assert r_pr.find(qn("a:latin")).get("typeface") == "Arial"
    assert chinese_runs > 50


def test_pptx_in_english_and_in_both_languages(agenda: Agenda, catalogue: Catalogue) -> None:
    deck = build_deck(agenda, catalogue)
    index = [s.key for s in deck.slides].index("case:xiaomi-fans")
    english = Presentation(io.BytesIO(deck_pptx(deck, "en"))).slides[index]
    assert "Xiaomi" in _slide_texts(english)
    notes = english.notes_slide.notes_text_frame.text
    assert "\nMove:" in notes and "做法" not in notes and "启示" not in notes
    both = Presentation(io.BytesIO(deck_pptx(deck, "both"))).slides[index]
    text = _slide_texts(both)
    assert "小米：从 100 位内测用户起步" in text
    assert "Xiaomi: from 100 beta users" in text


def test_fit_size_shrinks_long_text() -> None:
    short = fit_size([("一句话", 1.0)], 12, 4)
    long = fit_size([("很长的一段话" * 80, 1.0)], 12, 4)
    assert short > long


def test_handout_lists_the_agenda_and_checklists(agenda: Agenda, catalogue: Catalogue) -> None:
    text = handout_markdown(agenda, catalogue, "zh")
    assert text.startswith("# 社群启动半日工作坊")
    assert "| 1 | +0 |" in text and "| 2 | +40 |" in text and "| 3 | +55 |" in text
    recruit = next(s for s in catalogue.get("launch-rules").steps if s.id == "recruit-seed-members")  # type: ignore[union-attr]
    assert f"- [ ] **{recruit.title.zh}**" in text
    assert "谁是你的前 100 个用户" not in text  # the trainer's notes stay with the trainer
    english = handout_markdown(agenda, catalogue, "en")
    assert "## 2. Xiaomi" in english and "Checklist" in english


def test_handout_escapes_the_typed_title(catalogue: Catalogue) -> None:
    agenda = Agenda(
        title="<img src=x onerror=alert(1)> [click](http://evil)",
        blocks=(Block(item="xiaomi-fans", minutes=5),),
    )
    text = handout_markdown(agenda, catalogue, "en")
    first = text.splitlines()[0]
    assert not re.search(r"(?<!\\)[<\[\]()]", first), first  # every one of them escaped
    assert "\\<img" in first
    assert md_escape("a*b_c") == r"a\*b\_c"


def test_the_handout_sets_each_item_beside_today(agenda: Agenda, catalogue: Catalogue) -> None:
    text = handout_markdown(agenda, catalogue, "en")
    for block in agenda.blocks:
        item = catalogue.get(block.item)
        assert item is not None and item.then_and_now is not None
        assert item.then_and_now.now.en[:40] in text
    assert text.count("### The 2016 book → today") == len(agenda.blocks)


def test_each_item_has_a_then_and_now_slide_with_its_sources_in_the_notes(
    agenda: Agenda, catalogue: Catalogue
) -> None:
    deck = build_deck(agenda, catalogue)
    nows = [s for s in deck.slides if s.kind == "now"]
    assert [s.item_id for s in nows] == [b.item for b in agenda.blocks]
    for slide in nows:
        item = catalogue.get(slide.item_id or "")
        assert item is not None and item.then_and_now is not None
        notes = "\n".join(n.get("en") for n in slide.notes)
        assert item.then_and_now.now.en in notes and item.then_and_now.as_of.isoformat() in notes
        assert all(src.url in notes for src in item.then_and_now.sources)
        body = "".join(b.zh for b in slide.body)
        assert len(body) <= 120  # two short lines; the rest is in the notes
