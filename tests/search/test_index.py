"""The index lifecycle on a small catalogue: build, no-change rebuild, updates, corruption, embedders."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from qunce.config import load_settings
from qunce.content.catalogue import load_catalogue
from qunce.search.engine import Filters
from qunce.search.index import SearchIndex
from qunce.search.store import EmbedderMismatch, VectorStore, make_client

VALID = Path(__file__).resolve().parent.parent / "fixtures" / "content" / "valid"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(VALID, folder)
    return folder


def _index(content: Path, index_dir: Path, spec: str = "use-v3") -> SearchIndex:
    config = dataclasses.replace(load_settings(), index_dir=index_dir, embed_model=spec, chroma_url=None)
    cat = load_catalogue(playbooks_dir=content / "playbooks", cases_dir=content / "cases", extra=[])
    assert not cat.errors
    return SearchIndex(cat, config)


def test_build_then_no_change_rebuild_embeds_nothing(content: Path, tmp_path: Path) -> None:
    first = _index(content, tmp_path / "index").build()
    assert first.full and first.embedded_items == 3
    again = _index(content, tmp_path / "index")
    assert again.status().state == "fresh"
    report = again.build()
    assert (report.full, report.embedded_items, report.vectors) == (False, 0, first.vectors)
    assert again._embedder is None, "a no-change rebuild never loads the model"


def test_changed_and_removed_items_are_reindexed(content: Path, tmp_path: Path) -> None:
    _index(content, tmp_path / "index").build()
    file = content / "playbooks" / "fixture-launch.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("Write five rules", "Write seven rules"), encoding="utf-8")
    (content / "cases" / "fixture-case.yaml").unlink()
    index = _index(content, tmp_path / "index")
    status = index.status()
    assert (status.state, status.changed, status.removed) == ("stale", ["fixture-launch"], ["fixture-case"])
    report = index.build()
    assert (report.embedded_items, report.removed_items) == (1, 1)
    hits = index.searcher().search("seven rules", k=3, mode="keyword")
    assert hits[0].item_id == "fixture-launch"
    assert all(h.item_id != "fixture-case" for h in index.searcher().search("Test Co group", k=5))


@pytest.mark.parametrize("damage", ["delete-folder", "garbage-sqlite", "manifest-lies"])
def test_missing_or_corrupt_index_is_detected_and_rebuilt(content: Path, tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "index"
    _index(content, folder).build()
    if damage == "delete-folder":
        shutil.rmtree(folder)
    elif damage == "garbage-sqlite":
        (folder / "chroma" / "chroma.sqlite3").write_bytes(b"not a database" * 100)
    else:
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["vectors"] += 5
        (folder / "manifest.json").write_text(json.dumps(manifest))
    index = _index(content, folder)
    assert index.status().state in ("missing", "corrupt")
    index.ensure()
    assert index.status().state == "fresh"
    assert index.searcher().search("seed members", k=1)[0].item_id == "fixture-launch"


def test_collection_refuses_another_embedder(tmp_path: Path) -> None:
    client = make_client(tmp_path / "idx", None)
    VectorStore(client, "use-v3", "use-v3")
    with pytest.raises(EmbedderMismatch):
        VectorStore(client, "all-MiniLM-L6-v2", "st:all-MiniLM-L6-v2")


def test_changing_the_embedder_forces_a_full_rebuild(content: Path, tmp_path: Path) -> None:
    _index(content, tmp_path / "index").build()
    other = _index(content, tmp_path / "index", spec="all-MiniLM-L6-v2")
    assert other.status().state == "rebuild"
    report = other.build()
    assert report.full and report.embedded_items == 3
    hits = other.searcher().search("invite seed members", k=2, mode="dense")
    assert hits and hits[0].item_id == "fixture-launch"


def test_filters_apply_to_both_sides(content: Path, tmp_path: Path) -> None:
    index = _index(content, tmp_path / "index")
    index.build()
    searcher = index.searcher()
    for mode in ("dense", "keyword", "hybrid"):
        hits = searcher.search("group members", k=5, mode=mode, filters=Filters(kind="case"))
        assert hits and {h.kind for h in hits} == {"case"}, mode
        hits = searcher.search("group", k=5, mode=mode, filters=Filters(platforms=("taobao",)))
        assert {h.item_id for h in hits} == {"fixture-case"}, mode
