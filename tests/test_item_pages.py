"""Item pages for 2026 readers (issue 13): then and now near the top, honest cases, routines,
house standards, the trainer layer, and presets that say which numbers are the case's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from qunce.calculators.share import preset_link
from qunce.content.catalogue import load_catalogue
from qunce.content.schema import Case

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(search_index_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(search_index_dir))
    monkeypatch.setenv("QUNCE_DATA_DIR", str(tmp_path / "data"))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)


def _open(at: AppTest, page: str, lang: str, **params: str) -> AppTest:
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _origin_table(at: AppTest):  # type: ignore[no-untyped-def]
    """The table that says where each preset input comes from."""
    return next(d.value for d in at.dataframe if "Where it comes from" in d.value.columns)


def _all_text(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "success", "subheader", "code")
    parts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    parts += [e.label for e in at.expander]
    return "\n".join(parts).replace("\\", "")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_playbook_page_sets_the_book_beside_today(app: AppTest, lang: str) -> None:
    at = _open(app, "views/playbooks.py", lang, id="launch-rules")
    shown = _all_text(at)
    pb = load_catalogue().get("launch-rules")
    assert pb is not None and pb.then_and_now is not None
    head, then = ("2016 年的书 → 今天", pb.then_and_now.then.zh) if lang == "zh" else (
        "The 2016 book → today", pb.then_and_now.then.en)  # fmt: skip
    assert head in shown and pb.then_and_now.as_of.isoformat() in shown
    assert then[:20] in shown
    # the then-and-now box comes before the steps
    markdown = [m.value for m in at.markdown]
    box = next(i for i, m in enumerate(markdown) if head in m)
    assert box < len(markdown) - 1
    # routines in words, house standards, trainer layer, provenance in the page's language
    assert ("每天" if lang == "zh" else "every day") in shown
    assert ("本页用到的统一标准" if lang == "zh" else "House standards used here") in shown
    assert ("给培训师" if lang == "zh" else "For trainers") in shown
    note = pb.provenance.note.zh if lang == "zh" else pb.provenance.note.en
    assert note[:15] in shown


def test_a_pattern_card_says_it_is_not_the_companys_record(app: AppTest) -> None:
    cat = load_catalogue()
    pattern = next(c for c in cat.cases if c.pattern and c.year_approx)
    at = _open(app, "views/cases.py", "en", id=pattern.id)
    shown = _all_text(at)
    assert "A pattern, not this company's record" in shown
    assert "How the pattern works" in shown and "What they did" not in shown
    assert f"c. {pattern.year}" in shown
    zh = _open(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), "views/cases.py", "zh",
               id=pattern.id)  # fmt: skip
    assert f"约 {pattern.year} 年" in _all_text(zh)


def test_a_sourced_case_says_what_happened_next(app: AppTest) -> None:
    cat = load_catalogue()
    case = cat.get("momo-pain-points")
    assert isinstance(case, Case) and case.then_and_now is not None and case.then_and_now.next
    at = _open(app, "views/cases.py", "en", id=case.id)
    shown = _all_text(at)
    assert "What happened next" in shown
    assert case.then_and_now.next.en[:20] in shown
    assert "What they did" in shown


def test_a_preset_marks_the_cases_own_numbers_and_the_assumed_ones(app: AppTest) -> None:
    case = load_catalogue().get("luojisiwei-membership")
    assert isinstance(case, Case) and case.calculator is not None
    at = _open(app, "views/calculators.py", "en", **preset_link(case))
    table = _origin_table(at)
    where = dict(zip(table["Input"], table["Where it comes from"], strict=True))
    assert set(where.values()) == {"from the case (sourced)", "assumed"}
    assert "Opened with the numbers of" in _all_text(at)


def test_an_illustrative_preset_says_so(app: AppTest) -> None:
    cat = load_catalogue()
    case = next(c for c in cat.cases if c.calculator is not None and c.calculator.illustration)
    at = _open(app, "views/calculators.py", "en", **preset_link(case))
    assert "These inputs are illustrations, not the company's data." in _all_text(at)
    table = _origin_table(at)
    assert set(table["Where it comes from"]) == {"assumed"}
