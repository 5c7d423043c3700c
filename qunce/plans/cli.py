"""`qunce workspace ...`, `qunce plan ...` and `qunce notify`: workspaces and plans for people
and for automation (cron, scripts).

Every command opens (and migrates) the database at `QUNCE_DATABASE_URL`. A `PlanError` (wrong
code, unknown plan, bad file, database down, a robot that refused) becomes one line on stderr
and exit status 1; an edit refused because someone saved first exits with status 3 and shows
what is there now.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from qunce.content.rrules import describe
from qunce.db.errors import PlanError
from qunce.db.store import Store, open_store
from qunce.plans.calendar import Entry, TodayView, today_range, today_view, week_range, week_view
from qunce.plans.errors import StaleEdit, StaleOccurrence
from qunce.plans.exports import export_plan, filename, import_plan
from qunce.plans.notify import ROBOTS, notify_plan, shown_request
from qunce.plans.occurrences import (
    all_occurrences,
    get_occurrence,
    get_occurrences,
    occurrence_at,
    update_occurrence,
)
from qunce.plans.records import STATUSES, Item, Workspace, status_label
from qunce.plans.recurrence import local_today
from qunce.plans.repository import create_plan, get_item, get_plan, list_plans, update_item
from qunce.plans.workspaces import (
    create_workspace,
    issue_owner_code,
    join_link,
    rotate_code,
    workspace_by_code,
)

workspace_app = typer.Typer(help="Team workspaces.", no_args_is_help=True)
plan_app = typer.Typer(help="Launch plans.", no_args_is_help=True)
item_app = typer.Typer(help="Change one item of a plan (versioned: a stale edit is refused).",
                       no_args_is_help=True)  # fmt: skip
occurrence_app = typer.Typer(
    help="Tick, skip or note one occurrence of a recurring item.", no_args_is_help=True
)
plan_app.add_typer(item_app, name="item")
plan_app.add_typer(occurrence_app, name="occurrence")
STALE_EXIT = 3


class Format(StrEnum):
    """Export formats."""

    md = "md"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    ics = "ics"


class Lang(StrEnum):
    """Languages of exported texts."""

    zh = "zh"
    en = "en"


WorkspaceCode = Annotated[
    str,
    typer.Option(
        "--workspace",
        "-w",
        help="The workspace's join code, or its whole join link.",
        envvar="QUNCE_WORKSPACE_CODE",
        show_envvar=True,
    ),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of titles and headers.")]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _errors_as_messages() -> Iterator[None]:
    try:
        yield
    except StaleEdit as exc:
        now = exc.current
        raise _fail(
            f"not saved: {exc}. Now: status {now.status}, owner {now.owner or '-'}, due "
            f"{now.due.isoformat() if now.due else '-'}. Look, then run again with "
            f"--version {now.version}",
            STALE_EXIT,
        ) from exc
    except StaleOccurrence as exc:
        raise _fail(
            f"not saved: {exc}. Look, then run again with --version {exc.current.version}",
            STALE_EXIT,
        ) from exc
    except PlanError as exc:
        raise _fail(str(exc)) from exc


def _with_workspace(code: str, work: Callable[[Store, Workspace], None]) -> None:
    with _errors_as_messages():
        store = open_store()
        try:
            work(store, workspace_by_code(store, code))
        finally:
            store.dispose()


@workspace_app.command("create")
def workspace_create(
    name: Annotated[str, typer.Argument(help="The team's name, e.g. 'Shenzhen store'.")],
    lang: LangOption = Lang.zh,
) -> None:
    """Create a workspace and print its join code and link (shown only this once)."""
    with _errors_as_messages():
        store = open_store()
        try:
            workspace, code = create_workspace(store, name)
            owner = issue_owner_code(store, workspace.id)
        finally:
            store.dispose()
    typer.echo(f"Workspace: {workspace.name}")
    typer.echo(f"Join code: {code}")
    typer.echo(f"Join link: {join_link(code, lang=lang.value)}")
    typer.echo(f"Owner link: {join_link(owner, lang=lang.value)}  (keep it to yourself)")
    typer.echo("Keep both: Qunce stores only their sha256 and cannot show them again.")


@workspace_app.command("owner-code")
def workspace_owner_code(workspace: WorkspaceCode, lang: LangOption = Lang.zh) -> None:
    """Issue a new owner link for a workspace (one made before owners existed, or whose owner
    lost the link); any earlier owner link stops working."""

    def work(store: Store, found: Workspace) -> None:
        code = issue_owner_code(store, found.id)
        typer.echo(f"Workspace: {found.name}")
        typer.echo(f"Owner link: {join_link(code, lang=lang.value)}")

    _with_workspace(workspace, work)


@workspace_app.command("rotate-code")
def workspace_rotate_code(workspace: WorkspaceCode, lang: LangOption = Lang.zh) -> None:
    """Give a workspace a new join code; the old code and link stop working."""

    def work(store: Store, found: Workspace) -> None:
        code = rotate_code(store, found.id)
        typer.echo(f"Workspace: {found.name}")
        typer.echo(f"New join code: {code}")
        typer.echo(f"New join link: {join_link(code, lang=lang.value)}")

    _with_workspace(workspace, work)


@plan_app.command("list")
def plan_list(workspace: WorkspaceCode) -> None:
    """List the workspace's plans: id, start date, progress and name."""

    def work(store: Store, found: Workspace) -> None:
        plans = list_plans(store, found.id)
        typer.echo(f"Workspace: {found.name} ({len(plans)} plans)")
        if not plans:
            typer.echo("No plans yet: build one on the Plans page.")
            return
        typer.echo(f"{'id':>5}  {'start':10}  {'done':>9}  {'%':>4}  name")
        for plan in plans:
            p = plan.progress
            typer.echo(
                f"{plan.id:>5}  {plan.start_date.isoformat():10}  "
                f"{f'{p.done}/{p.counted}':>9}  {p.ratio:>4.0%}  {plan.name}"
            )

    _with_workspace(workspace, work)


