"""The shipped content: complete, bilingual, honest, and not copied from the book."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qunce.content.catalogue import Catalogue, load_catalogue
from qunce.content.originality import copied_by_digest, digest, seed_digests, seed_text
from qunce.content.schema import Case, Playbook

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
DIGESTS = Path(__file__).resolve().parents[1] / "fixtures" / "seed-digests.txt"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(extra=[])


def _texts(node: Any) -> list[str]:
    if hasattr(node, "model_dump"):
        node = node.model_dump()
    if isinstance(node, dict):
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return [node] if isinstance(node, str) else []


def test_content_has_no_errors(catalogue: Catalogue) -> None:
    assert [e.render() for e in catalogue.errors] == []


def test_every_leaf_section_is_covered_exactly_once(catalogue: Catalogue) -> None:
    missing, owners = catalogue.coverage()
    assert missing == []
    assert {n: ids for n, ids in owners.items() if len(ids) > 1} == {}


def test_enough_playbooks_and_cases(catalogue: Catalogue) -> None:
    assert len(catalogue.playbooks) >= 31
    assert len(catalogue.cases) >= 20


def test_every_case_section_has_a_case_card(catalogue: Catalogue) -> None:
    case_leaves = {s.number for s in catalogue.book.leaves() if s.case}
    _, owners = catalogue.coverage()
    for number in case_leaves:
        assert all(isinstance(catalogue.items[i], Case) for i in owners[number]), number


def test_every_playbook_leaf_has_a_step(catalogue: Catalogue) -> None:
    leaves = {s.number for s in catalogue.book.leaves()}
    for pb in catalogue.playbooks:
        stepped = {s.section for s in pb.steps}
        assert {n for n in pb.sections if n in leaves} <= stepped, pb.id


def test_playbooks_are_actionable(catalogue: Catalogue) -> None:
    for pb in catalogue.playbooks:
        assert isinstance(pb, Playbook)
        assert 4 <= len(pb.steps) <= 10, pb.id
        assert pb.metrics and pb.pitfalls, pb.id


def test_no_run_of_20_characters_is_copied_from_the_seed(catalogue: Catalogue) -> None:
    # The repository holds fingerprints of the seed's 20-character runs, not the book's text,
    # so this runs wherever the tests run; beside ../shared the fingerprints are checked too.
    digests = set(DIGESTS.read_text(encoding="utf-8").split())
    if SEEDS.is_dir():
        assert digests == seed_digests(seed_text(SEEDS)), "regenerate tests/fixtures/seed-digests.txt"
    copied = {item.id: copied_by_digest(_texts(item), digests) for item in catalogue.items.values()}
    assert {k: v for k, v in copied.items() if v} == {}


def test_the_copy_check_finds_a_copied_sentence() -> None:
    digests = set(DIGESTS.read_text(encoding="utf-8").split())
    if SEEDS.is_dir():
        run = "".join(seed_text(SEEDS).split())[500:540]
    else:  # the check must still be able to fail: a run whose fingerprint we plant
        run = "这是一个用来检查抄袭检测是否有效的二十个字符以上的句子"
        digests |= {digest(run[:20])}
    assert copied_by_digest(["我们自己写的开头。" + run], digests)


def test_seed_text_provenance_only_where_the_seed_reaches(catalogue: Catalogue) -> None:
    for item in catalogue.items.values():
        if item.provenance.basis == "seed-text":
            assert item.chapter == 1, item.id
