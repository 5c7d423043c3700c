"""Standards are cited, not restated; the glossary is enforced with file:line; the 2026 fields
(then and now, routines, the trainer layer, honest presets) are checked where they are written."""

from __future__ import annotations

from pathlib import Path

import pytest

from qunce.content.catalogue import Catalogue, load_catalogue

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "fixtures" / "content" / "valid"
SOURCE = (VALID / "playbooks" / "fixture-launch.yaml").read_text(encoding="utf-8")

STANDARDS = """standards:
  group-split:
    kind: house
    title: {zh: 开新群的人数, en: When to open a new group}
    value: {zh: 200 人, en: 200 members}
    detail: {zh: 到 200 人开新群。, en: Open a new group at 200.}
"""
GLOSSARY = """concepts:
  mini-program:
    preferred: {zh: 小程序, en: mini program}
    avoid: {en: [mini-program], zh: [微信小应用]}
"""


def _load(tmp_path: Path, playbook: str) -> Catalogue:
    folder = tmp_path / "playbooks"
    folder.mkdir(exist_ok=True)
    (folder / "fixture-launch.yaml").write_text(playbook, encoding="utf-8")
    (tmp_path / "_standards.yaml").write_text(STANDARDS, encoding="utf-8")
    (tmp_path / "_glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    return load_catalogue(
        playbooks_dir=folder,
        cases_dir=tmp_path / "none",
        extra=[],
        standards_file=tmp_path / "_standards.yaml",
        glossary_file=tmp_path / "_glossary.yaml",
    )


def _rendered(cat: Catalogue, root: Path) -> list[str]:
    return [e.render(root) for e in cat.errors]


def test_a_cited_standard_is_written_in_each_language(tmp_path: Path) -> None:
    # in a one-line {zh: ..., en: ...} mapping a text with {{...}} is quoted (braces are YAML syntax)
    text = SOURCE.replace("私信邀请三十位老客户进群。", '"私信邀请老客户，满 {{group-split}} 开新群。"').replace(
        "Invite thirty existing customers by direct message.",
        '"Invite existing customers; open a new group at {{group-split}}."',
    )
    cat = _load(tmp_path, text)
    assert cat.errors == []
    step = cat.playbooks[0].steps[0]
    assert step.detail.zh == "私信邀请老客户，满 200 人开新群。"  # no stray space in Chinese
    assert step.detail.en == "Invite existing customers; open a new group at 200 members."
    assert cat.cites["fixture-launch"] == ["group-split"]


def test_an_unknown_standard_is_reported_at_its_line(tmp_path: Path) -> None:
    text = SOURCE.replace("私信邀请三十位老客户进群。", '"满 {{group-size}} 开新群。"')
    cat = _load(tmp_path, text)
    assert _rendered(cat, tmp_path) == [
        "playbooks/fixture-launch.yaml:15: steps[0].detail.zh: unknown standard {{group-size}}\n"
        "    hint: did you mean {{group-split}}? standards are listed in playbooks/_standards.yaml"
    ]


def test_a_glossary_violation_is_reported_with_file_and_line(tmp_path: Path) -> None:
    text = SOURCE.replace("Write five rules and pin them.", "Write five rules and pin them in the mini-program.")
    cat = _load(tmp_path, text)
    assert _rendered(cat, tmp_path) == [
        "playbooks/fixture-launch.yaml:21: steps[1].detail.en: glossary: avoid 'mini-program'\n"
        "    hint: use 'mini program' (playbooks/_glossary.yaml)"
    ]
    # the right word passes, and a longer word that only contains it is not a match
    fine = SOURCE.replace("Write five rules and pin them.", "Pin the rules in the mini program.")
    assert _load(tmp_path, fine).errors == []


def test_the_line_is_the_one_that_holds_the_word_in_a_folded_text(tmp_path: Path) -> None:
    text = SOURCE.replace(
        "    detail: {zh: 写五条群规并置顶。, en: Write five rules and pin them.}",
        "    detail:\n      zh: 写五条群规并置顶。\n      en: >-\n        Write five rules,\n        and pin them in the mini-program.",
    )
    cat = _load(tmp_path, text)
    assert [e.line for e in cat.errors] == [25]


def test_ascii_quotes_in_chinese_text_are_reported(tmp_path: Path) -> None:
    text = SOURCE.replace("写五条群规并置顶。", '写五条"群规"并置顶。')
    cat = _load(tmp_path, text)
    assert [(e.line, e.message) for e in cat.errors] == [
        (21, 'glossary: ASCII quote (") in Chinese text')
    ]


THEN_AND_NOW = """then_and_now:
  as_of: 2026-12-01
  then: {zh: 书里的说法。, en: What the book said.}
  now: {zh: 今天的做法。, en: What people do today.}
"""


