"""`qunce workshop ...`: prepare a workshop from an agenda file, print its links, export files.

    qunce workshop deck AGENDA.yaml [--out deck.pptx] [--lang zh|en|both]
    qunce workshop handout AGENDA.yaml [--out handout.md] [--lang zh|en|both]
    qunce workshop create AGENDA.yaml --teams 4 [--name "红队" ...] [--start 2026-05-09]
    qunce workshop links --host CODE [--base-url URL]   # facilitator, screen and team links
    qunce workshop sheet --host CODE [--out teams.html] [--base-url URL]
    qunce workshop short-codes --host CODE [--team ID ...]   # typeable codes for a day
    qunce workshop rotate --host CODE [--screen | --team ID]
    qunce workshop report --host CODE [--format md|xlsx] [--out FILE] [--lang zh|en]

Links never silently say localhost: when the base URL is local to this machine, the commands
warn on stderr and name the LAN addresses phones in the room could use (`--base-url`).

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
from qunce.workshop.files import deck_filename, report_filename, safe_stem
from qunce.workshop.handout import handout_markdown
from qunce.workshop.links import host_link, page_url, screen_link, team_link
from qunce.workshop.pptx_export import deck_pptx
from qunce.workshop.qr import SheetEntry, join_sheet_html
from qunce.workshop.reach import reach
from qunce.workshop.records import Workshop
from qunce.workshop.report import build_report, report_markdown, report_xlsx
from qunce.workshop.shortcodes import issue_short_code, issue_short_codes

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


BaseUrl = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="Start links with this address (e.g. http://192.168.1.20:8501) instead of "
        "QUNCE_BASE_URL.",
    ),
]


class ReportFormat(StrEnum):
    """File formats of the workshop report."""

    md = "md"
    xlsx = "xlsx"


def _base(base_url: str | None) -> str:
    """The base URL links start with; warns on stderr when phones cannot open it."""
    found = reach(base_url=base_url.rstrip("/") if base_url else None)
    warning = found.warning()
    if warning is not None:
        hint = f" (try --base-url {found.suggestion})" if found.suggestion else ""
        typer.echo(f"Warning: {warning.en}{hint}", err=True)
    return found.base_url


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
    data = deck_pptx(build_deck(agenda, catalogue), lang.value)
    _write(data, out, deck_filename(agenda.title, lang.value))


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
    base_url: BaseUrl = None,
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
    _print_links(workshop, host, link_lang, _base(base_url))


def _print_links(workshop: Workshop, host: str, lang: str, base: str) -> None:
    typer.echo(f"facilitator: {host_link(host, lang, base=base)}")
    code = repo.screen_join_code(host, workshop)
    typer.echo(f"screen:      {screen_link(code, lang, base=base)}")
    for team in workshop.teams:
        typer.echo(f"{team.name}: {team_link(repo.team_join_code(host, team), lang, base=base)}")


@app.command()
def links(
    host: HostCode,
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    base_url: BaseUrl = None,
) -> None:
    """Print the facilitator, screen and team links of a workshop again."""
    with _store() as store:
        workshop = repo.open_workshop(store, host)
    _print_links(workshop, host, "en" if lang is Lang.en else "zh", _base(base_url))


@app.command()
def sheet(
    host: HostCode,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="HTML file to write.")] = None,
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    base_url: BaseUrl = None,
) -> None:
    """Write the printable page with every team's QR code, link and code (HTML)."""
    link_lang = "en" if lang is Lang.en else "zh"
    base = _base(base_url)
    with _store() as store:
        workshop = repo.open_workshop(store, host)
    entries = []
    for team in workshop.teams:
        code = repo.team_join_code(host, team)
        entries.append(SheetEntry(team.name, team_link(code, link_lang, base=base), code))
    page = join_sheet_html(workshop.title, entries, link_lang)
    _write(page.encode("utf-8"), out, f"{safe_stem(workshop.title)} - teams.html")


@app.command("short-codes")
def short_codes(
    host: HostCode,
    team: Annotated[
        list[int] | None, typer.Option("--team", help="Only this team (its id; repeat).")
    ] = None,
    base_url: BaseUrl = None,
) -> None:
    """Issue short join codes (8 characters, typeable from a slide) and print them."""
    base = _base(base_url)
    with _store() as store:
        workshop = repo.open_workshop(store, host)
        if team:
            issued = {t: issue_short_code(store, host, t) for t in team}
        else:
            issued = issue_short_codes(store, host)
    typer.echo(f"open {page_url(base)} and type your team's code:")
    for member in workshop.teams:
        if member.id in issued:
            code = issued[member.id]
            until = code.expires_at.astimezone().strftime("%Y-%m-%d %H:%M")
            typer.echo(f"{member.name} (team {member.id}): {code.display}   until {until}")


@app.command()
def rotate(
    host: HostCode,
    screen: Annotated[
        bool, typer.Option("--screen", help="Only the audience screen's code.")
    ] = False,
    team: Annotated[
        int | None, typer.Option("--team", help="Only this team's join code (its id).")
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    base_url: BaseUrl = None,
) -> None:
    """Replace a leaked code. Without options the facilitator code, which re-keys every link."""
    link_lang = "en" if lang is Lang.en else "zh"
    if screen and team is not None:
        raise _fail("--screen and --team rotate different codes; give one of them")
    base = _base(base_url)
    with _store() as store:
        if screen:
            code = repo.rotate_screen_code(store, host)
            typer.echo(f"screen: {screen_link(code, link_lang, base=base)}")
            return
        if team is not None:
            workshop = repo.rotate_team_code(store, host, team)
            found = workshop.team(team)
            assert found is not None
            link = team_link(repo.team_join_code(host, found), link_lang, base=base)
            typer.echo(f"{found.name}: {link}")
            return
        rotated = repo.rotate_host_code(store, host)
    typer.echo(
        f"new facilitator code: {rotated.host_code}   (shown once; the old one, the screen "
        "link, every team link, QR code and short code no longer work)"
    )
    _print_links(rotated.workshop, rotated.host_code, link_lang, base)


@app.command()
def report(
    host: HostCode,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="md or xlsx.")] = ReportFormat.md,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write.")] = None,
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
) -> None:
    """Write the report after a workshop: agenda, every team's board, the polls' results."""
    report_lang = "en" if lang is Lang.en else "zh"
    catalogue = load_catalogue()
    with _store() as store:
        made = build_report(store, host, catalogue)
    if fmt is ReportFormat.xlsx:
        data = report_xlsx(made, report_lang)
    else:
        data = report_markdown(made, report_lang).encode("utf-8")
    _write(data, out, report_filename(made.title, report_lang, fmt.value))
