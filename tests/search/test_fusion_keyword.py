"""Fusion and keyword tokenising: pure functions, checked by hand-made examples and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qunce.search import fusion
from qunce.search.evaluate import is_hit, section_matches
from qunce.search.keyword import KeywordIndex, bigram_tokens, stem

scores = st.dictionaries(st.text(min_size=1, max_size=4), st.floats(0, 10), max_size=12)


def test_weighted_by_hand() -> None:
    out = fusion.weighted({"a": 0.8, "b": 0.4}, {"b": 6.0, "c": 3.0}, 0.7, 0.3)
    got = {f.key: round(f.score, 4) for f in out}
    # a: 0.7*1.0 ; b: 0.7*0.5 + 0.3*1.0 ; c: 0.3*0.5
    assert got == {"a": 0.7, "b": 0.65, "c": 0.15}
    assert [f.key for f in out] == ["a", "b", "c"]


def test_rrf_by_hand() -> None:
    out = fusion.rrf({"a": 0.9, "b": 0.5}, {"b": 2.0}, k=60)
    got = {f.key: f.score for f in out}
    assert got["b"] == 1 / 62 + 1 / 61
    assert got["a"] == 1 / 61
    assert out[0].key == "b"


@given(scores, scores)
def test_fusion_never_mutates_and_covers_both(dense: dict[str, float], keyword: dict[str, float]) -> None:
    before = (dict(dense), dict(keyword))
    for method in (fusion.weighted, fusion.rrf):
        out = method(dense, keyword)
        assert (dense, keyword) == before
        assert [f.score for f in out] == sorted((f.score for f in out), reverse=True)
        assert {f.key for f in out} <= {*dense, *keyword}


def test_bigrams_for_chinese_and_stems_for_english() -> None:
    assert bigram_tokens("社群电商") == ["社群", "群电", "电商"]
    assert bigram_tokens("Communities and crowdfunding") == ["community", "crowdfund"]
    assert stem("tiers") == "tier" and stem("business") == "business"


def test_bm25_ranks_the_matching_document_first() -> None:
    index = KeywordIndex(["付费会员的定价", "二维码 优惠券", "reward crowdfunding tiers"])
    assert index.scores("会员定价").argmax() == 0
    assert index.scores("crowdfunding tier").argmax() == 2
    assert index.scores("无关词汇").sum() == 0


def test_section_hit_rule() -> None:
    assert section_matches("9.1", "9.1.2") and section_matches("9.1.2", "9.1")
    assert not section_matches("9.1", "9.10")
    assert is_hit(("3.2", "3.2.1"), ["3.2.1"]) and not is_hit(("3.3",), ["3.2"])
