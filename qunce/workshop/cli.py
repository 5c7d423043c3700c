"""`qunce workshop ...`: prepare a workshop from an agenda file, print its links, export files.

    qunce workshop deck AGENDA.yaml [--out deck.pptx] [--lang zh|en|both]
    qunce workshop handout AGENDA.yaml [--out handout.md] [--lang zh|en|both]
    qunce workshop create AGENDA.yaml --teams 4 [--name "红队" ...] [--start 2026-05-09]
    qunce workshop links --host CODE            # facilitator, screen and team links again
    qunce workshop sheet --host CODE [--out teams.html]

An agenda file is YAML (or JSON): `title`, then `blocks`, each with `item` (a playbook or case
id), `minutes` and an optional `note` (docs/workshop.md). A bad file, an unknown id, a wrong code
or an unreachable database prints one message on stderr and exits with status 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import yaml

from qunce.content.catalogue import Catalogue, load_catalogue
from qunce.db.errors import InvalidValue, PlanError
from qunce.db.store import Store, open_store
from qunce.workshop import repository as repo
from qunce.workshop.agenda import Agenda, check_agenda, parse_agenda
from qunce.workshop.deck import build_deck
from qunce.workshop.handout import handout_markdown
from qunce.workshop.links import host_link, screen_link, team_link
from qunce.workshop.pptx_export import deck_pptx
from qunce.workshop.qr import SheetEntry, join_sheet_html
from qunce.workshop.records import Workshop

app = typer.Typer(
    help="Workshops: agenda files, decks, handouts, team links.", no_args_is_help=True
)


class Lang(StrEnum):
    """Languages of the files: Chinese, English, or both (Chinese with English below)."""

    zh = "zh"
    en = "en"
    both = "both"


AgendaFile = Annotated[
    Path, typer.Argument(help="Agenda file (YAML or JSON).", exists=True, dir_okay=False)
]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of the slides or handout.")]
HostCode = Annotated[
    str,
    typer.Option(
        "--host",
        help="The facilitator code printed by `qunce workshop create`.",
        envvar="QUNCE_WORKSHOP_HOST_CODE",
        show_envvar=True,
    ),
]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(1)


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except PlanError as exc:
        raise _fail(str(exc)) from exc


@contextmanager
def _store() -> Iterator[Store]:
    with _errors():
        store = open_store()
    try:
        with _errors():
            yield store
    finally:
        store.dispose()


def read_agenda(path: Path, catalogue: Catalogue) -> Agenda:
    """The agenda in a YAML or JSON file, checked against the catalogue; InvalidValue if not."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidValue(f"{path}: cannot be read as YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidValue(f"{path}: expected a mapping with `title` and `blocks`")
    try:
        agenda = parse_agenda(data)
        check_agenda(agenda, catalogue.items)
    except InvalidValue as exc:
        raise InvalidValue(f"{path}:\n{exc}") from exc
    return agenda


def _write(data: bytes, out: Path | None, default: str) -> None:
    target = out or Path(default)
    target.write_bytes(data)
    typer.echo(f"wrote {target}")


@app.command()
def deck(
    agenda_file: AgendaFile,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="PPTX file to write.")] = None,
    lang: LangOption = Lang.zh,
) -> None:
    """Write the agenda as a PPTX deck: title slide, a slide per step and case, speaker notes."""
    catalogue = load_catalogue()
    with _errors():
        agenda = read_agenda(agenda_file, catalogue)
    _write(deck_pptx(build_deck(agenda, catalogue), lang.value), out, f"{agenda_file.stem}.pptx")


@app.command()
def handout(
    agenda_file: AgendaFile,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Markdown file to write.")] = None,
    lang: LangOption = Lang.zh,
) -> None:
    """Write the participants' handout (Markdown): agenda, checklists, cases; no notes."""
    catalogue = load_catalogue()
    with _errors():
        agenda = read_agenda(agenda_file, catalogue)
    text = handout_markdown(agenda, catalogue, lang.value)
    _write(text.encode("utf-8"), out, f"{agenda_file.stem}.md")


@app.command()
def create(
    agenda_file: AgendaFile,
    teams: Annotated[int, typer.Option("--teams", min=1, max=40, help="Number of teams.")] = 4,
    name: Annotated[
        list[str] | None, typer.Option("--name", help="Team name (repeat; the rest are numbered).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="Start date of the checklists (YYYY-MM-DD).")
    ] = None,
    lang: Annotated[
        Lang, typer.Option("--lang", help="Presenting language, and the language of the links.")
    ] = Lang.zh,
) -> None:
    """Save a workshop with its teams in the database; print the facilitator code and links."""
    catalogue = load_catalogue()
    try:
        start_date = date.fromisoformat(start) if start else date.today()
    except ValueError as exc:
        raise _fail(f"--start: {start!r} is not a date like 2026-05-09") from exc
    link_lang = "en" if lang is Lang.en else "zh"
    names = list(name or [])
    names = (names + repo.default_team_names(teams, link_lang)[len(names) :])[:teams]
    with _store() as store:
        agenda = read_agenda(agenda_file, catalogue)
        workshop, host = repo.create_workshop(
            store, agenda, catalogue, names, start_date=start_date, display_lang=lang.value
        )
    typer.echo(f"facilitator code: {host}   (shown once; keep it private)")
    _print_links(workshop, host, link_lang)


def _print_links(workshop: Workshop, host: str, lang: str) -> None:
    typer.echo(f"facilitator: {host_link(host, lang)}")
    typer.echo(f"screen:      {screen_link(repo.screen_join_code(host, workshop), lang)}")
    for team in workshop.teams:
        typer.echo(f"{team.name}: {team_link(repo.team_join_code(host, team), lang)}")


@app.command()
def links(host: HostCode, lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh) -> None:
    """Print the facilitator, screen and team links of a workshop again."""
    with _store() as store:
        workshop = repo.open_workshop(store, host)
    _print_links(workshop, host, "en" if lang is Lang.en else "zh")


@app.command()
def sheet(
    host: HostCode,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="HTML file to write.")] = None,
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
) -> None:
    """Write the printable page with every team's QR code, link and code (HTML)."""
    link_lang = "en" if lang is Lang.en else "zh"
    with _store() as store:
        workshop = repo.open_workshop(store, host)
    entries = []
    for team in workshop.teams:
        code = repo.team_join_code(host, team)
        entries.append(SheetEntry(team.name, team_link(code, link_lang), code))
    page = join_sheet_html(workshop.title, entries, link_lang)
    _write(page.encode("utf-8"), out, "workshop-teams.html")
