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


RULES_PLAYBOOK = """\
id: launch-rules
kind: playbook
sections: ["1.3"]
title: {zh: 启动规则, en: Launch rules}
summary: {zh: 启动规则的摘要, en: Summary of launch rules}
tags: [launch]
platforms: [wechat]
stages: [launch]
provenance: {basis: practice, note: {zh: 为测试而写。, en: Written for the tests.}}
steps:
  - id: recruit-seed-members
    title: {zh: 招募种子成员, en: Recruit seed members}
    detail: {zh: 招募种子成员的做法, en: How to recruit seed members}
    done_when: {zh: 名单已建好, en: The list exists}
    effort_days: 2
    duration_days: 10
    target: {zh: 48 小时内六成发言, en: 60% speak within 48 hours}
    role: founder
  - id: pin-the-rules
    title: {zh: 置顶群规, en: Pin the rules}
    detail: {zh: 置顶群规的做法, en: How to pin the rules}
    done_when: {zh: 群规已置顶, en: The rules are pinned}
    effort_days: 0.5
    role: operator
routines:
  - id: morning-post
    title: {zh: 早安一句话, en: Morning post}
    rule: "FREQ=DAILY;BYHOUR=9;BYMINUTE=0"
    role: operator
    template: {zh: 早上好！今天……, en: Good morning! Today…}
    metric: {zh: 早安帖下的回复数, en: Replies under the morning post}
    step: pin-the-rules
  - id: friday-review
    title: {zh: 周五复盘, en: Friday review}
    rule: "FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0"
    role: operator
    template: {zh: 本周回顾……, en: This week…}
    metric: {zh: 参与人数, en: People taking part}
"""

WELCOME_PLAYBOOK = """\
id: welcome-flow
kind: playbook
sections: ["1.4"]
title: {zh: 欢迎流程, en: Welcome flow}
summary: {zh: 欢迎流程的摘要, en: Summary of the welcome flow}
tags: [launch]
platforms: [wechat]
stages: [launch]
provenance: {basis: practice, note: {zh: 为测试而写。, en: Written for the tests.}}
steps:
  - id: seed-members
    title: {zh: 种子成员（见启动规则）, en: Seed members (see launch rules)}
    detail: {zh: 见启动规则, en: See launch rules}
    done_when: {zh: 见启动规则, en: See launch rules}
    effort_days: 1
    role: founder
    see: launch-rules/recruit-seed-members
  - id: welcome-message
    title: {zh: 写欢迎语, en: Write the welcome message}
    detail: {zh: 写欢迎语的做法, en: How to write it}
    done_when: {zh: 欢迎语已写好, en: The message is written}
    effort_days: 1
    duration_days: 3
    role: operator
routines:
  - id: monthly-thanks
    title: {zh: 每月致谢, en: Monthly thanks}
    rule: "FREQ=MONTHLY;BYMONTHDAY=1"
    role: operator
    template: {zh: 感谢大家……, en: Thank you all…}
    metric: {zh: 回复数, en: Replies}
"""


def write_rhythm_content(root: Path) -> Path:
    """The book, vocabulary and two playbooks with durations, targets, routines and a `see:`."""
    write_content(root)
    playbooks = root / "playbooks"
    book = BOOK + (
        "  - number: '1.3'\n    title: {zh: 规则, en: Rules}\n"
        "  - number: '1.4'\n    title: {zh: 欢迎, en: Welcome}\n"
    )
    (playbooks / "_book.yaml").write_text(book, encoding="utf-8")
    (playbooks / "launch-rules.yaml").write_text(RULES_PLAYBOOK, encoding="utf-8")
    (playbooks / "welcome-flow.yaml").write_text(WELCOME_PLAYBOOK, encoding="utf-8")
    return root
