"""Exports (Markdown, CSV, XLSX, JSON) and the all-or-nothing JSON import."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from qunce.plans import (
    ImportRejected,
    Plan,
    Store,
    Workspace,
    add_item,
    export_plan,
    get_plan,
    import_plan,
    list_plans,
    neutralise,
    parse_plan_file,
    to_csv,
    to_json,
    to_markdown,
    to_xlsx,
    update_item,
)
from qunce.plans.exports import MAX_IMPORT_BYTES

Team = tuple[Workspace, str]
TODAY = date(2026, 3, 10)
FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.fixture
def busy_plan(store: Store, team: Team, plan: Plan) -> Plan:
    """The plan with owners, a due date, notes, a done item and formula-like text."""
    ws = team[0].id
    update_item(store, ws, plan.items[0].id,
                {"status": "done", "owner": "=cmd|' /C calc'!A0", "notes": "@mention"},
                expected_version=1)  # fmt: skip
    update_item(store, ws, plan.items[1].id,
                {"status": "doing", "owner": "Mei", "due": date(2026, 3, 5), "notes": "line 1\nline 2"},
                expected_version=1)  # fmt: skip
    add_item(store, ws, plan.id, "+SUM(1,2) posters", effort_days=0.5)
    return get_plan(store, ws, plan.id)


@pytest.mark.parametrize("value", FORMULAS)
def test_neutralise_quotes_formula_starts(value: str) -> None:
    assert neutralise(value) == "'" + value


@given(st.text())
def test_neutralise_never_leaves_a_formula_start(value: str) -> None:
    safe = neutralise(value)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe.removeprefix("'") == value or safe == value


def test_csv_has_a_row_per_item_with_formulas_neutralised(busy_plan: Plan) -> None:
    data = to_csv(busy_plan, lang="en", today=TODAY)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["#", "Playbook", "Item", "Status"]
    assert len(body) == len(busy_plan.items)
    first = dict(zip(header, body[0], strict=True))
    assert first["Owner"] == "'=cmd|' /C calc'!A0"
    assert first["Notes"] == "'@mention"
    assert first["Status"] == "Done"
    second = dict(zip(header, body[1], strict=True))
    assert (second["Due"], second["Overdue"], second["Notes"]) == (
        "2026-03-05",
        "yes",
        "line 1\nline 2",
    )
    assert body[-1][2] == "'+SUM(1,2) posters"
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_cells_are_text_not_formulas(busy_plan: Plan) -> None:
    book = load_workbook(io.BytesIO(to_xlsx(busy_plan, lang="zh", today=TODAY)))
    sheet = book["计划"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["序号", "手册", "事项"]
    assert len(values) == 1 + len(busy_plan.items)
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} became a formula: {cell.value!r}"
    # text as typed, no visible quote mark: typed as a string, with Excel's quote prefix
    assert values[1][4] == "=cmd|' /C calc'!A0"
    assert values[-1][2] == "+SUM(1,2) posters"
    for cell in (sheet.cell(row=2, column=5), sheet.cell(row=len(values), column=3)):
        assert cell.data_type == "s" and cell.quotePrefix
    assert values[2][5].date() == date(2026, 3, 5)
    progress = [[c.value for c in row] for row in book["进度"].iter_rows()]
    assert progress[0][0] == "手册"
    assert progress[-1][0] == "618 launch"


def test_markdown_is_a_checklist_that_renders_typed_text_literally(busy_plan: Plan) -> None:
    text = to_markdown(busy_plan, lang="en", today=TODAY)
    assert text.startswith("# 618 launch\n")
    assert "## Launch basics (1/3)" in text
    assert "- [x] **Pick seed members** — Done" in text
    assert (
        "- [ ] **Set the group rules** — Doing · owner: Mei · due: 2026-03-05 · ⚠ overdue" in text
    )
    assert "Notes: line 1 line 2" in text
    assert "## Custom items" in text
    zh = to_markdown(busy_plan, lang="zh", today=TODAY)
    assert "## 启动基础 (1/3)" in zh


def test_markdown_escapes_html_and_links(store: Store, team: Team, plan: Plan) -> None:
    add_item(store, team[0].id, plan.id, "<img src=x onerror=alert(1)> [click](http://evil)")
    text = to_markdown(get_plan(store, team[0].id, plan.id), lang="en", today=TODAY)
    assert "<img" not in text
    assert "[click](" not in text
    assert "&lt;img" in text


def test_json_round_trip_into_another_workspace(
    store: Store, busy_plan: Plan, other_team: Team
) -> None:
    data = to_json(busy_plan)
    copy = import_plan(store, other_team[0].id, data, author="Importer")
    assert copy.workspace_id == other_team[0].id
    assert copy.name == busy_plan.name
    assert copy.start_date == busy_plan.start_date
    assert copy.sources == busy_plan.sources
    keep = ("playbook_id", "step_id", "content_version", "title_zh", "title_en", "detail_en",
            "done_when_zh", "effort_days", "role", "status", "owner", "due", "notes", "position")  # fmt: skip
    for original, imported in zip(busy_plan.items, copy.items, strict=True):
        for name in keep:
            assert getattr(imported, name) == getattr(original, name), name
        assert imported.version == 1
        assert imported.updated_by == "Importer"


def test_export_plan_dispatches_and_rejects_unknown_formats(busy_plan: Plan) -> None:
    assert export_plan(busy_plan, "md", lang="en", today=TODAY).startswith(b"# 618")
    assert (
        json.loads(export_plan(busy_plan, "json", lang="en", today=TODAY))["format"] == "qunce-plan"
    )
    with pytest.raises(ValueError, match="pdf"):
        export_plan(busy_plan, "pdf", lang="en", today=TODAY)


def _file(plan: Plan) -> dict[str, object]:
    document: dict[str, object] = json.loads(to_json(plan))
    return document


def _bad_files(plan: Plan) -> list[tuple[str, bytes, str]]:
    good = _file(plan)

    def with_(change: object) -> bytes:
        document = json.loads(json.dumps(good))
        change(document)  # type: ignore[operator]
        return json.dumps(document).encode()

    def set_item(field: str, value: object) -> object:
        return lambda d: d["plan"]["items"][1].__setitem__(field, value)

    return [
        ("too big", b" " * (MAX_IMPORT_BYTES + 1), "limit is 1,000,000 bytes"),
        ("not json", b'{"format": "qunce-plan", ', "not valid JSON"),
        ("not utf-8", b"\xff\xfe\x00", "not UTF-8"),
        ("a list", b"[1, 2]", "not a Qunce plan file"),
        ("wrong format", with_(lambda d: d.__setitem__("format", "trello")), "not a Qunce plan file"),
        ("future version", with_(lambda d: d.__setitem__("version", 3)), "version"),
        ("bad rule", with_(set_item("rule", "FREQ=HOURLY")), "plan.items[1].rule"),
        ("never", with_(set_item("rule", "FREQ=DAILY;UNTIL=20200101")), "plan.items[1].rule"),
        ("stray occurrences", with_(set_item("occurrences", [{"occurs_at": "2026-03-02T09:00"}])),
         "plan.items[1].occurrences"),
        ("bad status", with_(set_item("status", "finished")), "plan.items[1].status"),
        ("bad date", with_(set_item("due", "next week")), "plan.items[1].due"),
        ("unknown field", with_(set_item("colour", "red")), "plan.items[1].colour"),
        ("no title", with_(lambda d: d["plan"]["items"][1].update(title_zh="", title_en=" ")),
         "plan.items[1]: the item has no title"),
        ("long owner", with_(set_item("owner", "x" * 201)), "plan.items[1].owner"),
        ("no items", with_(lambda d: d["plan"].pop("items")), "plan.items"),
        ("too many items", with_(lambda d: d["plan"].__setitem__("items", [{"title_en": "x"}] * 2001)),
         "at most 2,000"),
        ("duplicate source", with_(lambda d: d["plan"]["sources"].append(d["plan"]["sources"][0])),
         "listed twice"),
        ("negative effort", with_(set_item("effort_days", -1)), "effort_days"),
        ("nul", with_(set_item("notes", "a\x00b")), "plan.items[1].notes"),
        ("surrogate", with_(set_item("owner", "\ud800")), "plan.items[1].owner"),
        ("far future", with_(set_item("due", "9999-12-31")), "plan.items[1].due"),
        ("blank name", with_(lambda d: d["plan"].__setitem__("name", "\u202e\u2066")), "plan.name"),
        ("deep", b"[" * 100_000 + b"]" * 100_000, "nests"),
    ]  # fmt: skip


def test_bad_files_are_rejected_with_a_clear_message_and_change_nothing(
    store: Store, busy_plan: Plan, other_team: Team
) -> None:
    for label, data, message in _bad_files(busy_plan):
        with pytest.raises(ImportRejected) as caught:
            import_plan(store, other_team[0].id, data)
        text = str(caught.value)
        assert message in text, f"{label}: {text}"
        assert text.startswith("the plan file was not imported, nothing was changed")
        assert caught.value.problems
    assert list_plans(store, other_team[0].id) == []


def test_every_problem_is_named(busy_plan: Plan) -> None:
    document = _file(busy_plan)
    items = document["plan"]["items"]  # type: ignore[index]
    items[0]["status"] = "nope"
    items[2]["due"] = "soon"
    with pytest.raises(ImportRejected) as caught:
        parse_plan_file(json.dumps(document).encode())
    assert len(caught.value.problems) == 2
    assert "plan.items[0].status" in caught.value.problems[0]
    assert "plan.items[2].due" in caught.value.problems[1]
