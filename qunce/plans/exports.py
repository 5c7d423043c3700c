"""Plan exports (Markdown, CSV, XLSX, JSON) and the JSON import into another workspace.

Spreadsheets run formulas: a cell a person typed as `=HYPERLINK(...)` or `@SUM(...)` would
execute when a teammate opens the CSV or XLSX. Every text cell starting with =, +, -, @, tab or
carriage return is therefore written with a leading single quote, which spreadsheet programs
show as text.

The JSON import is all-or-nothing: the file is checked for size, syntax and shape (pydantic,
unknown fields refused) before anything is written, and the plan with all its items is inserted
in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from qunce.content.rrules import describe
from qunce.db.base import utcnow
from qunce.db.errors import InvalidValue
from qunce.db.store import Store
from qunce.plans.errors import ImportRejected
from qunce.plans.models import ItemRow, OccurrenceRow, PlanRow, SourceRow
from qunce.plans.records import Item, Occurrence, Plan, Status, status_label
from qunce.plans.recurrence import check_repeat
from qunce.plans.repository import (
    MAX_ITEMS,
    _author,
    _load_plan,
    check_plan_quota,
    describe_validation,
)
from qunce.plans.texts import SaneDate, StorableText
from qunce.plans.timeline import overdue_ids
from qunce.plans.workspaces import clean_name

FORMAT = "qunce-plan"
# Version 2 adds duration, target, routine, copied-from, repeat rule and touched occurrences;
# version 1 files still import.
FORMAT_VERSION = 2
MAX_IMPORT_BYTES = 1_000_000
MAX_SOURCES = 100
MAX_OCCURRENCES = 5000  # touched occurrences per item in a plan file
# The file formats of a plan download; `ics` (a calendar) is exported too but is not a plan file.
FORMATS = ("md", "csv", "xlsx", "json")
EXPORT_FORMATS = (*FORMATS, "ics")
_DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A CSV text cell made safe for spreadsheets: a leading ' before a formula-starting character.

    CSV has no cell types, so the quote is the only way to say "text"; the CSV writer also
    quotes every field, so a `;` inside a text never starts a new cell (and with it a formula)
    in spreadsheets that split on semicolons.
    """
    return "'" + value if value.startswith(_DANGEROUS_FIRST) else value


