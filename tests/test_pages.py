"""Every page renders in both languages without an exception (Streamlit AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.name for p in (ROOT / "views").glob("*.py"))


@pytest.fixture
def tmp_path(tmp_path: Path, search_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(search_index_dir))
    return tmp_path


def _app(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("QUNCE_DATA_DIR", str(tmp_path / "data"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders(page: str, lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(lang, tmp_path, monkeypatch).run()
    at.switch_page(f"views/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title or at.info or at.markdown


def test_home_shows_counts_in_the_chosen_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("en", tmp_path, monkeypatch).run()
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["Playbooks", "Cases"]
    assert int(at.metric[0].value) >= 31
    zh = _app("zh", tmp_path, monkeypatch).run()
    assert [m.label for m in zh.metric][:2] == ["方法手册", "案例"]


def test_playbook_page_shows_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("en", tmp_path, monkeypatch)
    at.query_params["id"] = "launch-rules"
    at.run()
    at.switch_page("views/playbooks.py").run()
    assert not at.exception
    assert at.title[0].value.strip()
    assert len(at.expander) >= 4


def test_case_page_marks_illustrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("en", tmp_path, monkeypatch)
    at.query_params["id"] = "luojisiwei-membership"
    at.run()
    at.switch_page("views/cases.py").run()
    assert not at.exception
    assert any("Luoji" in c.value for c in at.caption)
    links = [e for e in at.main if getattr(e, "proto", None) is not None and "Open these numbers" in str(e.proto)]
    assert links, "the case offers its calculator preset"


def test_language_switch_changes_labels_and_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("zh", tmp_path, monkeypatch).run()
    at.segmented_control(key="app.lang_switch").set_value("en").run()
    assert not at.exception
    assert [m.label for m in at.metric][:2] == ["Playbooks", "Cases"]
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"
    at.switch_page("views/cases.py").run()
    assert at.title[0].value == "Cases", "the language survives a page change"


def test_no_page_stops_its_run_early() -> None:
    """app.py writes the browser's cookie after the page; st.stop() would drop that write
    (test_browser_access shows the workspace kept; this keeps every page honest)."""
    root = Path(__file__).resolve().parent.parent
    calls = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("views", "qunce/ui")
        for path in sorted((root / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "st.stop()" in line and not line.lstrip().startswith("#")
    ]
    assert calls == []
