"""The index folder deleted or corrupted: detected, rebuilt, and never a wrong result.

Each damage is done to a private copy of the session's index, in two situations: a process that
opens the damaged folder (a restart), and a process that was already serving from it (the app
running while someone deletes or overwrites files underneath it). Either way the next answers
must equal the answers of the undamaged index.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import qunce.search.index
import qunce.ui.search
from qunce.config import load_settings
from qunce.content.catalogue import Catalogue
from qunce.content.schema import Text
from qunce.search.engine import LANGS, record_id
from qunce.search.index import SearchIndex
from tests.faults.vectors import CachedEmbedder, copy_index, same_answers

ROOT = Path(__file__).resolve().parents[2]
RESULT = re.compile(r"^:orange-badge\[.*\] \*\*\d+\. ")
QUERIES = ["付费会员怎么招募", "reward crowdfunding tiers", "群里冷清没人说话怎么办"]


def _index(folder: Path, catalogue: Catalogue, embedder: CachedEmbedder) -> SearchIndex:
    config = dataclasses.replace(load_settings(), index_dir=folder, chroma_url=None)
    return SearchIndex(catalogue, config, embedder=embedder)


def _agree(answers: list[list[str]], reference: list[list[str]]) -> bool:
    """The same answers as the undamaged index, query by query (see `same_answers`)."""
    return len(answers) == len(reference) and all(
        same_answers(got, want) for got, want in zip(answers, reference, strict=True)
    )


def _answers(index: SearchIndex) -> list[list[str]]:
    searcher = index.searcher()
    return [[h.item_id for h in searcher.search(q, k=10)] for q in QUERIES]


@pytest.fixture(scope="module")
def reference(
    search_index_dir: Path, real_catalogue: Catalogue, cached_embedder: CachedEmbedder
) -> list[list[str]]:
    """What the undamaged index answers."""
    return _answers(_index(search_index_dir, real_catalogue, cached_embedder))


def _garbage(path: Path) -> None:
    size = max(path.stat().st_size, 4096)
    path.write_bytes(os.urandom(size))


def _segment_file(folder: Path, name: str) -> Path:
    [found] = list((folder / "chroma").glob(f"*/{name}"))
    return found


def delete_folder(folder: Path) -> None:
    shutil.rmtree(folder)


def delete_vectors(folder: Path) -> None:
    shutil.rmtree(folder / "chroma")


def garbage_database(folder: Path) -> None:
    _garbage(folder / "chroma" / "chroma.sqlite3")


def garbage_hnsw(folder: Path) -> None:
    _garbage(_segment_file(folder, "data_level0.bin"))
    _garbage(_segment_file(folder, "header.bin"))


def garbage_manifest(folder: Path) -> None:
    (folder / "manifest.json").write_text("{ not json", encoding="utf-8")


def manifest_says_other_content(folder: Path) -> None:
    path = folder / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    first = sorted(data["items"])[0]
    data["items"][first] = "0" * 16
    path.write_text(json.dumps(data), encoding="utf-8")


def delete_chunk_list(folder: Path) -> None:
    (folder / "chunks.json").unlink(missing_ok=True)  # later versions keep no chunk list


# Deleting the whole folder is a first start for a new process, and the running case has its own
# test below; a lost chunk list matters once content changes (its own test at the end).
ON_RESTART: list[Callable[[Path], None]] = [
    delete_vectors,
    garbage_database,
    garbage_hnsw,
    garbage_manifest,
    manifest_says_other_content,
]
WHILE_RUNNING: list[Callable[[Path], None]] = [
    delete_vectors,
    garbage_database,
    garbage_hnsw,
    garbage_manifest,
]


@pytest.mark.parametrize("damage", ON_RESTART, ids=lambda f: f.__name__)
def test_a_restarted_process_rebuilds_a_damaged_index(
    damage: Callable[[Path], None],
    tmp_path: Path,
    search_index_dir: Path,
    real_catalogue: Catalogue,
    cached_embedder: CachedEmbedder,
    reference: list[list[str]],
) -> None:
    folder = copy_index(search_index_dir, tmp_path / "index")
    damage(folder)
    index = _index(folder, real_catalogue, cached_embedder)
    assert _agree(_answers(index), reference)
    assert _index(folder, real_catalogue, cached_embedder).status().state == "fresh"


@pytest.mark.parametrize("damage", WHILE_RUNNING, ids=lambda f: f.__name__)
def test_a_running_process_keeps_answering_right_when_its_index_is_damaged(
    damage: Callable[[Path], None],
    tmp_path: Path,
    search_index_dir: Path,
    real_catalogue: Catalogue,
    cached_embedder: CachedEmbedder,
    reference: list[list[str]],
) -> None:
    folder = copy_index(search_index_dir, tmp_path / "index")
    index = _index(folder, real_catalogue, cached_embedder)
    assert _agree(_answers(index), reference)
    damage(folder)
    # What the app does before answering: check, and rebuild what it finds broken.
    index.ensure()
    assert _agree(_answers(index), reference)


def test_an_index_deleted_under_a_running_process_is_rebuilt_on_disk(
    tmp_path: Path,
    search_index_dir: Path,
    real_catalogue: Catalogue,
    cached_embedder: CachedEmbedder,
    reference: list[list[str]],
) -> None:
    """`rm -rf index/` while the app runs: the rebuild must land on disk, not in a ghost file."""
    folder = copy_index(search_index_dir, tmp_path / "index")
    index = _index(folder, real_catalogue, cached_embedder)
    assert _agree(_answers(index), reference)
    shutil.rmtree(folder)
    assert index.ensure().state == "missing"
    assert _agree(_answers(index), reference)
    # A new process (chromadb keeps one client per folder per process) finds it fresh.
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "qunce"), "index", "status"],
        env={**os.environ, "QUNCE_INDEX_DIR": str(folder), "QUNCE_CONTENT_PATH": ""},
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("fresh"), result.stdout


def test_an_edit_after_the_chunk_list_is_lost_replaces_the_old_vectors(
    tmp_path: Path,
    search_index_dir: Path,
    real_catalogue: Catalogue,
    cached_embedder: CachedEmbedder,
) -> None:
    """chunks.json lost, then one item edited: its old vectors must not outlive the edit."""
    folder = copy_index(search_index_dir, tmp_path / "index")
    delete_chunk_list(folder)
    item_id = sorted(real_catalogue.items)[0]
    item = real_catalogue.items[item_id]
    summary = Text(
        zh="测试用的全新概要：社群团购的冷启动。", en="A brand-new test summary: cold start."
    )
    edited = dataclasses.replace(
        real_catalogue,
        items={**real_catalogue.items, item_id: item.model_copy(update={"summary": summary})},
    )
    index = _index(folder, edited, cached_embedder)
    assert index.status().changed == [item_id]
    index.build()
    stored = index._store().collection.get(
        where={"item_id": item_id}, include=["embeddings", "documents"]
    )
    expected = {
        record_id(chunk.id, lang): chunk.text(lang)
        for chunk in index.chunks[item_id]
        for lang in LANGS
    }
    assert sorted(stored["ids"]) == sorted(expected)
    vectors = dict(zip(stored["ids"], stored["embeddings"], strict=True))
    for rid, text in expected.items():
        want = cached_embedder.embed([text])[0]
        assert np.allclose(vectors[rid], want, atol=1e-5), (
            f"{rid} still holds the vector of the old text"
        )


def _result_titles(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if RESULT.match(m.value)]


@pytest.mark.parametrize("damage", [delete_folder, garbage_database], ids=lambda f: f.__name__)
def test_the_search_page_survives_its_index_being_damaged(
    damage: Callable[[Path], None],
    tmp_path: Path,
    search_index_dir: Path,
    cached_embedder: CachedEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = copy_index(search_index_dir, tmp_path / "index")
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(folder))
    monkeypatch.delenv("QUNCE_CONTENT_PATH", raising=False)
    monkeypatch.setattr(qunce.search.index, "get_embedder", lambda *_a, **_k: cached_embedder)
    qunce.ui.search._index.clear()  # an index another test's page left in this process
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["lang"] = "en"
        at.run()
        at.switch_page("views/search.py").run()
        at.text_input(key="search.query").input(QUERIES[1]).run()
        assert not at.exception, [e.value for e in at.exception]
        before = _result_titles(at)
        assert len(before) == 10
        damage(folder)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        # The rebuilt index answers as the old one did (near ties far down may trade places).
        assert _agree([_result_titles(at)], [before])
    finally:
        qunce.ui.search._index.clear()
