"""The workshop report, for after the workshop: agenda, each team's board, the polls' results.

`build_report` reads everything once (facilitator code required); `report_markdown` and
`report_xlsx` write it. Every string a person typed (the title, team names, notes, custom items,
poll questions, options and answers) is escaped for where it lands:

- Markdown: one line, every Markdown and HTML control character backslash-escaped
  (`handout.md_escape`), so a title with newlines or brackets never becomes a heading, a link or
  an image;
- XLSX: characters XML cannot hold are removed, and text that looks like a formula (`=`, `+`,
  `-`, `@`, tab, carriage return first) is stored as a text cell, marked "quote prefix": the
  spreadsheet shows it exactly as typed, without a visible quote mark, and never runs it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qunce.content.catalogue import Catalogue
from qunce.db.base import utcnow
from qunce.db.store import Store
from qunce.plans.records import Progress, status_label
from qunce.workshop.board import Row, board_rows, playbook_titles, tally
from qunce.workshop.budget import xml_safe
from qunce.workshop.charts import summary_line
from qunce.workshop.deck import Bi
from qunce.workshop.handout import md_escape
from qunce.workshop.polls import PollResults, list_polls
from qunce.workshop.records import Team, Workshop
from qunce.workshop.repository import open_workshop

STATUSES = ("done", "doing", "todo", "skipped")
MARKS = {"done": "✅", "doing": "⏳", "todo": "⬜", "skipped": "⏭"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CUSTOM = Bi("自加条目", "Own items")


@dataclass(frozen=True)
class AgendaLine:
    """One block of the agenda as the report lists it."""

    title: Bi
    minutes: int
    starts: int


@dataclass(frozen=True)
class StepLine:
    """One row of the board by step: a playbook step, or a team's own item (playbook None)."""

    playbook_id: str | None
    step_id: str | None
    title: Bi


@dataclass(frozen=True)
class TeamLine:
    """A team with its progress and the status of each step it has."""

    team: Team
    progress: Progress
    statuses: Mapping[tuple[str | None, str | None, str], str]  # (playbook, step, title zh)


@dataclass(frozen=True)
class Report:
    """Everything the report shows, read once."""

    title: str
    start_date: date
    made_at: datetime
    agenda: tuple[AgendaLine, ...]
    playbooks: tuple[tuple[str, Bi], ...]
    steps: tuple[StepLine, ...]
    teams: tuple[TeamLine, ...]
    polls: tuple[PollResults, ...]

    def status(self, team: TeamLine, step: StepLine) -> str | None:
        """The status of `step` in `team`'s plan (None if the team does not have it)."""
        return team.statuses.get((step.playbook_id, step.step_id, step.title.zh))


def _key(row: Row) -> tuple[str | None, str | None, str]:
    return (row.playbook_id, row.step_id, row.title.zh)


def compose(
    workshop: Workshop,
    catalogue: Catalogue,
    rows: Sequence[Row],
    polls: Sequence[PollResults],
    made_at: datetime,
) -> Report:
    """The report from what was read (pure: the tests give it rows and polls directly)."""
    items = catalogue.items
    agenda = tuple(
        AgendaLine(
            Bi.of(items[b.item].title) if b.item in items else Bi.same(b.item), b.minutes, start
        )
        for b, start in zip(workshop.agenda.blocks, workshop.agenda.starts(), strict=True)
    )
    playbooks = tuple(playbook_titles(workshop.agenda, items))
    board = tally(workshop.teams, playbooks, list(rows))
    rank = {pid: n for n, (pid, _t) in enumerate(playbooks)}
    steps: dict[tuple[str | None, str | None, str], StepLine] = {}
    for row in rows:
        steps.setdefault(_key(row), StepLine(row.playbook_id, row.step_id, row.title))
    ordered = sorted(
        steps.values(),
        key=lambda s: rank.get(s.playbook_id, len(rank)) if s.playbook_id else len(rank) + 1,
    )
    by_team: dict[str, dict[tuple[str | None, str | None, str], str]] = {}
    for row in rows:
        by_team.setdefault(row.workspace_id, {})[_key(row)] = row.status
    teams = tuple(
        TeamLine(p.team, p.total, by_team.get(p.team.workspace_id, {})) for p in board.teams
    )
    return Report(
        title=workshop.title,
        start_date=workshop.start_date,
        made_at=made_at,
        agenda=agenda,
        playbooks=playbooks,
        steps=tuple(ordered),
        teams=teams,
        polls=tuple(polls),
    )


