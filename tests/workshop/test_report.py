"""The workshop report (sqlite and postgres): agenda, board per team and step, polls; every
typed string escaped for Markdown and XLSX."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from qunce.content.catalogue import Catalogue
from qunce.db.store import Store
from qunce.plans.repository import add_item, get_plan, update_item
from qunce.workshop.agenda import Agenda, Block
from qunce.workshop.polls import answer_poll, open_poll
from qunce.workshop.report import build_report, report_markdown, report_xlsx
from qunce.workshop.repository import create_workshop, team_join_code
from tests.workshop.conftest import START

EVIL_TITLE = "Launch\n# Owned [click](http://evil.example) ![x](http://evil.example/i.png)"
EVIL_TEAM = '=HYPERLINK("http://evil.example","Blue")'


@pytest.fixture
def ran(store: Store, catalogue: Catalogue) -> str:
    """A workshop that ran: ticks, a custom item, three polls with answers; its facilitator code."""
    agenda = Agenda(
        title=EVIL_TITLE,
        blocks=(Block(item="launch-rules", minutes=40), Block(item="xiaomi-fans", minutes=15)),
    )
    made, host = create_workshop(store, agenda, catalogue, ["红队", EVIL_TEAM], start_date=START)
    red, blue = made.teams
    assert red.plan_id is not None and blue.plan_id is not None
    plan = get_plan(store, red.workspace_id, red.plan_id)
    update_item(store, red.workspace_id, plan.items[0].id, {"status": "done"},
                expected_version=plan.items[0].version)  # fmt: skip
    update_item(store, red.workspace_id, plan.items[1].id, {"status": "doing"},
                expected_version=plan.items[1].version)  # fmt: skip
    update_item(store, red.workspace_id, plan.items[2].id, {"status": "skipped"},
                expected_version=plan.items[2].version)  # fmt: skip
    add_item(store, blue.workspace_id, blue.plan_id, "@SUM(1+1) <b>ours</b>")
    codes = [team_join_code(host, t) for t in made.teams]
    choice = open_poll(store, host, "choice", "先做哪一步？[x](y)", ["建群", "-1 定规则"])
    answer_poll(store, codes[0], choice.id, choice=0)
    answer_poll(store, codes[1], choice.id, choice=1)
    scale = open_poll(store, host, "scale", "How ready?")
    answer_poll(store, codes[0], scale.id, choice=4)
    text = open_poll(store, host, "text", "One line")
    answer_poll(store, codes[1], text.id, text="=cmd|' /C calc'!A0\nsecond line")
    return host


def test_the_report_holds_agenda_board_and_polls(
    store: Store, catalogue: Catalogue, ran: str
) -> None:
    report = build_report(store, ran, catalogue)
    assert [a.minutes for a in report.agenda] == [40, 15]
    assert [a.starts for a in report.agenda] == [0, 40]
    red, blue = report.teams
    assert (red.progress.done, red.progress.doing, red.progress.skipped) == (1, 1, 1)
    first = report.steps[0]
    assert report.status(red, first) == "done" and report.status(blue, first) == "todo"
    custom = [s for s in report.steps if s.playbook_id is None]
    assert [s.title.zh for s in custom] == ["@SUM(1+1) <b>ours</b>"]
    assert report.status(red, custom[0]) is None and report.status(blue, custom[0]) == "todo"
    assert report.steps[-1] == custom[0]  # own items come last
    assert [p.poll.kind for p in report.polls] == ["choice", "scale", "text"]
    assert report.polls[0].counts == (1, 1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_escapes_every_typed_string(
    store: Store, catalogue: Catalogue, ran: str, lang: str
) -> None:
    text = report_markdown(build_report(store, ran, catalogue), lang)
    lines = text.splitlines()
    assert lines[0].startswith("# Launch")
    # Only our own headings: the title's "# Owned" stayed on the first line.
    headings = [line for line in lines if line.startswith("#")]
    assert not any("Owned" in h for h in headings[1:])
    assert "](http" not in text.replace("\\](http", "")  # no live link or image
    assert not re.search(r"(?<!\\)[\[\]]", lines[0])
    assert "<b>" not in text and "\\<b\\>ours\\<" in text
    assert "second line" in text and "\nsecond line" not in text  # one line per answer
    assert ("✅" in text) and ("⏳" in text) and ("⏭" in text)
    assert ("向全场提问" if lang == "zh" else "Polls") in text
    assert "4" in text  # the scale answer


def test_xlsx_keeps_formula_looking_text_as_text(
    store: Store, catalogue: Catalogue, ran: str
) -> None:
    data = report_xlsx(build_report(store, ran, catalogue), "en")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Agenda", "Teams", "Board", "Polls"]
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str)]
    risky = [c for c in texts if c.value.startswith(("=", "+", "-", "@"))]
    assert {c.value for c in risky} >= {EVIL_TEAM, "@SUM(1+1) <b>ours</b>", "-1 定规则"}
    for cell in risky:
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    assert not any(c.data_type == "f" for c in cells)
    assert not any(c.value.startswith("'") for c in texts)  # no visible quote mark
    assert book["Agenda"]["A1"].value == EVIL_TITLE
    answers = [row[4].value for row in book["Polls"].iter_rows(min_row=2)]
    assert "=cmd|' /C calc'!A0\nsecond line" in answers
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")
        )
    assert "<f>" not in sheets  # not a single formula in the file


def test_the_board_stamp_changes_with_every_tick(store: Store, ran: str) -> None:
    from qunce.workshop.board import board_stamp
    from qunce.workshop.repository import open_workshop

    workshop = open_workshop(store, ran)
    items, done, last = board_stamp(store, workshop)
    plans = [get_plan(store, t.workspace_id, t.plan_id) for t in workshop.teams if t.plan_id]
    assert done == 1 and items == sum(len(p.items) for p in plans) and last is not None
    blue = workshop.teams[1]
    assert blue.plan_id is not None
    item = get_plan(store, blue.workspace_id, blue.plan_id).items[0]
    update_item(store, blue.workspace_id, item.id, {"status": "done"},
                expected_version=item.version)  # fmt: skip
    after = board_stamp(store, workshop)
    assert after[1] == 2 and after[2] is not None and after[2] >= last
    update_item(store, blue.workspace_id, item.id, {"status": "doing"},
                expected_version=item.version + 1)  # fmt: skip
    assert board_stamp(store, workshop) != after  # not only ticks: any change