@plan_app.command("export")
def plan_export(
    workspace: WorkspaceCode,
    plan: Annotated[int, typer.Option("--plan", "-p", help="The plan id (see `qunce plan list`).")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="File format.")] = Format.md,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write here (default: stdout; xlsx: a file named after the plan)."
        ),
    ] = None,
    lang: LangOption = Lang.zh,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="Time zone of an ics file (default: QUNCE_TIMEZONE)."),
    ] = None,
) -> None:
    """Export a plan as Markdown, CSV, XLSX, a JSON plan file or an iCalendar (.ics) file."""

    def work(store: Store, found: Workspace) -> None:
        loaded = get_plan(store, found.id, plan)
        touched = all_occurrences(store, found.id, plan) if fmt in (Format.json, Format.ics) else []
        zone = _zone(tz)
        data = export_plan(loaded, fmt.value, lang=lang.value, today=local_today(zone),
                           occurrences=touched, tz=zone)  # fmt: skip
        target = out
        if target is None and fmt is Format.xlsx:
            target = Path(filename(loaded, "xlsx"))
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise _fail(f"cannot write {target}: {exc.strerror}") from exc
        typer.echo(f"Wrote {target} ({len(data):,} bytes)", err=True)

    _with_workspace(workspace, work)


@plan_app.command("import")
def plan_import(
    workspace: WorkspaceCode,
    file: Annotated[
        Path, typer.Argument(help="A JSON plan file from `qunce plan export -f json`.")
    ],
) -> None:
    """Import a JSON plan file as a new plan of the workspace (all or nothing)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror}") from exc

    def work(store: Store, found: Workspace) -> None:
        created = import_plan(store, found.id, data, author="qunce plan import")
        typer.echo(f"Imported plan {created.id} '{created.name}' ({len(created.items)} items)")

    _with_workspace(workspace, work)


def _zone(tz: str | None) -> str | None:
    if tz is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(f"--tz {tz!r} is not an IANA time zone (e.g. Asia/Shanghai)") from None
    return tz


def _day(value: str | None, option: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise _fail(f"{option} {value!r} is not a date; write it as 2026-03-02") from None


def _moment(value: str) -> date | datetime:
    text = value.strip().replace(" ", "T")
    try:
        return (
            datetime.fromisoformat(text).replace(second=0)
            if "T" in text
            else date.fromisoformat(text)
        )
    except ValueError:
        raise _fail(
            f"{value!r} is not a date or time; write 2026-03-02 or 2026-03-02T09:00"
        ) from None


PlanOption = Annotated[
    int, typer.Option("--plan", "-p", help="The plan id (see `qunce plan list`).")
]
AuthorOption = Annotated[
    str, typer.Option("--author", help="Name recorded in the history.", envvar="QUNCE_AUTHOR")
]
VersionOption = Annotated[
    int | None,
    typer.Option("--version", help="The version your edit is based on (default: the current one)."),
]
MineOption = Annotated[
    str | None, typer.Option("--mine", help="Only items this person owns (e.g. --mine Lin).")
]


@plan_app.command("create")
def plan_create(
    workspace: WorkspaceCode,
    playbooks: Annotated[
        list[str], typer.Option("--from", help="A playbook id; repeat for several.")
    ],
    name: Annotated[str, typer.Option("--name", help="The plan's name.")],
    start: Annotated[
        str | None, typer.Option("--start", help="Start date, e.g. 2026-03-02 (default: today).")
    ] = None,
    routines: Annotated[
        bool,
        typer.Option("--routines", help="Also add the playbooks' routines as recurring items."),
    ] = False,
    author: AuthorOption = "qunce plan create",
) -> None:
    """Build a plan from playbooks (their steps; with --routines their routines too)."""
    from qunce.content.catalogue import load_catalogue

    begin = _day(start, "--start") or local_today()

    def work(store: Store, found: Workspace) -> None:
        catalogue = load_catalogue()
        created = create_plan(store, found.id, name, playbooks, catalogue, start_date=begin,
                              author=author, routines=routines)  # fmt: skip
        recurring = sum(1 for i in created.items if i.recurring)
        typer.echo(
            f"Created plan {created.id} '{created.name}' from {begin.isoformat()}: "
            f"{len(created.items)} items ({recurring} recurring)"
        )

    _with_workspace(workspace, work)


def _item_line(item: Item, lang: str) -> str:
    repeats = f"  [{describe(item.rule, lang)}]" if item.rule else ""
    due = item.due.isoformat() if item.due else "-"
    return (
        f"{item.id:>6}  v{item.version:<3} {status_label(item.status, lang):8}  "
        f"{(item.owner or '-')[:12]:12}  {due:10}  {item.title(lang)}{repeats}"
    )


@plan_app.command("show")
def plan_show(
    workspace: WorkspaceCode, plan: PlanOption, mine: MineOption = None, lang: LangOption = Lang.zh
) -> None:
    """List a plan's items with their ids and versions (what `plan item set` needs)."""

    def work(store: Store, found: Workspace) -> None:
        loaded = get_plan(store, found.id, plan)
        items = [i for i in loaded.items if mine is None or i.is_owned_by(mine)]
        typer.echo(f"Plan {loaded.id} '{loaded.name}' from {loaded.start_date.isoformat()}: "
                   f"{len(items)} items")  # fmt: skip
        typer.echo(f"{'item':>6}  {'ver':4} {'status':8}  {'owner':12}  {'due':10}  title")
        for item in items:
            typer.echo(_item_line(item, lang.value))

    _with_workspace(workspace, work)


