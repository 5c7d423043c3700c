"""Issue 14: 繁體 and 简体 alike, today's words (aliases), honest strong/weak matches, tools."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from qunce.content.aliases import Alias, Aliases, Asks, Words, load_aliases
from qunce.content.glossary import Concept, Glossary
from qunce.content.schema import Term
from qunce.search import confidence
from qunce.search.concepts import Concepts
from qunce.search.keyword import KeywordIndex
from qunce.search.script import fold, to_script
from qunce.search.tools import Tool, Toolbox

ROOT = Path(__file__).resolve().parents[2]

ALIASES = Aliases(
    concepts={
        "wecom": Alias(zh=["企业微信"], en=["WeCom"], book=Words(zh=["微信群"], en=["WeChat group"])),
        "koc": Alias(zh=["KOC", "素人"], en=["KOC", "micro-influencer"], book=Words(zh=["意见领袖"])),
        "channels": Alias(zh=["视频号"], en=["WeChat Channels"]),
        "live-selling": Alias(zh=["直播"], en=["live selling"]),
        "xiaohongshu": Alias(zh=["小红书"], en=["Xiaohongshu"]),
    },
    asks=Asks(numbers=Words(zh=["定价", "多少"], en=["how many", "price"])),
)


def test_fold_makes_traditional_and_simplified_one() -> None:
    assert fold("社群裡冷場沒人說話怎麼辦") == "社群里冷场没人说话怎么办"
    assert fold("WeCom and 企業微信") == "WeCom and 企业微信"
    assert fold("no Chinese here") == "no Chinese here"
    assert to_script("社群里冷场", "hant") == "社羣裏冷場"
    assert fold("社群") == "社群"  # t2s, not tw2sp (which makes it 社区)


def test_alias_file_loads_and_reports_a_shared_word_at_both_lines(tmp_path: Path) -> None:
    aliases, errors = load_aliases(ROOT / "playbooks" / "_aliases.yaml")
    assert aliases is not None and not errors, [e.render() for e in errors]
    assert {"private-traffic", "wecom", "group-buy-leader", "koc", "seeding"} <= set(aliases.concepts)
    bad = tmp_path / "_aliases.yaml"
    bad.write_text(
        "concepts:\n"
        "  wecom:\n    zh: [企业微信]\n    en: [WeCom]\n"
        "  also-wecom:\n    zh: [企微]\n    en: [wecom]\n"
        "  Bad_Id:\n    zh: [x]\n    en: [y]\n",
        encoding="utf-8",
    )
    aliases, errors = load_aliases(bad)
    assert aliases is None and errors
    assert "kebab" in errors[0].message
    bad.write_text(bad.read_text(encoding="utf-8").split("  Bad_Id")[0], encoding="utf-8")
    aliases, errors = load_aliases(bad)
    assert aliases is not None and len(errors) == 1
    assert errors[0].line == 7 and "line 4" in errors[0].message and "wecom" in errors[0].message


def test_glossary_concepts_join_under_their_ids() -> None:
    glossary = Glossary(
        concepts={
            "wecom": Concept(preferred=Term(zh="企业微信", en="WeCom"), avoid={"en": ["WeChat Work"]}),  # type: ignore[arg-type]
            "moments": Concept(preferred=Term(zh="朋友圈", en="Moments")),
        }
    )
    merged = ALIASES.with_glossary(glossary)
    assert "WeChat Work" in merged.concepts["wecom"].en
    assert merged.concepts["wecom"].book.zh == ["微信群"]
    assert merged.concepts["moments"].zh == ["朋友圈"]


def test_concepts_are_found_in_either_language_and_script() -> None:
    concepts = Concepts(ALIASES)
    assert concepts.found("find KOCs on Xiaohongshu") == ["koc", "xiaohongshu"]
    assert concepts.found("企業微信拉群") == ["wecom"]
    assert set(concepts.found("视频号直播怎么做")) == {"channels", "live-selling"}
    assert concepts.found("a red packet") == []  # whole words only
    assert concepts.asks("付费会员怎么定价") == {"numbers"}
    assert concepts.asks("how many members to break even") == {"numbers"}
    assert concepts.asks("群里冷场") == set()


def test_keyword_side_matches_concepts_across_languages_and_scripts() -> None:
    docs = ["用企业微信承接公众号读者", "二维码 优惠券", "请意见领袖先试用新品"]
    index = KeywordIndex(docs, concepts=Concepts(ALIASES))
    assert index.scores("WeCom").argmax() == 0
    assert index.scores("find KOCs").argmax() == 2  # through the book's word 意见领袖
    assert list(index.scores("企業微信")) == list(index.scores("企业微信"))
    terms = index.terms("WeCom 读者")
    share, said = index.matched(terms, 0, docs[0])
    assert share == 1.0 and said == ("WeCom", "读者")


def test_strength_is_absolute_and_monotonic() -> None:
    assert confidence.judge(0.6, 0.0) == "strong"
    assert confidence.judge(0.2, 0.0) == "weak"
    assert confidence.strength(0.3, 10.0) > confidence.strength(0.3, 1.0) > confidence.strength(0.2, 1.0)
    assert confidence.judge(0.3, 0.0) == "weak" and confidence.judge(0.3, 20.0) == "strong"


def test_toolbox_answers_only_questions_about_numbers() -> None:
    tools = [
        Tool("crowdfunding", "calculator", "众筹与付费会员", "Crowdfunding and paid membership",
             "会员价 档位 保本", "member price tiers break-even", ("9.3.2",)),
        Tool("group-capacity", "calculator", "群容量与人手", "Group capacity and staff",
             "群人数 运营人手", "group size operators", ("6.1",)),
    ]  # fmt: skip
    box = Toolbox(tools, Concepts(ALIASES))
    assert [t.tool.id for t in box.match("付费会员怎么定价", [])] == ["crowdfunding"]
    assert box.match("付费会员的故事", []) == []


def test_search_imports_neither_calculators_nor_streamlit() -> None:
    for path in (ROOT / "qunce" / "search").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [
            n.module if isinstance(n, ast.ImportFrom) else a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom)
            for a in (n.names if isinstance(n, ast.Import) else [n])  # type: ignore[attr-defined]
        ]
        assert not [m for m in names if m and m.startswith(("qunce.calculators", "streamlit"))], path


@pytest.fixture(scope="module")
def searcher(search_index_dir: Path):  # type: ignore[no-untyped-def]
    import dataclasses

    from qunce.config import load_settings
    from qunce.content.catalogue import load_catalogue
    from qunce.search.index import SearchIndex

    config = dataclasses.replace(load_settings(), index_dir=search_index_dir, chroma_url=None)
    return SearchIndex(load_catalogue(extra=[]), config).searcher()


def test_traditional_twin_ranks_exactly_as_simplified(searcher) -> None:  # type: ignore[no-untyped-def]
    hant = searcher.search("社群裡冷場沒人說話怎麼辦", k=5)
    hans = searcher.search("社群里冷场没人说话怎么办", k=5)
    assert [h.item_id for h in hant] == [h.item_id for h in hans]
    assert hant[0].item_id == "launch-rules" and hant[0].chunk.step_id == "handle-silence-and-noise"
    assert "冷场" in hant[0].matched


def test_keyboard_mash_is_all_weak_and_a_real_question_strong(searcher) -> None:  # type: ignore[no-untyped-def]
    assert all(h.match == "weak" for h in searcher.search("asdfghjkl qwerty"))
    assert all(h.match == "weak" for h in searcher.search("明天北京天气怎么样"))
    assert searcher.search("付费会员怎么招募")[0].match == "strong"


def test_asking_how_does_not_weaken_a_match(searcher) -> None:  # type: ignore[no-untyped-def]
    """怎么 / 如何 say how a question asks, as "how" does in English; they are not what it
    is about, so a question about 私域流量 is as close a match with them as without."""
    plain = searcher.search("私域流量")[0]
    assert plain.match == "strong"
    for asked in ("私域流量怎么做", "如何做私域流量", "私域流量應該怎樣做"):
        first = searcher.search(asked)[0]
        assert (first.item_id, first.match) == (plain.item_id, "strong"), asked
        assert first.matched == ("私域流量",), asked
    for off_topic in ("红烧肉怎么做", "为什么天空是蓝色的", "如何减肥"):
        assert all(h.match == "weak" for h in searcher.search(off_topic)), off_topic


def test_steps_carry_their_position_and_title(searcher) -> None:  # type: ignore[no-untyped-def]
    steps = [c for c in searcher.chunks if c.item_id == "launch-rules" and c.part == "step"]
    assert [c.position for c in steps] == list(range(1, len(steps) + 1))
    assert steps[6].step_id == "handle-silence-and-noise" and steps[6].label_zh


def test_then_and_now_routines_and_key_messages_are_indexed() -> None:
    import datetime as dt

    from qunce.content.catalogue import load_catalogue
    from qunce.content.schema import KeyMessage, Playbook, Routine, Text, ThenAndNow
    from qunce.search.chunks import chunk_item

    cat = load_catalogue(extra=[])
    pb = cat.get("launch-rules")
    assert isinstance(pb, Playbook)
    step = pb.steps[6].model_copy(update={"key_message": KeyMessage(zh="冷场就换话题", en="Silence: change the topic")})
    routine = Routine(
        id="daily-sop", title=Text(zh="每日群SOP", en="Daily group SOP"), rule="FREQ=DAILY;BYHOUR=9;BYMINUTE=0",
        role="operator", template=Text(zh="早安，今天的话题是……", en="Morning! Today's topic is..."),
        metric=Text(zh="当天发言人数", en="people who posted today"), step=step.id,
    )  # fmt: skip
    now = ThenAndNow(
        as_of=dt.date(2026, 11, 1), then=Text(zh="书里用个人微信拉群", en="The book used personal WeChat"),
        now=Text(zh="今天多用企业微信承接好友", en="Today WeCom holds the contacts"), illustration=True,
    )  # fmt: skip
    steps = [*pb.steps[:6], step, *pb.steps[7:]]
    chunks = chunk_item(cat, pb.model_copy(update={"steps": steps, "routines": [routine], "then_and_now": now}))
    by_part = {c.part: c for c in chunks}
    assert "企业微信" in by_part["now"].zh and "WeCom" in by_part["now"].en
    assert by_part["routine"].step_id == step.id and "SOP" in by_part["routine"].zh
    assert "冷场就换话题" in next(c for c in chunks if c.step_id == step.id and c.part == "step").zh


def test_a_broken_alias_file_is_a_content_error_at_its_line(tmp_path: Path) -> None:
    from qunce.content.catalogue import load_catalogue

    bad = tmp_path / "_aliases.yaml"
    bad.write_text("concepts:\n  wecom:\n    zh: [企业微信]\n    en: []\n", encoding="utf-8")
    cat = load_catalogue(extra=[], aliases_file=bad)
    problems = [e for e in cat.errors if e.file == bad]
    assert problems and problems[0].line == 4 and "concepts.wecom.en" in problems[0].render()
    assert cat.items  # the content is still served


def test_a_question_about_planning_offers_a_launch_plan_from_its_playbooks() -> None:
    from qunce.search.engine import Hit

    aliases = Aliases(asks=Asks(plans=Words(zh=["启动计划"], en=["launch plan"])))
    plan = Tool("launch-plan", "plan", "建立启动计划", "Launch plan", "清单", "checklist")
    box = Toolbox([plan], Concepts(aliases))
    hit = Hit("launch-rules", "playbook", ("3.2",), "", "", 1.0, 0.7, 0.3, None, "zh")  # type: ignore[arg-type]
    found = box.match("开群的启动计划怎么排", [hit])
    assert [t.tool.id for t in found] == ["launch-plan"] and found[0].items == ("launch-rules",)
    assert box.match("开群怎么做", [hit]) == []