def build_report(store: Store, host_code: str, catalogue: Catalogue) -> Report:
    """Read the workshop's agenda, board and polls (the facilitator code opens them)."""
    workshop = open_workshop(store, host_code)
    return compose(
        workshop, catalogue, board_rows(store, workshop), list_polls(store, host_code), utcnow()
    )


# ---------------------------------------------------------------- Markdown


def _t(bi: Bi, lang: str) -> str:
    return bi.get("en" if lang == "en" else "zh")


def _l(zh: str, en: str, lang: str) -> str:
    return en if lang == "en" else zh


def _kind(poll: PollResults, lang: str) -> str:
    labels = {
        "choice": ("单选", "single choice"),
        "scale": ("1–5 打分", "scale 1-5"),
        "text": ("简短回答", "short text"),
    }
    zh, en = labels[poll.poll.kind]
    return _l(zh, en, lang)


def _poll_markdown(number: int, results: PollResults, lang: str) -> list[str]:
    poll = results.poll
    out = [
        "",
        f"### {number}. {md_escape(poll.question)}",
        "",
        f"{_kind(results, lang)} · {md_escape(summary_line(results, lang))}",
        "",
    ]
    if poll.kind == "text":
        if not results.texts:
            out.append(_l("（没有回答）", "(no answers)", lang))
        out += [f"- **{md_escape(team)}**: {md_escape(text)}" for team, text in results.texts]
        return out
    out += [
        f"| {_l('选项', 'Option', lang)} | {_l('小组数', 'Teams', lang)} |",
        "|---|---|",
    ]
    for label, count in zip(poll.labels(), results.counts, strict=True):
        out.append(f"| {md_escape(label)} | {count} |")
    return out


def report_markdown(report: Report, lang: str = "zh") -> str:
    """The report as Markdown (zh or en)."""
    teams = len(report.teams)
    out = [
        f"# {md_escape(report.title)}",
        "",
        _l(
            f"工作坊报告 · {report.start_date.isoformat()} · {teams} 个小组 · "
            f"{len(report.polls)} 次提问 · 生成于 {report.made_at:%Y-%m-%d %H:%M} UTC",
            f"Workshop report · {report.start_date.isoformat()} · {teams} teams · "
            f"{len(report.polls)} polls · made {report.made_at:%Y-%m-%d %H:%M} UTC",
            lang,
        ),
        "",
        f"## {_l('议程', 'Agenda', lang)}",
        "",
        f"| # | {_l('开始', 'Starts', lang)} | {_l('内容', 'Topic', lang)} "
        f"| {_l('分钟', 'Minutes', lang)} |",
        "|---|---|---|---|",
    ]
    for number, block in enumerate(report.agenda, 1):
        out.append(
            f"| {number} | +{block.starts} | {md_escape(_t(block.title, lang))} | {block.minutes} |"
        )
    out += [
        "",
        f"## {_l('各组进度', 'Team progress', lang)}",
        "",
        "| "
        + " | ".join(
            [_l("小组", "Team", lang)]
            + [status_label(s, lang) for s in STATUSES]
            + [_l("完成率", "Done %", lang)]
        )
        + " |",
        "|---|---|---|---|---|---|",
    ]
    for line in report.teams:
        p = line.progress
        out.append(
            f"| {md_escape(line.team.name)} | {p.done} | {p.doing} | {p.todo} | {p.skipped} "
            f"| {p.ratio:.0%} |"
        )
    out += ["", f"## {_l('逐步看板', 'Board by step', lang)}", ""]
    out.append(
        "  ".join(f"{MARKS[s]} {status_label(s, lang)}" for s in STATUSES)
        + _l("；空白：该组没有这一条。", "; blank: the team does not have it.", lang)
    )
    titles = dict(report.playbooks)
    groups: dict[str | None, list[StepLine]] = {}
    for step in report.steps:
        groups.setdefault(step.playbook_id, []).append(step)
    header = (
        "| "
        + " | ".join([_l("步骤", "Step", lang)] + [md_escape(t.team.name) for t in report.teams])
        + " |"
    )
    rule = "|" + "---|" * (1 + len(report.teams))
    for playbook_id, steps in groups.items():
        name = titles.get(playbook_id, CUSTOM) if playbook_id else CUSTOM
        out += ["", f"### {md_escape(_t(name, lang))}", "", header, rule]
        for step in steps:
            cells = [MARKS.get(report.status(t, step) or "", "") for t in report.teams]
            out.append(f"| {md_escape(_t(step.title, lang))} | " + " | ".join(cells) + " |")
    out += ["", f"## {_l('向全场提问', 'Polls', lang)}"]
    if not report.polls:
        out += ["", _l("这次工作坊没有提问。", "No polls in this workshop.", lang)]
    for number, results in enumerate(report.polls, 1):
        out += _poll_markdown(number, results, lang)
    out += ["", "---", "", _l("由群策 Qunce 生成。", "Made with Qunce 群策.", lang), ""]
    return "\n".join(out)