def _entry_line(entry: Entry, lang: str, *, with_day: bool = False) -> str:
    when = entry.at.strftime("%H:%M") if entry.at else ("全天" if lang == "zh" else "all day")
    if with_day or entry.overdue:
        when = f"{entry.day.isoformat()} {when}"
    ref = (
        f"{entry.item.id}@{entry.occurrence.occurs_at:%Y-%m-%dT%H:%M}"
        if entry.occurrence is not None
        else f"{entry.item.id}"
    )
    return (
        f"  {ref:24} v{entry.version:<3} {status_label(entry.status, lang):8} {when:16} "
        f"{entry.title(lang)} — {entry.item.owner or '-'}"
    )


@plan_app.command("agenda")
def plan_agenda(
    workspace: WorkspaceCode,
    plan: PlanOption,
    week: Annotated[bool, typer.Option("--week", help="This week instead of today.")] = False,
    mine: MineOption = None,
    on: Annotated[str | None, typer.Option("--date", help="Another day than today.")] = None,
    lang: LangOption = Lang.zh,
) -> None:
    """What is due today (and overdue), or this week, with the ids `plan occurrence` takes."""
    today = local_today()
    day = _day(on, "--date") or today

    def work(store: Store, found: Workspace) -> None:
        loaded = get_plan(store, found.id, plan)
        if week:
            start, end = week_range(day)
            touched = get_occurrences(store, found.id, plan, start=start, end=end)
            view = week_view(loaded, touched, day=day, today=today, person=mine)
            for shown in view.days:
                marker = " (today)" if shown.is_today else ""
                typer.echo(f"{shown.day.isoformat()} {shown.day:%a}{marker}")
                for entry in shown.entries:
                    typer.echo(_entry_line(entry, lang.value))
            return
        start, end = today_range(day)
        touched = get_occurrences(store, found.id, plan, start=start, end=end)
        agenda: TodayView = today_view(loaded, touched, today=day, person=mine)
        typer.echo(f"{day.isoformat()}: {len(agenda.due)} due, {len(agenda.overdue)} overdue")
        for title, entries in (("Due", agenda.due), ("Overdue", agenda.overdue)):
            if entries:
                typer.echo(title)
                for entry in entries:
                    typer.echo(_entry_line(entry, lang.value))

    _with_workspace(workspace, work)


