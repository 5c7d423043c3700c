"""The vector store: a chromadb collection that knows its embedder and refuses any other.

Every collection is opened with our registered embedding function, so no code path can fall back
to chroma's default model (which would try to download ONNX weights). Vectors are computed by
Qunce and passed explicitly; the collection's metadata records the embedder's name and dimension.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from qunce.search.embedders import Embedder, Vectors, get_embedder

COLLECTION = "qunce-chunks"
# How many candidates the HNSW search keeps (chromadb's default is 100). A dense query asks for
# 100 neighbours (more when filtered). At the default, an index read back from disk returned on
# average 97 of the true 100 nearest over the 160 eval questions, as few as 85: an item whose
# best chunk was fifth could vanish, and two builds of one index answered differently. At 400
# some builds still missed one; at 1000 every build tried found the exact 100, for +1 ms (real
# content) to +2.2 ms (100k chunks) on the ANN's median (bench/search.py).
EF_SEARCH = 1000
HNSW = {"space": "cosine", "ef_search": EF_SEARCH}


class EmbedderMismatch(RuntimeError):
    """The collection was built with another embedder."""


@register_embedding_function
class QunceEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of a Qunce embedder; rebuildable from its config (the embedder spec)."""

    def __init__(self, spec: str, embedder: Embedder | None = None) -> None:
        self.spec = spec
        self._embedder = embedder

    def _model(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.spec)
        return self._embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._model().embed(list(input)))

    @staticmethod
    def name() -> str:
        return "qunce"

    def get_config(self) -> dict[str, Any]:
        return {"spec": self.spec}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> QunceEmbeddingFunction:
        return QunceEmbeddingFunction(str(config["spec"]))

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine"]

    def validate_config_update(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        if old.get("spec") != new.get("spec"):
            raise EmbedderMismatch("the collection's embedder cannot be changed; rebuild the index")


def make_client(index_dir: Path, chroma_url: str | None) -> Any:
    """A chromadb client: HttpClient for a Chroma server URL, else PersistentClient under index_dir."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if chroma_url:
        url = urlparse(chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "localhost",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=settings,
        )
    index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=settings)


@dataclass
class DenseHit:
    """A record id with its cosine similarity."""

    id: str
    similarity: float


class VectorStore:
    """One chromadb collection of chunk vectors for one embedder."""

    def __init__(
        self,
        client: Any,
        spec: str,
        embedder_name: str,
        name: str = COLLECTION,
        embedder: Embedder | None = None,
    ) -> None:
        """Open (or create) the collection; the embedder itself is only loaded to embed text."""
        self.client = client
        self.embedder_name = embedder_name
        self.name = name
        function = QunceEmbeddingFunction(spec, embedder)
        self.collection = client.get_or_create_collection(
            name,
            embedding_function=function,
            metadata={"embedder": embedder_name},
            configuration={"hnsw": HNSW},
        )
        recorded = (self.collection.metadata or {}).get("embedder")
        if recorded != embedder_name:
            raise EmbedderMismatch(
                f"collection {name!r} holds vectors of {recorded!r}, not {embedder_name!r}"
            )
        # A collection made before EF_SEARCH keeps its own setting until told (no rebuild needed).
        hnsw = (self.collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search") != EF_SEARCH:
            self.collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
        self.dimension: int | None = (self.collection.metadata or {}).get("dimension")

    def count(self) -> int:
        """Number of vectors stored."""
        return int(self.collection.count())

    def add(
        self, ids: Sequence[str], vectors: Vectors, metadatas: Sequence[dict[str, Any]]
    ) -> None:
        """Add vectors in batches chroma accepts."""
        if vectors.ndim != 2 or (self.dimension is not None and vectors.shape[1] != self.dimension):
            raise EmbedderMismatch(
                f"vectors of shape {vectors.shape} do not fit {self.embedder_name} ({self.dimension})"
            )
        if self.dimension is None:
            self.dimension = int(vectors.shape[1])
            self.collection.modify(
                metadata={"embedder": self.embedder_name, "dimension": self.dimension}
            )
        step = 4000
        for start in range(0, len(ids), step):
            self.collection.add(
                ids=list(ids[start : start + step]),
                embeddings=vectors[start : start + step],
                metadatas=list(metadatas[start : start + step]),
            )

    def delete(self, ids: Iterable[str]) -> None:
        """Remove vectors by id."""
        ids = list(ids)
        for start in range(0, len(ids), 4000):
            self.collection.delete(ids=ids[start : start + 4000])

    def delete_items(self, item_ids: Iterable[str]) -> None:
        """Remove every vector of these items, whatever chunk ids they had."""
        for item_id in item_ids:
            self.collection.delete(where={"item_id": item_id})

    def query(self, vector: Vectors, n: int, where: dict[str, Any] | None = None) -> list[DenseHit]:
        """The n nearest vectors (cosine), optionally filtered by metadata."""
        # No count() first: chromadb answers a request for more neighbours than it holds (or an
        # empty collection) with what it has, and the extra round trip cost every query.
        result = self.collection.query(
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=n,
            where=where or None,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0]
        return [DenseHit(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def drop(self) -> None:
        """Delete the whole collection."""
        self.client.delete_collection(self.name)
