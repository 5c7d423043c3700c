"""`qunce workspace ...` and `qunce plan ...`: admin commands for workspaces and plans.

Every command opens (and migrates) the database at `QUNCE_DATABASE_URL`. A `PlanError` (wrong
code, unknown plan, bad file, database down) becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from qunce.db.errors import PlanError
from qunce.db.store import Store, open_store
from qunce.plans.exports import export_plan, filename, import_plan
from qunce.plans.records import Workspace
from qunce.plans.repository import get_plan, list_plans
from qunce.plans.workspaces import create_workspace, join_link, rotate_code, workspace_by_code

workspace_app = typer.Typer(help="Team workspaces.", no_args_is_help=True)
plan_app = typer.Typer(help="Launch plans.", no_args_is_help=True)


class Format(StrEnum):
    """Export formats."""

    md = "md"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


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


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(1)


@contextmanager
def _errors_as_messages() -> Iterator[None]:
    try:
        yield
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
        finally:
            store.dispose()
    typer.echo(f"Workspace: {workspace.name}")
    typer.echo(f"Join code: {code}")
    typer.echo(f"Join link: {join_link(code, lang=lang.value)}")
    typer.echo("Keep the code: Qunce stores only its sha256 and cannot show it again.")


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
) -> None:
    """Export a plan as Markdown, CSV, XLSX or a JSON plan file."""

    def work(store: Store, found: Workspace) -> None:
        loaded = get_plan(store, found.id, plan)
        data = export_plan(loaded, fmt.value, lang=lang.value, today=date.today())
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
