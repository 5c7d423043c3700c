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
    from qunce.content.catalogue import load_catalogue

    cat = load_catalogue()
    empty = min(c.number for c in cat.book.chapters if all(case.chapter != c.number for case in cat.cases))
    at.selectbox(key="search.kind").select_index(2).run()  # cases only, in a chapter with none
    at.multiselect(key="search.chapters").set_value([empty]).run()
    at.text_input(key="search.query").input("zzzz qqqq").run()
    assert not at.exception
    assert at.warning and "No results" in at.warning[0].value


def test_keyboard_mash_says_no_close_match_and_suggests(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("en", index_dir, monkeypatch)
    at.text_input(key="search.query").input("asdfghjkl qwerty").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.warning and "No close match" in at.warning[0].value
    tip = at.button(key="search.tip.0")
    assert tip.label
    tip.click().run()
    assert not at.exception
    assert at.text_input(key="search.query").value == tip.label


def test_traditional_question_lands_on_the_step_with_a_readable_reason(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("zh", index_dir, monkeypatch)
    at.text_input(key="search.query").input("群裡冷場沒人說話怎麼辦").run()
    assert not at.exception, [e.value for e in at.exception]
    first = next(m.value for m in at.markdown if "1." in m.value and "orange-badge" in m.value)
    assert "社群启动" in first and "匹配" in first and "第 7 步" in first and "冷场" in first
    assert "语义 0." not in first  # raw figures live in the tooltip
    links = at.get("page_link")
    assert any("step=handle-silence-and-noise" in str(link.proto) for link in links)


def test_question_about_numbers_shows_the_calculator(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("en", index_dir, monkeypatch)
    at.text_input(key="search.query").input("how to price a paid membership").run()
    assert not at.exception
    assert any("calc=crowdfunding" in str(link.proto) for link in at.get("page_link"))


def test_filters_speak_the_ui_language(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("zh", index_dir, monkeypatch)
    for key in ("search.chapters", "search.platforms", "search.stages", "search.tags"):
        assert at.multiselect(key=key).placeholder in ("全部", "全部章节"), key


def test_playbook_opens_at_the_step_a_result_names(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(index_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "zh"
    at.query_params["id"] = "launch-rules"
    at.query_params["step"] = "handle-silence-and-noise"
    at.run()
    at.switch_page("views/playbooks.py").run()
    assert not at.exception
    opened = [e.label for e in at.expander if e.proto.expanded]
    assert len(opened) == 1 and opened[0].startswith("7.")


def test_home_starts_with_the_three_roles(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(index_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    labels = [link.label for link in at.get("page_link")]
    assert labels[:6] == ["Search playbooks and cases", "Read the cases", "Plan with calculators",
                          "Start a launch plan", "Pick playbooks", "Prepare a workshop"]  # fmt: skip
