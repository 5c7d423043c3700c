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


def test_every_item_sets_the_book_beside_today(catalogue: Catalogue) -> None:
    """Issue 13: then-and-now on every playbook and case, dated, sourced or marked."""
    for item in catalogue.items.values():
        tan = item.then_and_now
        assert tan is not None, item.id
        assert tan.then.zh and tan.then.en and tan.now.zh and tan.now.en, item.id
        assert tan.sources or tan.illustration, item.id
        assert all(s.url and s.date for s in tan.sources), item.id
        assert item.provenance.note.zh and item.provenance.note.en, item.id
    for case in catalogue.cases:
        assert case.then_and_now is not None and case.then_and_now.next is not None, case.id


def test_cases_after_the_book_are_sourced_and_own_no_leaf(catalogue: Catalogue) -> None:
    leaves = {s.number for s in catalogue.book.leaves()}
    recent = [c for c in catalogue.cases if c.year >= 2018]
    assert len(recent) >= 3
    for case in recent:
        assert not set(case.sections) & leaves, case.id
        assert case.illustrates, case.id
        tan = case.then_and_now
        assert tan is not None and any(s.date.year >= 2018 for s in tan.sources), case.id
        assert all(r.source for r in case.results), case.id


def test_cards_without_a_public_record_say_they_are_patterns(catalogue: Catalogue) -> None:
    for case in catalogue.cases:
        if not case.sources:
            assert case.pattern, f"{case.id}: no public source, so it is a pattern card"
        if case.pattern:
            assert all(r.illustration for r in case.results), case.id


def test_every_playbook_has_its_trainer_layer_and_key_messages(catalogue: Catalogue) -> None:
    for pb in catalogue.playbooks:
        assert pb.trainer is not None, pb.id
        assert all(step.key_message is not None for step in pb.steps), pb.id
        assert isinstance(catalogue.get(pb.trainer.anchor_case), Case), pb.id


def test_the_methods_that_run_every_day_have_routines(catalogue: Catalogue) -> None:
    with_routines = [pb.id for pb in catalogue.playbooks if pb.routines]
    assert len(with_routines) >= 20
    for must in ("launch-rules", "wechat-community", "operating-core", "interaction-traits"):
        assert must in with_routines


def test_the_house_numbers_are_cited_not_restated(catalogue: Catalogue) -> None:
    """The contradictions the issue found are gone: one split size, one reply time, one name."""
    texts = [t for item in catalogue.items.values() for t in _texts(item)]
    for avoided in ("首席体验官", "核心群", "铁粉群", "30 分钟内公开回应"):
        assert not [t for t in texts if avoided in t], avoided
    cited = {key for ids in catalogue.cites.values() for key in ids}
    for key in ("group-split", "reply-complaint", "member-ladder", "inner-circle", "consent-tags"):
        assert key in cited, key
