"""`qunce search`, `qunce eval` and `qunce index` as a person at a terminal uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qunce.cli import app

ROOT = Path(__file__).resolve().parents[2]
QUERY_FILES = [ROOT.parent / "shared" / "eval" / "dev_queries.yaml", ROOT / "tests" / "fixtures" / "eval" / "holdout.yaml"]
TODAY = ROOT / "eval" / "today.yaml"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _index(search_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(search_index_dir))


def _run(*args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, list(args))
    print(result.output)
    return result


def test_search_json_has_the_documented_fields() -> None:
    result = _run("search", "付费会员 众筹", "--k", "3", "--json")
    assert result.exit_code == 0
    hits = json.loads(result.output)
    assert len(hits) == 3
    assert set(hits[0]) == {"id", "kind", "sections", "title", "score", "dense", "keyword", "chunk", "match"}
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]
    assert {h["match"] for h in hits} <= {"strong", "weak"}


def test_keyboard_mash_has_no_close_match() -> None:
    result = _run("search", "asdfghjkl qwerty", "--json")
    assert result.exit_code == 0
    assert {h["match"] for h in json.loads(result.output)} == {"weak"}
    text = _run("search", "asdfghjkl qwerty")
    assert "no close match" in text.output


def test_a_question_about_numbers_shows_a_calculator() -> None:
    result = _run("search", "付费会员怎么定价", "--k", "3")
    assert result.exit_code == 0
    assert "calculator: crowdfunding" in result.output


def test_eval_today_meets_the_bar_and_twins_rank_alike() -> None:
    result = _run("eval", str(TODAY), "--json")
    assert result.exit_code == 0
    scores = json.loads(result.output)
    assert scores["mrr"] >= 0.85 and scores["recall@1"] >= 0.75
    assert scores["twins"] >= 10 and scores["twins_worse"] == []
    assert scores["off_topic"] >= 10 and scores["off_topic_strong"] == 0
    # the on-topic weak share is reported; with the 2016 content it is above the 5% aim
    # (docs/search.md), so this only guards against it getting worse
    assert scores["on_topic_weak"] <= 0.2


def test_search_kind_filter_and_bad_mode() -> None:
    result = _run("search", "membership", "--kind", "case", "--json")
    assert result.exit_code == 0
    assert {h["kind"] for h in json.loads(result.output)} == {"case"}
    assert _run("search", "x", "--mode", "fuzzy").exit_code == 1


@pytest.mark.parametrize("file", [f for f in QUERY_FILES if f.is_file()], ids=lambda f: f.stem)
def test_eval_all_modes_meets_the_bar_and_hybrid_wins(file: Path) -> None:
    result = _run("eval", str(file), "--mode", "all", "--json")
    assert result.exit_code == 0
    scores = json.loads(result.output)
    assert set(scores) == {"hybrid", "dense", "keyword"}
    assert {"n", "recall@1", "recall@5", "mrr", "misses"} <= set(scores["hybrid"])
    hybrid = scores["hybrid"]
    assert hybrid["recall@5"] >= 0.9 and hybrid["mrr"] >= 0.75
    assert hybrid["mrr"] > scores["dense"]["mrr"] and hybrid["mrr"] > scores["keyword"]["mrr"]


def test_eval_rejects_a_bad_query_file(tmp_path: Path) -> None:
    bad = tmp_path / "q.yaml"
    bad.write_text("- {q: hello}\n", encoding="utf-8")
    result = _run("eval", str(bad))
    assert result.exit_code == 1
    assert "entry 0" in result.output


def test_index_status_is_fresh() -> None:
    result = _run("index", "status")
    assert result.exit_code == 0
    assert result.output.startswith("fresh:")