def test_then_and_now_needs_sources_or_the_illustration_flag(tmp_path: Path) -> None:
    cat = _load(tmp_path, SOURCE + THEN_AND_NOW)
    assert [e.message for e in cat.errors] == [
        "then_and_now needs sources (public, dated), or illustration: true"
    ]
    sourced = SOURCE + THEN_AND_NOW + '  sources:\n    - {title: A page, url: "https://example.org/a", date: 2021-02-26}\n'
    cat = _load(tmp_path, sourced)
    assert cat.errors == []
    assert cat.playbooks[0].then_and_now is not None
    assert str(cat.playbooks[0].then_and_now.sources[0].date) == "2021-02-26"
    undated = SOURCE + THEN_AND_NOW + '  sources:\n    - {title: A page, url: "https://example.org/a"}\n'
    assert [e.path for e in _load(tmp_path, undated).errors] == ["then_and_now.sources[0].date"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("{zh: 三十位种子成员一个一个请进来, en: Seeds}", None),
        ("{zh: 三十位种子成员要一个一个地私聊请进来才行啊朋友们, en: Seeds}", "at most 20 字"),
        ("{zh: 请种子, en: one two three four five six seven eight nine ten eleven twelve thirteen}", "at most 12 words"),
    ],
)
def test_key_messages_are_short(tmp_path: Path, message: str, expected: str | None) -> None:
    text = SOURCE.replace("    effort_days: 2\n", f"    effort_days: 2\n    key_message: {message}\n", 1)
    messages = [e.message for e in _load(tmp_path, text).errors]
    if expected is None:
        assert messages == []
    else:
        assert len(messages) == 1 and expected in messages[0]


ROUTINE = """routines:
  - id: morning-post
    title: {zh: 早安, en: Morning post}
    rule: "%s"
    role: operator
    template: {zh: 早上好, en: Good morning}
    metric: {zh: 回复数, en: Replies}
    step: %s
"""


def test_routines_need_a_valid_rule_and_an_existing_step(tmp_path: Path) -> None:
    good = _load(tmp_path, SOURCE + ROUTINE % ("FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0", "set-rules"))
    assert good.errors == []
    assert good.playbooks[0].routines[0].rule == "FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0"
    hourly = _load(tmp_path, SOURCE + ROUTINE % ("FREQ=HOURLY", "set-rules"))
    assert [(e.line, e.path) for e in hourly.errors] == [(28, "routines[0].rule")]
    assert "FREQ must be one of DAILY, WEEKLY, MONTHLY" in hourly.errors[0].message
    broken = _load(tmp_path, SOURCE + ROUTINE % ("FREQ=DAILY;BYHOUR=27", "set-rules"))
    assert "not a valid RRULE" in broken.errors[0].message
    lost = _load(tmp_path, SOURCE + ROUTINE % ("FREQ=DAILY", "no-such-step"))
    assert "names step 'no-such-step', which is not here" in lost.errors[0].message


def test_a_preset_says_which_inputs_are_the_cases_own(tmp_path: Path) -> None:
    case = (VALID / "cases" / "fixture-case.yaml").read_text(encoding="utf-8")
    extra = tmp_path / "cases"
    extra.mkdir()
    preset = "calculator:\n  id: funnel\n  inputs: {reach: 1000, join_rate: 20}\n"
    for tail, messages in (
        ("", ["a preset names the inputs it takes from the case (from_case), or says illustration: true"]),
        ("  from_case: [reach]\n", []),
        ("  from_case: [reach, margin]\n", ["from_case names inputs the preset does not set: margin"]),
        ("  illustration: true\n", []),
    ):
        (extra / "fixture-case.yaml").write_text(case + preset + tail, encoding="utf-8")
        cat = load_catalogue(playbooks_dir=VALID / "playbooks", cases_dir=extra, extra=[])
        assert [e.message for e in cat.errors] == messages


def test_a_step_points_at_the_step_that_owns_the_task(tmp_path: Path) -> None:
    basics = (VALID / "playbooks" / "fixture-basics.yaml").read_text(encoding="utf-8")
    (tmp_path / "playbooks").mkdir()
    first_step = basics.split("  - id: ", 2)[1].split("\n", 1)[0].strip()
    (tmp_path / "playbooks" / "fixture-basics.yaml").write_text(basics, encoding="utf-8")
    for see, messages in (
        (f"fixture-basics/{first_step}", []),
        ("fixture-basics/no-such-step", ["'fixture-basics/no-such-step' names no step: no playbook 'fixture-basics' with a step 'no-such-step'"]),
        ("fixture-launch/set-rules", ["a step cannot point at its own playbook"]),
    ):
        text = SOURCE.replace("    role: operator\n", f"    role: operator\n    see: {see}\n", 1)
        assert [e.message for e in _load(tmp_path, text).errors] == messages
