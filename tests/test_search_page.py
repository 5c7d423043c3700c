"""The Search page: results as cards in the UI language, filters, a useful empty state."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def index_dir(search_index_dir: Path) -> Path:
    return search_index_dir


def _page(lang: str, index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(index_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("views/search.py").run()
    return at


def test_query_shows_cards_with_highlight(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("zh", index_dir, monkeypatch)
    at.text_input(key="search.query").input("付费会员怎么招募").run()
    assert not at.exception, [e.value for e in at.exception]
    bodies = [m.value for m in at.markdown]
    assert any("**" in b for b in bodies), "query terms are highlighted"
    assert any("1." in b for b in bodies)


def test_kind_filter_limits_results(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("en", index_dir, monkeypatch)
    at.selectbox(key="search.kind").select_index(2).run()
    at.text_input(key="search.query").input("membership").run()
    assert not at.exception
    badges = [m.value for m in at.markdown if "orange-badge" in m.value]
    assert badges and all("Case" in b for b in badges)


def test_no_results_state_helps(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("en", index_dir, monkeypatch)
    at.selectbox(key="search.kind").select_index(2).run()
    at.multiselect(key="search.chapters").set_value([1]).run()
    at.text_input(key="search.query").input("zzzz qqqq").run()
    assert not at.exception
    assert at.warning and "No results" in at.warning[0].value
