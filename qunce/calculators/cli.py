"""`qunce calc ...`: run a calculator from the command line.

    qunce calc list                                  # the calculators, their sections
    qunce calc funnel --fields                       # a calculator's inputs, ranges, defaults
    qunce calc funnel --set reach=5000 --set join_rate=25 [--json] [--lang zh]
    qunce calc crowdfunding --set 'tiers=[{"name":"A","price":200,"unit_cost":0,"cap":5000}]'

Each calculator is its own subcommand. Bad input prints one message per field (naming the
field and its allowed range) on stderr and exits with code 2.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Annotated, Any

import typer

from qunce.calculators.base import Calculator, Label
from qunce.calculators.compare import describe, scalar_results
from qunce.calculators.errors import CalculatorInputError, InputProblem, parse_inputs, parse_text
from qunce.calculators.registry import registry
from qunce.calculators.share import to_query

app = typer.Typer(help="Planning calculators.", no_args_is_help=True)

INPUT_ERROR = 2


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(rows: list[tuple[str, str]]) -> list[str]:
    width = max((_width(left) for left, _ in rows), default=0) + 2
    return [f"  {_pad(left, width)}{right}" for left, right in rows]


def _lang(value: str) -> str:
    if value not in ("zh", "en"):
        raise typer.BadParameter("use zh or en")
    return value


def parse_sets(calc: Calculator[Any, Any], pairs: list[str]) -> dict[str, Any]:
    """`field=value` pairs into raw values; a pair without "=" is an input problem too."""
    specs = {spec.name: spec for spec in calc.fields()}
    raw: dict[str, Any] = {}
    problems = []
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(
                InputProblem(
                    field=pair,
                    label=Label("--set", "--set"),
                    detail=Label(
                        "应写成 字段=值，例如 reach=5000。",
                        "expected field=value, like reach=5000.",
                    ),
                )
            )
            continue
        spec = specs.get(name)
        raw[name] = parse_text(spec, text) if spec is not None else text
    if problems:
        raise CalculatorInputError(problems)
    return raw


def _fail(error: CalculatorInputError, lang: str) -> None:
    for message in error.messages(lang):
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(INPUT_ERROR)


def _fields_text(calc: Calculator[Any, Any], lang: str) -> str:
    lines = [calc.title.get(lang), ""]
    for spec in calc.fields():
        default = spec.default
        if spec.kind == "table":
            default_text = json.dumps(default, ensure_ascii=False)
        else:
            default_text = describe(spec, default, lang)
        lines.append(f"{spec.name}  {spec.title(lang)}")
        lines.append(f"    {spec.range_text(lang)}; default {default_text}")
        if spec.help.get(lang):
            lines.append(f"    {spec.help.get(lang)}")
        if spec.source is not None:
            lines.append(f"    source: {spec.source.text.get(lang)}")
    return "\n".join(lines)


def run(calc: Calculator[Any, Any], pairs: list[str], as_json: bool, lang: str) -> str:
    """Validate `field=value` pairs, compute, and render the result as text or JSON."""
    inputs = parse_inputs(calc.inputs, parse_sets(calc, pairs))
    result = calc.compute(inputs)
    notes = calc.notes(inputs, result)
    if as_json:
        return json.dumps(
            {
                "calculator": calc.id,
                "inputs": inputs.model_dump(mode="json"),
                "result": result.model_dump(mode="json"),
                "notes": [
                    {"level": n.level, "text": n.text.get(lang), "playbooks": list(n.playbooks)}
                    for n in notes
                ],
                "query": to_query(calc.id, inputs),
            },
            ensure_ascii=False,
            indent=2,
        )
    sections = ", ".join(calc.sections)
    head = Label(f"（本书 {sections}）", f" (book sections {sections})").get(lang)
    lines = [f"{calc.title.get(lang)}{head}", "", Label("输入", "Inputs").get(lang)]
    lines += _table(
        [
            (f"{s.label.get(lang)} ({s.name})", describe(s, getattr(inputs, s.name), lang))
            for s in calc.fields()
        ]
    )
    lines += ["", Label("结果", "Results").get(lang)]
    lines += _table(
        [
            (s.label.get(lang), describe(s, getattr(result, s.name), lang))
            for s in scalar_results(calc)
        ]
    )
    if notes:
        lines += ["", Label("提示", "Notes").get(lang)]
        for note in notes:
            mark = "!" if note.level == "warning" else "-"
            see = f" [{', '.join(note.playbooks)}]" if note.playbooks else ""
            lines.append(f"  {mark} {note.text.get(lang)}{see}")
    return "\n".join(lines)


@app.command("list")
def list_calculators(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: Annotated[str, typer.Option(help="zh or en.", callback=_lang)] = "en",
) -> None:
    """List the calculators with the book sections they serve."""
    calcs = registry()
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "title": c.title.as_dict(),
                        "sections": list(c.sections),
                        "fields": [s.name for s in c.fields()],
                    }
                    for c in calcs
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    rows = [(c.id, f"{c.title.get(lang)}  [{', '.join(c.sections)}]") for c in calcs]
    typer.echo("\n".join(line.removeprefix("  ") for line in _table(rows)))


def _register(calc: Calculator[Any, Any]) -> None:
    def command(
        set_: Annotated[
            list[str] | None,
            typer.Option(
                "--set", "-s", help="field=value (repeat it); see --fields.", metavar="FIELD=VALUE"
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        fields: Annotated[bool, typer.Option("--fields", help="List the inputs and exit.")] = False,
        lang: Annotated[str, typer.Option(help="zh or en.", callback=_lang)] = "en",
    ) -> None:
        if fields:
            typer.echo(_fields_text(calc, lang))
            return
        try:
            typer.echo(run(calc, set_ or [], as_json, lang))
        except CalculatorInputError as error:
            _fail(error, lang)

    names = ", ".join(s.name for s in calc.fields())
    command.__doc__ = f"{calc.title.en}: {calc.summary.en}\n\nInputs: {names}."
    app.command(calc.id)(command)


for _calc in registry():
    _register(_calc)
