"""The `qunce` command: validate, schema, index, search, eval, calc, workspace, plan, serve."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from qunce.calculators.cli import app as calc_app
from qunce.config import ROOT
from qunce.plans.cli import plan_app, workspace_app

app = typer.Typer(
    help="Qunce 群策: community-commerce playbooks, cases, search, plans and calculators.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(calc_app, name="calc")
app.add_typer(workspace_app, name="workspace")
app.add_typer(plan_app, name="plan")


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(1)


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="files or folders to check (default: all content)")
    ] = None,
    coverage: Annotated[
        bool, typer.Option("--coverage", help="also list the book's leaf sections not yet covered")
    ] = False,
) -> None:
    """Check content files; print every problem as file:line: field: message."""
    from qunce.content.catalogue import load_catalogue

    targets = [p.resolve() for p in paths or []]
    for target in targets:
        if not target.exists():
            raise _fail(f"{target}: no such file or folder")
    catalogue = load_catalogue(extra=None if not targets else [*_extra_paths(), *targets])
    errors = catalogue.errors
    if targets:
        errors = [e for e in errors if any(_within(e.file, t) for t in targets)]
    for error in errors:
        typer.echo(error.render(Path.cwd()))
    missing, _ = catalogue.coverage()
    leaves = len(catalogue.book.leaves())
    covered = leaves - len(missing)
    if coverage:
        for number in missing:
            title = catalogue.book.title_of(number)
            typer.echo(f"not covered: {number} {title.zh if title else ''}")
        typer.echo(f"coverage: {covered}/{leaves} leaf sections ({100 * covered / max(leaves, 1):.0f}%)")
    if errors:
        raise _fail(f"{len(errors)} content error{'s' if len(errors) != 1 else ''}")
    typer.echo(
        f"ok: {len(catalogue.playbooks)} playbooks, {len(catalogue.cases)} cases, "
        f"{covered}/{leaves} leaf sections covered"
    )
    if coverage and missing:
        raise typer.Exit(1)


def _extra_paths() -> list[Path]:
    from qunce.config import settings

    return list(settings().content_paths)


def _within(file: Path, target: Path) -> bool:
    file = file.resolve()
    return file == target or target in file.parents


@app.command()
def schema(
    out: Annotated[Path, typer.Option(help="folder for the JSON Schemas")] = ROOT / "schemas",
) -> None:
    """Write JSON Schemas for playbook and case files (editors validate YAML with them)."""
    from qunce.content.catalogue import load_catalogue
    from qunce.content.jsonschema import write_schemas

    catalogue = load_catalogue()
    for path in write_schemas(out, catalogue.book, catalogue.vocabulary):
        typer.echo(f"wrote {path}")


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="port to listen on")] = 8501,
) -> None:
    """Start the Streamlit app."""
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)]
    raise typer.Exit(subprocess.call(command, env=os.environ.copy()))


if __name__ == "__main__":
    app()