@item_app.command("set")
def item_set(
    workspace: WorkspaceCode,
    item: Annotated[int, typer.Argument(help="The item id (see `qunce plan show`).")],
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of {', '.join(STATUSES)}.")
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Who does it ('' clears).")] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="Due date, e.g. 2026-03-20 ('' clears).")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Replace the notes.")] = None,
    repeat: Annotated[
        str | None,
        typer.Option(
            "--repeat", help='An RRULE, e.g. "FREQ=WEEKLY;BYDAY=FR;BYHOUR=20" ("" stops).'
        ),
    ] = None,
    repeat_from: Annotated[
        str | None, typer.Option("--repeat-from", help="First day of the repeats.")
    ] = None,
    version: VersionOption = None,
    author: AuthorOption = "qunce plan item set",
) -> None:
    """Change an item's status, owner, due date, notes or repeat rule, like the page does."""
    changes: dict[str, object] = {}
    if status is not None:
        if status not in STATUSES:
            raise _fail(f"--status {status!r}: use one of {', '.join(STATUSES)}")
        changes["status"] = status
    if owner is not None:
        changes["owner"] = owner
    if due is not None:
        changes["due"] = _day(due, "--due")
    if notes is not None:
        changes["notes"] = notes
    if repeat is not None:
        changes["rule"] = repeat or None
    if repeat_from is not None:
        changes["repeat_from"] = _day(repeat_from, "--repeat-from")
    if not changes:
        raise _fail("nothing to change: give --status, --owner, --due, --notes or --repeat")

    def work(store: Store, found: Workspace) -> None:
        current = get_item(store, found.id, item)
        based_on = current.version if version is None else version
        saved = update_item(store, found.id, item, changes, expected_version=based_on,
                            author=author)  # fmt: skip
        if saved.version == based_on:
            typer.echo(f"Item {saved.id} already had these values (version {saved.version})")
            return
        typer.echo(f"Saved item {saved.id} (version {saved.version})")
        typer.echo(_item_line(saved, "en"))

    _with_workspace(workspace, work)


def _occurrence_command(
    workspace: str,
    item: int,
    when: str,
    changes: dict[str, object],
    version: int | None,
    author: str,
) -> None:
    moment = _moment(when)

    def work(store: Store, found: Workspace) -> None:
        loaded = get_item(store, found.id, item)
        at = occurrence_at(loaded, moment)
        current = get_occurrence(store, found.id, item, at)
        based_on = current.version if version is None else version
        saved = update_occurrence(store, found.id, item, at, changes, expected_version=based_on,
                                  author=author)  # fmt: skip
        typer.echo(
            f"Item {item} at {at:%Y-%m-%d %H:%M}: {saved.status}"
            + (f", notes: {saved.notes}" if saved.notes else "")
            + f" (version {saved.version})"
        )

    _with_workspace(workspace, work)


