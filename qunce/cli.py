"""The `qunce` command: validate, schema, index, search, eval, calc, workspace, plan, serve."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qunce.calculators.cli import app as calc_app
from qunce.config import ROOT
from qunce.plans.cli import notify, plan_app, workspace_app
from qunce.workshop.cli import app as workshop_app

if TYPE_CHECKING:
    from qunce.search.engine import Filters, Searcher
    from qunce.search.index import SearchIndex
    from qunce.search.tools import Toolbox

app = typer.Typer(
    help="Qunce 群策: community-commerce playbooks, cases, search, plans and calculators.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(calc_app, name="calc")
app.add_typer(workspace_app, name="workspace")
app.add_typer(plan_app, name="plan")
app.add_typer(workshop_app, name="workshop")
app.command("notify")(notify)


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

    targets = [p.absolute() for p in paths or []]
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
        typer.echo(
            f"coverage: {covered}/{leaves} leaf sections ({100 * covered / max(leaves, 1):.0f}%)"
        )
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
    file = file.absolute()  # not resolve(): a broken link is reported under its own name
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


index_app = typer.Typer(help="The search index.", no_args_is_help=True)
app.add_typer(index_app, name="index")


def _search_index() -> SearchIndex:
    from qunce.content.catalogue import load_catalogue
    from qunce.search.index import SearchIndex

    return SearchIndex(load_catalogue())


@index_app.command("build")
def index_build(
    force: Annotated[bool, typer.Option("--force", help="rebuild everything")] = False,
) -> None:
    """Build or update the search index; re-embeds only items that changed."""
    from tqdm import tqdm

    index = _search_index()
    bar = tqdm(total=0, unit="item", desc="embedding", disable=None)

    def progress(done: int, total: int, item_id: str) -> None:
        bar.total = total
        bar.update(1)

    report = index.build(progress, force=force)
    bar.close()
    kind = "full build" if report.full else "update"
    typer.echo(
        f"{kind}: embedded {report.embedded_items} items, removed {report.removed_items}, "
        f"{report.vectors} vectors, {report.seconds:.2f}s"
    )


@index_app.command("status")
def index_status() -> None:
    """Say what is indexed and whether it is stale; exit 1 unless fresh."""
    status = _search_index().status()
    typer.echo(status.describe())
    if status.state != "fresh":
        raise typer.Exit(1)


def _filters(kind: str | None) -> Filters:
    from qunce.search.engine import Filters

    if kind not in (None, "playbook", "case"):
        raise _fail(f"--kind: expected playbook or case, got {kind!r}")
    return Filters(kind=kind)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="what to look for, in Chinese or English")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="number of results")] = 5,
    kind: Annotated[str | None, typer.Option(help="playbook or case")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, dense or keyword")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Search playbooks and cases."""
    import json

    if mode not in ("hybrid", "dense", "keyword"):
        raise _fail(f"--mode: expected hybrid, dense or keyword, got {mode!r}")
    filters = _filters(kind)
    searcher = _search_index().searcher()
    hits = searcher.search(query, k=k, mode=mode, filters=filters)  # type: ignore[arg-type]
    if as_json:
        typer.echo(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=1))
        return
    if not hits:
        typer.echo("no results")
    elif not any(h.match == "strong" for h in hits):
        typer.echo("no close match: every result below is weak; try other or fewer words")
    for found in _toolbox(searcher).match(query, hits):
        typer.echo(
            f"{found.tool.kind}: {found.tool.id}  {found.tool.title_zh} / {found.tool.title_en}"
        )
    for rank, hit in enumerate(hits, start=1):
        text = hit.chunk.text(hit.chunk_lang).replace("\n", " ")
        typer.echo(
            f"{rank}. [{hit.kind}] {hit.item_id} §{','.join(hit.sections)}  {hit.score:.3f}  {hit.match}"
        )
        typer.echo(f"   {hit.title_zh} / {hit.title_en}")
        typer.echo(f"   {hit.chunk.part}: {text[:120]}")
        if hit.matched:
            typer.echo(f"   matches: {' / '.join(hit.matched)}")


def _toolbox(searcher: Searcher) -> Toolbox:
    """The calculators as search tools (qunce/search knows no calculator; the CLI describes them)."""
    from qunce.calculators.registry import registry
    from qunce.search.tools import Toolbox, calculator_tools

    tools = calculator_tools(registry())
    return Toolbox(tools, searcher.concepts)


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="query file (YAML list of q, expect, lang)")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="results per query")] = 10,
    mode: Annotated[str, typer.Option(help="hybrid, dense, keyword or all")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Print n, recall@1, recall@5, MRR and the weak/strong split for a query file."""
    import json

    from qunce.search.evaluate import evaluate as run_eval
    from qunce.search.evaluate import load_queries

    modes = ["hybrid", "dense", "keyword"] if mode == "all" else [mode]
    if any(m not in ("hybrid", "dense", "keyword") for m in modes):
        raise _fail(f"--mode: expected hybrid, dense, keyword or all, got {mode!r}")
    if not file.is_file():
        raise _fail(f"{file}: no such file")
    try:
        queries = load_queries(file)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    searcher = _search_index().searcher()
    results = {m: run_eval(searcher, queries, m, k).as_dict() for m in modes}  # type: ignore[arg-type]
    if as_json:
        typer.echo(
            json.dumps(results if mode == "all" else results[mode], ensure_ascii=False, indent=1)
        )
        return
    for name, scores in results.items():
        typer.echo(
            f"{name:8s} n={scores['n']}  recall@1={scores['recall@1']:.3f}  "
            f"recall@5={scores['recall@5']:.3f}  mrr={scores['mrr']:.3f}  "
            f"on-topic weak={scores['on_topic_weak']:.3f}  "
            f"off-topic strong={scores['off_topic_strong']:.3f} (of {scores['off_topic']})"
        )
        if scores["twins"]:
            typer.echo(
                f"   繁體 twins: {scores['twins']}, ranked lower than their 简体 twin: "
                f"{len(scores['twins_worse'])}"
            )
        for miss in scores["misses"]:
            typer.echo(
                f"   miss: {miss['q']} → expected {miss['expect']}, rank {miss['rank']}, top {miss['top']}"
            )
        for q in scores["weak"]:
            typer.echo(f"   weak: {q}")
        for q in scores["strong_off_topic"]:
            typer.echo(f"   strong off-topic: {q}")
        for twin in scores["twins_worse"]:
            typer.echo(f"   繁體 lower: {twin['q']} rank {twin['rank']} (简体 {twin['twin_rank']})")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="port to listen on")] = 8501,
    address: Annotated[str | None, typer.Option(help="address to listen on (default: all)")] = None,
    warm: Annotated[
        bool, typer.Option(help="load the catalogue and search index before listening")
    ] = True,
) -> None:
    """Start the app warmed up: catalogue, search index and embedder load before it listens.

    Extra options go to `streamlit run` as they are (e.g. `--server.headless true`).
    """
    args = ["--port", str(port), *(["--address", address] if address else []), *ctx.args]
    if not warm:
        args.append("--no-warm")
    # The `qunce` command normally goes straight to qunce.ui.serve (qunce/entry.py); when this
    # Typer command runs instead (e.g. from CliRunner), replace the process so the server
    # carries none of the CLI's imports.
    os.execv(sys.executable, [sys.executable, "-m", "qunce.ui.serve", *args])


if __name__ == "__main__":
    app()