def _append(sheet: Any, values: Sequence[object]) -> None:
    """Append a row; its texts are written as text cells (see `_text_cell`)."""
    sheet.append([None if isinstance(v, str) else v for v in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            _text_cell(sheet.cell(row=row, column=column), value)


def _text_cell(cell: Any, value: str) -> None:
    """Write `value` into an XLSX cell as text, never as a formula, with no visible quote mark.

    openpyxl turns a string starting with "=" into a formula; the cell is typed as a string
    instead, and `quotePrefix` keeps it text when someone edits it in Excel.
    """
    cell.value = value
    cell.data_type = "s"
    if value.startswith(_DANGEROUS_FIRST):
        cell.quotePrefix = True


def filename(plan: Plan, fmt: str) -> str:
    """A download file name for a plan export, e.g. `plan-3-618-launch.xlsx`."""
    slug = re.sub(r"[^\w]+", "-", plan.name, flags=re.UNICODE).strip("-").lower()[:40]
    return f"plan-{plan.id}{'-' + slug if slug else ''}.{fmt}"


# ---------------------------------------------------------------- tables (CSV, XLSX)

_HEADERS: list[tuple[str, str, str]] = [
    ("position", "序号", "#"),
    ("playbook", "手册", "Playbook"),
    ("title", "事项", "Item"),
    ("status", "状态", "Status"),
    ("owner", "负责人", "Owner"),
    ("due", "截止日期", "Due"),
    ("effort_days", "工作量（天）", "Effort (days)"),
    ("duration_days", "工期（天）", "Duration (days)"),
    ("repeats", "重复", "Repeats"),
    ("overdue", "逾期", "Overdue"),
    ("done_when", "完成标准", "Done when"),
    ("target", "目标", "Target"),
    ("notes", "备注", "Notes"),
    ("playbook_id", "手册 id", "Playbook id"),
    ("step_id", "步骤 id", "Step id"),
    ("version", "版本", "Version"),
    ("updated_by", "最后修改人", "Last changed by"),
    ("updated_at", "最后修改时间 (UTC)", "Last changed (UTC)"),
]


def _playbook_title(plan: Plan, item: Item, lang: str) -> str:
    if item.playbook_id is None:
        return "自定义" if lang == "zh" else "Custom"
    source = plan.source(item.playbook_id)
    return source.title(lang) if source else item.playbook_id


def rows(plan: Plan, *, lang: str, today: date) -> list[list[object]]:
    """The plan as a table: a header row, then one row per item (values not yet neutralised)."""
    late = overdue_ids(plan, today)
    yes, no = ("是", "") if lang == "zh" else ("yes", "")
    table: list[list[object]] = [[zh if lang == "zh" else en for _k, zh, en in _HEADERS]]
    for item in plan.items:
        table.append(
            [
                item.position + 1,
                _playbook_title(plan, item, lang),
                item.title(lang),
                status_label(item.status, lang),
                item.owner,
                item.due,
                None if item.recurring else item.effort_days,
                None if item.recurring else item.calendar_days,
                describe(item.rule, lang) if item.rule else "",
                yes if item.id in late else no,
                item.done_when(lang),
                item.target(lang),
                item.notes,
                item.playbook_id or "",
                item.step_id or "",
                item.version,
                item.updated_by,
                item.updated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0),
            ]
        )
    return table


def to_csv(plan: Plan, *, lang: str, today: date) -> bytes:
    """The plan as CSV (UTF-8 with BOM so that Excel reads Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for row in rows(plan, lang=lang, today=today):
        writer.writerow(
            [
                neutralise(v) if isinstance(v, str)
                else v.isoformat(sep=" ") if isinstance(v, datetime)
                else v.isoformat() if isinstance(v, date)
                else "" if v is None
                else f"{v:g}" if isinstance(v, float)
                else v
                for v in row
            ]
        )  # fmt: skip
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(plan: Plan, *, lang: str, today: date) -> bytes:
    """The plan as an Excel workbook: the checklist sheet, and a progress sheet per playbook."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "计划" if lang == "zh" else "Plan"
    table = rows(plan, lang=lang, today=today)
    for row in table:
        _append(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    overdue_col = [k for k, _zh, _en in _HEADERS].index("overdue") + 1
    red = PatternFill("solid", fgColor="F8D7DA")
    for index in range(2, len(table) + 1):
        if sheet.cell(row=index, column=overdue_col).value:
            for cell in sheet[index]:
                cell.fill = red
    widths = {"title": 40, "done_when": 40, "notes": 40, "playbook": 24}
    for index, (key, _zh, _en) in enumerate(_HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(key, 14)
    summary = book.create_sheet("进度" if lang == "zh" else "Progress")
    summary.append(
        [
            "手册" if lang == "zh" else "Playbook",
            *(status_label(s, lang) for s in ("todo", "doing", "done", "skipped")),
            "完成率" if lang == "zh" else "Done",
        ]
    )
    for cell in summary[1]:
        cell.font = Font(bold=True)
    for playbook_id, progress in plan.progress_by_playbook().items():
        source = plan.source(playbook_id) if playbook_id else None
        label = source.title(lang) if source else ("自定义" if lang == "zh" else "Custom")
        _append(summary, [label, progress.todo, progress.doing, progress.done, progress.skipped,
                          round(progress.ratio, 3)])  # fmt: skip
    total = plan.progress()
    _append(
        summary,
        [
            plan.name,
            total.todo,
            total.doing,
            total.done,
            total.skipped,
            round(total.ratio, 3),
        ],
    )
    summary.column_dimensions["A"].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- Markdown

# User text never starts a line in our export, so list and heading markers need no escaping.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(value: str) -> str:
    """Text shown literally by Markdown renderers (no links, images, HTML or emphasis), on one
    line: a newline in a title would otherwise start a heading or a list of its own."""
    value = " ".join(value.split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", value)


def to_markdown(plan: Plan, *, lang: str, today: date) -> str:
    """The plan as a Markdown checklist grouped by playbook, with owners, due dates and notes."""
    zh = lang == "zh"
    late = overdue_ids(plan, today)
    total = plan.progress()
    lines = [
        f"# {md_escape(plan.name)}",
        "",
        (f"开始日期：{plan.start_date.isoformat()} · 进度：{total.done}/{total.counted} 完成"
         f"（{total.ratio:.0%}） · 导出于 {today.isoformat()}")
        if zh
        else (f"Start: {plan.start_date.isoformat()} · Progress: {total.done}/{total.counted} done "
              f"({total.ratio:.0%}) · Exported {today.isoformat()}"),
    ]  # fmt: skip
    groups = plan.progress_by_playbook()
    for key, progress in groups.items():
        source = plan.source(key) if key else None
        heading = source.title(lang) if source else ("自定义事项" if zh else "Custom items")
        lines += ["", f"## {md_escape(heading)} ({progress.done}/{progress.counted})", ""]
        for item in (i for i in plan.items if i.playbook_id == key):
            title = md_escape(item.title(lang))
            if item.status == "skipped":
                title = f"~~{title}~~"
            box = "x" if item.status == "done" else " "
            facts = [status_label(item.status, lang)]
            if item.owner:
                facts.append(("负责人：" if zh else "owner: ") + md_escape(item.owner))
            if item.due:
                facts.append(("截止：" if zh else "due: ") + item.due.isoformat())
            if item.rule:
                facts.append(("重复：" if zh else "repeats: ") + describe(item.rule, lang))
            if item.id in late:
                facts.append("⚠ 逾期" if zh else "⚠ overdue")
            lines.append(f"- [{box}] **{title}** — {' · '.join(facts)}")
            if item.done_when(lang):
                lines.append(
                    f"  - {'完成标准' if zh else 'Done when'}: {md_escape(item.done_when(lang))}"
                )
            if item.target(lang):
                lines.append(f"  - {'目标' if zh else 'Target'}: {md_escape(item.target(lang))}")
            if item.notes.strip():
                note = " ".join(md_escape(line) for line in item.notes.strip().splitlines())
                lines.append(f"  - {'备注' if zh else 'Notes'}: {note}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- JSON

Kebab = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)]
Short = Annotated[str, StringConstraints(max_length=300), StorableText]
Long = Annotated[str, StringConstraints(max_length=20_000), StorableText]
Version = Annotated[str, StringConstraints(max_length=64), StorableText]
Day = Annotated[date, SaneDate]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceFile(_Strict):
    """A playbook source in a plan file."""

    playbook_id: Kebab
    content_version: Version
    title_zh: Short = ""
    title_en: Short = ""


class OccurrenceFile(_Strict):
    """A touched occurrence of a recurring item in a plan file."""

    occurs_at: datetime
    status: Literal["todo", "done", "skipped"] = "todo"
    notes: Long = ""


class ItemFile(_Strict):
    """An item in a plan file."""

    playbook_id: Kebab | None = None
    step_id: Kebab | None = None
    content_version: Version | None = None
    title_zh: Short = ""
    title_en: Short = ""
    detail_zh: Long = ""
    detail_en: Long = ""
    done_when_zh: Long = ""
    done_when_en: Long = ""
    effort_days: float = Field(default=1.0, gt=0, le=365)
    duration_days: float | None = Field(default=None, gt=0, le=365)
    target_zh: Long = ""
    target_en: Long = ""
    role: Annotated[str, StringConstraints(max_length=50), StorableText] | None = None
    routine_id: Kebab | None = None
    copied_from: Annotated[str, StringConstraints(max_length=201), StorableText] | None = None
    status: Status = "todo"
    owner: Annotated[str, StringConstraints(max_length=200), StorableText] = ""
    due: Day | None = None
    notes: Long = ""
    rule: Annotated[str, StringConstraints(max_length=300)] | None = None
    repeat_from: Day | None = None
    occurrences: list[OccurrenceFile] = Field(default_factory=list, max_length=MAX_OCCURRENCES)


class PlanBody(_Strict):
    """The plan in a plan file."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200), StorableText]
    start_date: Day
    sources: list[SourceFile] = Field(default_factory=list, max_length=MAX_SOURCES)
    items: list[ItemFile] = Field(max_length=MAX_ITEMS)


class PlanFile(_Strict):
    """A Qunce plan file (`qunce plan export --format json`)."""

    format: Literal["qunce-plan"]
    version: Literal[1, 2]
    exported_at: datetime | None = None
    plan: PlanBody


def to_json(plan: Plan, occurrences: Iterable[Occurrence] = ()) -> bytes:
    """The plan as a JSON plan file that `import_plan` reads back (ids and history left out).

    `occurrences` are the touched occurrences of its recurring items (`all_occurrences`).
    """
    touched: dict[int, list[OccurrenceFile]] = {}
    for occurrence in occurrences:
        touched.setdefault(occurrence.item_id, []).append(
            OccurrenceFile(
                occurs_at=occurrence.occurs_at,
                status=occurrence.status,
                notes=occurrence.notes,
            )
        )
    document = PlanFile(
        format=FORMAT,
        version=FORMAT_VERSION,
        exported_at=datetime.now(UTC).replace(microsecond=0),
        plan=PlanBody(
            name=plan.name,
            start_date=plan.start_date,
            sources=[
                SourceFile(
                    playbook_id=s.playbook_id,
                    content_version=s.content_version,
                    title_zh=s.title_zh,
                    title_en=s.title_en,
                )
                for s in plan.sources
            ],
            items=[
                ItemFile(
                    playbook_id=i.playbook_id,
                    step_id=i.step_id,
                    content_version=i.content_version,
                    title_zh=i.title_zh,
                    title_en=i.title_en,
                    detail_zh=i.detail_zh,
                    detail_en=i.detail_en,
                    done_when_zh=i.done_when_zh,
                    done_when_en=i.done_when_en,
                    effort_days=i.effort_days,
                    duration_days=i.duration_days,
                    target_zh=i.target_zh,
                    target_en=i.target_en,
                    role=i.role,
                    routine_id=i.routine_id,
                    copied_from=i.copied_from,
                    status=i.status,
                    owner=i.owner,
                    due=i.due,
                    notes=i.notes,
                    rule=i.rule,
                    repeat_from=i.repeat_from,
                    occurrences=touched.get(i.id, []),
                )
                for i in plan.items
            ],
        ),
    )
    return document.model_dump_json(indent=2).encode("utf-8")


def parse_plan_file(data: bytes) -> PlanFile:
    """Check a plan file's size, syntax and shape; ImportRejected names every problem found."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected(
            [f"the file has {len(data):,} bytes; the limit is {MAX_IMPORT_BYTES:,} bytes (1 MB)"]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([f"the file is not UTF-8 text (byte {exc.start})"]) from exc
    try:
        raw: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            [f"the file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]
        ) from exc
    except RecursionError as exc:
        raise ImportRejected(
            ["the file nests lists or objects too deeply to be a plan file"]
        ) from exc
    except ValueError as exc:  # an integer longer than Python converts (over 4,300 digits)
        raise ImportRejected(
            ["the file holds a number with thousands of digits, which no plan field can hold"]
        ) from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ImportRejected(
            ['this is not a Qunce plan file: it needs "format": "qunce-plan" at the top level '
             "(export one with the Export tab or `qunce plan export --format json`)"]
        )  # fmt: skip
    items = raw.get("plan", {}).get("items") if isinstance(raw.get("plan"), dict) else None
    if isinstance(items, list) and len(items) > MAX_ITEMS:
        raise ImportRejected(
            [f"plan.items: the file has {len(items):,} items; at most {MAX_ITEMS:,} fit"]
        )
    try:
        document = PlanFile.model_validate(raw)
    except ValidationError as exc:
        raise ImportRejected(describe_validation(exc).splitlines()) from exc
    problems = []
    try:
        clean_name(document.plan.name, what="plan name")
    except InvalidValue as exc:
        problems.append(f"plan.name: {exc}")
    seen: set[str] = set()
    for index, source in enumerate(document.plan.sources):
        if source.playbook_id in seen:
            problems.append(
                f"plan.sources[{index}].playbook_id: {source.playbook_id!r} is listed twice"
            )
        seen.add(source.playbook_id)
    for index, item in enumerate(document.plan.items):
        if not (item.title_zh.strip() or item.title_en.strip()):
            problems.append(f"plan.items[{index}]: the item has no title (title_zh or title_en)")
        if item.step_id is not None and item.playbook_id is None:
            problems.append(f"plan.items[{index}]: a step_id needs its playbook_id")
        if item.rule is not None:
            try:
                check_repeat(item.rule, item.repeat_from or document.plan.start_date)
            except InvalidValue as exc:
                problems.append(f"plan.items[{index}].rule: {exc}")
                continue
        if item.occurrences and item.rule is None:
            problems.append(f"plan.items[{index}].occurrences: the item has no repeat rule")
        seen_at: set[datetime] = set()
        for number, occurrence in enumerate(item.occurrences):
            if occurrence.occurs_at in seen_at:
                problems.append(
                    f"plan.items[{index}].occurrences[{number}]: "
                    f"{occurrence.occurs_at:%Y-%m-%d %H:%M} is listed twice"
                )
            seen_at.add(occurrence.occurs_at)
    if problems:
        raise ImportRejected(problems)
    return document


def import_plan(store: Store, workspace_id: str, data: bytes, *, author: str = "") -> Plan:
    """Create a plan in `workspace_id` from a JSON plan file; nothing changes if it is rejected."""
    body = parse_plan_file(data).plan
    author = _author(author)
    name = clean_name(body.name, what="plan name")
    now = utcnow()
    with store.session(write=True) as session:
        check_plan_quota(session, workspace_id)
        plan = PlanRow(
            workspace_id=workspace_id,
            name=name,
            start_date=body.start_date,
            created_at=now,
            updated_at=now,
            created_by=author,
        )
        session.add(plan)
        session.flush()
        for index, source in enumerate(body.sources):
            session.add(SourceRow(plan_id=plan.id, workspace_id=workspace_id, position=index,
                                  **source.model_dump()))  # fmt: skip
        rows: list[tuple[ItemRow, list[OccurrenceFile]]] = []
        for index, item in enumerate(body.items):
            fields = item.model_dump(exclude={"occurrences"})
            fields["title_zh"] = fields["title_zh"].strip() or fields["title_en"].strip()
            fields["title_en"] = fields["title_en"].strip() or fields["title_zh"]
            if item.rule is not None:
                fields["repeat_from"] = item.repeat_from or body.start_date
                fields["rule"] = check_repeat(item.rule, fields["repeat_from"]).rule
            row = ItemRow(plan_id=plan.id, workspace_id=workspace_id, position=index, version=1,
                          updated_at=now, updated_by=author, **fields)  # fmt: skip
            session.add(row)
            rows.append((row, item.occurrences))
        session.flush()
        for row, touched in rows:
            for occurrence in touched:
                session.add(
                    OccurrenceRow(
                        workspace_id=workspace_id, plan_id=plan.id, item_id=row.id,
                        occurs_at=occurrence.occurs_at.replace(tzinfo=None, second=0,
                                                               microsecond=0),
                        status=occurrence.status, notes=occurrence.notes, version=1,
                        updated_at=now, updated_by=author,
                    )
                )  # fmt: skip
        session.flush()
        return _load_plan(session, plan)


def export_plan(
    plan: Plan,
    fmt: str,
    *,
    lang: str,
    today: date,
    occurrences: Iterable[Occurrence] = (),
    tz: str | None = None,
) -> bytes:
    """The plan in `fmt` (md, csv, xlsx, json or ics) as bytes.

    `occurrences` (the touched ones, `all_occurrences`) go into json and ics; `tz` is the time
    zone of the ics file (default QUNCE_TIMEZONE).
    """
    if fmt == "md":
        return to_markdown(plan, lang=lang, today=today).encode("utf-8")
    if fmt == "csv":
        return to_csv(plan, lang=lang, today=today)
    if fmt == "xlsx":
        return to_xlsx(plan, lang=lang, today=today)
    if fmt == "json":
        return to_json(plan, occurrences)
    if fmt == "ics":
        from qunce.plans.ics import to_ics

        return to_ics(plan, occurrences, lang=lang, tz=tz)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")


MIME_TYPES = {
    "md": "text/markdown",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "ics": "text/calendar",
}