# ---------------------------------------------------------------- XLSX


def set_text(cell: Cell, value: str) -> None:
    """Put a typed text in a cell: XML-safe, and never run as a formula (no visible quote)."""
    text = xml_safe(value)
    cell.value = text
    if text.startswith(FORMULA_START):
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula; this is text
        cell.quotePrefix = True  # and the spreadsheet keeps it text when someone edits it
    cell.alignment = Alignment(wrap_text=False, vertical="top")


def _append(sheet: Worksheet, values: Sequence[object]) -> None:
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet["A1"].value is not None else 1
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            set_text(cell, value)
        else:
            cell.value = value


def _header(sheet: Worksheet, values: Sequence[str], widths: Sequence[int]) -> None:
    _append(sheet, values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDE7DA")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=sheet.max_row + 1, column=1)


def report_xlsx(report: Report, lang: str = "zh") -> bytes:
    """The report as an Excel workbook: agenda, teams, board by step, polls."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _l("议程", "Agenda", lang)
    _append(sheet, [report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    _append(sheet, [report.start_date.isoformat()])
    _header(
        sheet,
        ["#", _l("开始（分钟）", "Starts (min)", lang), _l("内容", "Topic", lang),
         _l("分钟", "Minutes", lang)],
        [6, 14, 60, 10],
    )  # fmt: skip
    for number, block in enumerate(report.agenda, 1):
        _append(sheet, [number, block.starts, _t(block.title, lang), block.minutes])

    teams = book.create_sheet(_l("各组进度", "Teams", lang))
    _header(
        teams,
        [_l("小组", "Team", lang), *(status_label(s, lang) for s in STATUSES),
         _l("完成率", "Done %", lang)],
        [28, 10, 10, 10, 10, 10],
    )  # fmt: skip
    for line in report.teams:
        p = line.progress
        _append(teams, [line.team.name, p.done, p.doing, p.todo, p.skipped, round(p.ratio, 3)])
        teams.cell(row=teams.max_row, column=6).number_format = "0%"

    board = book.create_sheet(_l("逐步看板", "Board", lang))
    titles = dict(report.playbooks)
    _header(
        board,
        [
            _l("方法", "Playbook", lang),
            _l("步骤", "Step", lang),
            *(t.team.name for t in report.teams),
        ],
        [30, 44, *(16 for _ in report.teams)],
    )
    for step in report.steps:
        name = titles.get(step.playbook_id, CUSTOM) if step.playbook_id else CUSTOM
        statuses = [report.status(t, step) for t in report.teams]
        _append(
            board,
            [_t(name, lang), _t(step.title, lang),
             *(status_label(s, lang) if s else "" for s in statuses)],
        )  # fmt: skip

    polls = book.create_sheet(_l("提问", "Polls", lang))
    _header(
        polls,
        ["#", _l("问题", "Question", lang), _l("类型", "Kind", lang),
         _l("选项或小组", "Option or team", lang), _l("小组数或回答", "Teams or answer", lang)],
        [6, 44, 14, 28, 44],
    )  # fmt: skip
    for number, results in enumerate(report.polls, 1):
        poll = results.poll
        kind = _kind(results, lang)
        if poll.kind == "text":
            for team, text in results.texts or (("", ""),):
                _append(polls, [number, poll.question, kind, team, text])
        else:
            for label, count in zip(poll.labels(), results.counts, strict=True):
                _append(polls, [number, poll.question, kind, label, count])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