WhenArgument = Annotated[
    str,
    typer.Argument(
        help="The occurrence: its date (2026-03-02) or date and time (2026-03-02T09:00)."
    ),
]
ItemArgument = Annotated[int, typer.Argument(help="The recurring item's id.")]
NotesOption = Annotated[str | None, typer.Option("--notes", help="A note on this occurrence.")]


@occurrence_app.command("tick")
def occurrence_tick(
    workspace: WorkspaceCode,
    item: ItemArgument,
    when: WhenArgument,
    notes: NotesOption = None,
    version: VersionOption = None,
    author: AuthorOption = "qunce plan occurrence",
) -> None:
    """Mark one occurrence done (the others and the item stay as they are)."""
    changes: dict[str, object] = {"status": "done"}
    if notes is not None:
        changes["notes"] = notes
    _occurrence_command(workspace, item, when, changes, version, author)


@occurrence_app.command("skip")
def occurrence_skip(
    workspace: WorkspaceCode,
    item: ItemArgument,
    when: WhenArgument,
    notes: NotesOption = None,
    version: VersionOption = None,
    author: AuthorOption = "qunce plan occurrence",
) -> None:
    """Skip one occurrence (a calendar export leaves it out)."""
    changes: dict[str, object] = {"status": "skipped"}
    if notes is not None:
        changes["notes"] = notes
    _occurrence_command(workspace, item, when, changes, version, author)


@occurrence_app.command("set")
def occurrence_set(
    workspace: WorkspaceCode,
    item: ItemArgument,
    when: WhenArgument,
    status: Annotated[str | None, typer.Option("--status", help="todo, done or skipped.")] = None,
    notes: NotesOption = None,
    version: VersionOption = None,
    author: AuthorOption = "qunce plan occurrence",
) -> None:
    """Set one occurrence's status or notes (e.g. reopen it with --status todo)."""
    changes: dict[str, object] = {}
    if status is not None:
        changes["status"] = status
    if notes is not None:
        changes["notes"] = notes
    if not changes:
        raise _fail("nothing to change: give --status or --notes")
    _occurrence_command(workspace, item, when, changes, version, author)


def notify(
    workspace: WorkspaceCode,
    plan: PlanOption,
    robot: Annotated[
        str | None,
        typer.Option(
            "--robot",
            help=f"{' | '.join(ROBOTS)} (default: from the webhook's host).",
            envvar="QUNCE_NOTIFY_ROBOT",
            show_envvar=True,
        ),
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option(
            "--webhook",
            help="The group robot's webhook address (a secret).",
            envvar="QUNCE_NOTIFY_WEBHOOK",
            show_envvar=True,
        ),
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(
            "--secret",
            help="The robot's signing secret (DingTalk, Feishu).",
            envvar="QUNCE_NOTIFY_SECRET",
            show_envvar=True,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the message and request; send nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Send even if today's digest was sent already.")
    ] = False,
    send_empty: Annotated[
        bool, typer.Option("--send-empty", help="Post even when nothing is due or overdue.")
    ] = False,
    mine: MineOption = None,
    on: Annotated[str | None, typer.Option("--date", help="Another day than today.")] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for the robot.")
    ] = 10.0,
    lang: LangOption = Lang.zh,
) -> None:
    """Post today's due and overdue items of a plan to a WeCom, DingTalk or Feishu group robot.

    Once a day per plan and robot: a second run the same day sends nothing. Meant for cron or a
    systemd timer (docs/notify.md). Exit status 0 when sent (or nothing to send), 1 on failure.
    """
    day = _day(on, "--date") or local_today()

    def work(store: Store, found: Workspace) -> None:
        result = notify_plan(
            store, found.id, plan, webhook=webhook, robot=robot, secret=secret, today=day,
            lang=lang.value, person=mine, dry_run=dry_run, force=force, send_empty=send_empty,
            timeout=timeout,
        )  # fmt: skip
        if result.outcome == "dry-run":
            typer.echo(result.digest.text())
            typer.echo("")
            if result.request is not None:
                typer.echo(shown_request(result.request))
        typer.echo(result.message, err=result.outcome == "dry-run")

    _with_workspace(workspace, work)
