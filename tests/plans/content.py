"""A tiny content folder for the plans tests: its own book, vocabulary and two playbooks.

`write_content(root, revision=2)` writes the "edited" catalogue: one step reworded, one added,
one removed, so the playbook-update tests see every kind of difference.
"""

from __future__ import annotations

from pathlib import Path

from qunce.content.catalogue import Catalogue, load_catalogue

BOOK = """\
title: {zh: 测试之书, en: A test book}
author: {zh: 作者, en: Author}
publisher: {zh: 出版社, en: Publisher}
year: 2016
isbn: 978-0-000-00000-0
chapters:
- number: 1
  title: {zh: 第一章, en: Chapter one}
  sections:
  - number: '1.1'
    title: {zh: 启动, en: Launch}
  - number: '1.2'
    title: {zh: 增长, en: Growth}
"""

VOCABULARY = """\
tags:
  launch: {zh: 启动, en: Launch}
platforms:
  wechat: {zh: 微信, en: WeChat}
stages:
  launch: {zh: 启动, en: Launch}
roles:
  founder: {zh: 创始人, en: Founder}
  operator: {zh: 运营, en: Operator}
"""


def _step(step_id: str, zh: str, en: str, days: float, role: str = "operator") -> str:
    return f"""\
  - id: {step_id}
    title: {{zh: {zh}, en: {en}}}
    detail: {{zh: {zh}的具体做法, en: How to {en.lower()}}}
    done_when: {{zh: {zh}已完成, en: {en} is done}}
    effort_days: {days}
    role: {role}
"""


def _playbook(item_id: str, section: str, zh: str, en: str, steps: list[str]) -> str:
    return f"""\
id: {item_id}
kind: playbook
sections: ["{section}"]
title: {{zh: {zh}, en: {en}}}
summary: {{zh: {zh}的摘要, en: Summary of {en}}}
tags: [launch]
platforms: [wechat]
stages: [launch]
provenance: {{basis: practice, note: {{zh: 为测试而写。, en: Written for the tests.}}}}
steps:
{"".join(steps)}"""


def write_content(root: Path, revision: int = 1) -> Path:
    """Write the book, vocabulary and two playbooks under `root`; returns `root`."""
    playbooks = root / "playbooks"
    cases = root / "cases"
    playbooks.mkdir(parents=True, exist_ok=True)
    cases.mkdir(parents=True, exist_ok=True)
    (playbooks / "_book.yaml").write_text(BOOK, encoding="utf-8")
    (playbooks / "_vocabulary.yaml").write_text(VOCABULARY, encoding="utf-8")
    launch_steps = [
        _step("pick-seed-members", "挑选种子成员", "Pick seed members", 2, "founder"),
        _step("set-group-rules", "制定群规", "Set the group rules", 1),
        _step("first-event", "办第一次活动", "Run the first event", 3),
    ]
    if revision == 2:
        launch_steps = [
            _step(
                "pick-seed-members", "挑选五十位种子成员", "Pick fifty seed members", 2.5, "founder"
            ),
            _step("welcome-kit", "准备入群礼包", "Prepare a welcome kit", 1),
            _step("set-group-rules", "制定群规", "Set the group rules", 1),
        ]
    (playbooks / "launch-basics.yaml").write_text(
        _playbook("launch-basics", "1.1", "启动基础", "Launch basics", launch_steps),
        encoding="utf-8",
    )
    (playbooks / "group-growth.yaml").write_text(
        _playbook(
            "group-growth",
            "1.2",
            "社群增长",
            "Growing the group",
            [
                _step("invite-friends", "邀请好友", "Invite friends", 0.5),
                _step("weekly-share", "每周分享", "Share weekly", 1),
            ],
        ),
        encoding="utf-8",
    )
    return root


def load(root: Path) -> Catalogue:
    """The catalogue of a folder written by `write_content`; fails on any content error."""
    playbooks = root / "playbooks"
    catalogue = load_catalogue(
        playbooks_dir=playbooks,
        cases_dir=root / "cases",
        extra=[],
        book_file=playbooks / "_book.yaml",
        vocabulary_file=playbooks / "_vocabulary.yaml",
    )
    assert not catalogue.errors, "\n".join(e.render() for e in catalogue.errors)
    return catalogue
