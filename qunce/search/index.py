"""The index lifecycle: build, incremental rebuild, status, and never serving a stale index.

`index/manifest.json` records the embedder, the schema and chunker versions and a content hash
per item. A rebuild re-embeds only the items whose hash changed; a missing, stale or corrupt
index is detected when it is opened and rebuilt before any query is answered.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qunce.config import Settings, settings
from qunce.content.catalogue import Catalogue, content_hash
from qunce.content.schema import SCHEMA_VERSION, Playbook
from qunce.search.chunks import CHUNKER_VERSION, Chunk, chunk_catalogue
from qunce.search.concepts import Concepts
from qunce.search.embedders import Embedder, embedder_name, get_embedder
from qunce.search.engine import LANGS, Searcher, record_id
from qunce.search.store import (
    COLLECTION,
    EmbedderMismatch,
    QunceEmbeddingFunction,
    VectorStore,
    make_client,
)

MANIFEST = "manifest.json"
MANIFEST_COLLECTION = "qunce-manifest"
Progress = Callable[[int, int, str], None]


@dataclass
class Status:
    """What the index holds compared with the content."""

    state: str  # fresh | missing | stale | rebuild | corrupt
    embedder: str
    items: int = 0
    vectors: int = 0
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reason: str = ""

    def describe(self) -> str:
        """One line for `qunce index status`."""
        text = f"{self.state}: {self.items} items, {self.vectors} vectors, embedder {self.embedder}"
        if self.changed:
            text += f"; changed: {', '.join(self.changed[:8])}" + (
                " ..." if len(self.changed) > 8 else ""
            )
        if self.removed:
            text += f"; removed: {', '.join(self.removed[:8])}"
        if self.reason:
            text += f" ({self.reason})"
        return text


@dataclass
class BuildReport:
    """What a build did."""

    embedded_items: int
    removed_items: int
    vectors: int
    seconds: float
    full: bool


def item_hash(catalogue: Catalogue, item_id: str) -> str:
    """What an item's chunks depend on: its own content, and that of the playbooks its pointer
    steps (`see:`) name, whose words those steps' chunks carry."""
    item = catalogue.items[item_id]
    owners = sorted(
        {s.see.partition("/")[0] for s in item.steps if s.see}
        if isinstance(item, Playbook)
        else set()
    )
    parts = [content_hash(item)] + [
        content_hash(owner) for o in owners if (owner := catalogue.items.get(o)) is not None
    ]
    return (
        parts[0] if len(parts) == 1 else hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
    )


class SearchIndex:
    """The search index for one catalogue under one configuration."""

    def __init__(
        self, catalogue: Catalogue, config: Settings | None = None, embedder: Embedder | None = None
    ) -> None:
        self.catalogue = catalogue
        self.config = config or settings()
        self.spec = self.config.embed_model
        self._embedder = embedder
        self.embedder_name = embedder.name if embedder else embedder_name(self.spec)
        self.dir = Path(self.config.index_dir)
        self.chunks = chunk_catalogue(catalogue)
        self.hashes = {item_id: item_hash(catalogue, item_id) for item_id in catalogue.items}
        self._searcher: Searcher | None = None
        # one build at a time in this process: sessions arriving together on a cold server and
        # the start-up warm-up must not embed into the same collection at once
        self.lock = threading.RLock()

    @property
    def embedder(self) -> Embedder:
        """The embedder, loaded on first use (a status check or a no-change rebuild never loads it)."""
        if self._embedder is None:
            self._embedder = get_embedder(self.spec)
        return self._embedder

    # -- manifest ---------------------------------------------------------------------------

    @property
    def manifest_path(self) -> Path:
        return self.dir / MANIFEST

    def _remote_manifest(self) -> Any:
        """With a Chroma server the manifest lives there too, so every app server, on any
        machine, sees the same index state (a local file would look 'missing' elsewhere and
        make that server wipe the shared collection)."""
        client = make_client(self.dir, self.config.chroma_url)
        return client.get_or_create_collection(
            MANIFEST_COLLECTION,
            embedding_function=QunceEmbeddingFunction(self.spec),
            metadata={"manifest": "{}"},
        )

    def _read_manifest(self) -> dict[str, Any] | None:
        try:
            if self.config.chroma_url:
                text = (self._remote_manifest().metadata or {}).get("manifest", "")
            else:
                text = self.manifest_path.read_text(encoding="utf-8")
            data = json.loads(text)
        except Exception:
            return None
        return data if isinstance(data, dict) and data else None

    def _write_manifest(self, items: dict[str, str], vectors: int) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        data = {
            "embedder": self.embedder_name,
            "schema_version": SCHEMA_VERSION,
            "chunker_version": CHUNKER_VERSION,
            "items": items,
            "vectors": vectors,
            "chroma": self.config.chroma_url or "embedded",
        }
        if self.config.chroma_url:
            self._remote_manifest().modify(
                metadata={"manifest": json.dumps(data, ensure_ascii=False, sort_keys=True)}
            )
        tmp = self.manifest_path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
        tmp.replace(self.manifest_path)

    def _store(self) -> VectorStore:
        client = make_client(self.dir, self.config.chroma_url)
        return VectorStore(client, self.spec, self.embedder_name, embedder=self._embedder)

    # -- status -----------------------------------------------------------------------------

    def status(self) -> Status:
        """Compare the index on disk with the content, without changing anything."""
        manifest = self._read_manifest()
        status = Status("fresh", self.embedder_name)
        if manifest is None:
            status.state, status.reason = "missing", "no manifest"
            return status
        recorded: dict[str, str] = manifest.get("items", {})
        status.items = len(recorded)
        if (
            manifest.get("embedder") != self.embedder_name
            or manifest.get("schema_version") != SCHEMA_VERSION
            or manifest.get("chunker_version") != CHUNKER_VERSION
            or manifest.get("chroma") != (self.config.chroma_url or "embedded")
        ):
            status.state, status.reason = "rebuild", "embedder, schema or chunker changed"
            return status
        try:
            store = self._store()
            status.vectors = store.count()
        except EmbedderMismatch as exc:
            status.state, status.reason = "rebuild", str(exc)
            return status
        except Exception as exc:
            status.state, status.reason = "corrupt", f"{type(exc).__name__}: {exc}"[:200]
            return status
        if status.vectors != manifest.get("vectors"):
            status.state = "corrupt"
            status.reason = (
                f"{status.vectors} vectors stored, manifest says {manifest.get('vectors')}"
            )
            return status
        status.changed = sorted(i for i, h in self.hashes.items() if recorded.get(i) != h)
        status.removed = sorted(set(recorded) - set(self.hashes))
        if status.changed or status.removed:
            status.state = "stale"
        return status

    # -- build ------------------------------------------------------------------------------

    def _wipe(self) -> None:
        if self.config.chroma_url:
            client = make_client(self.dir, self.config.chroma_url)
            for name in (COLLECTION, MANIFEST_COLLECTION):
                with contextlib.suppress(Exception):  # nothing to delete
                    client.delete_collection(name)
        # chromadb keeps one system per path in the process; drop it so the files reopen cleanly
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
        if self.dir.exists():
            for child in self.dir.iterdir():
                if child.name == "README.md":
                    continue
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)

    def build(self, progress: Progress | None = None, force: bool = False) -> BuildReport:
        """Bring the index up to date; re-embed only changed items unless a full build is needed."""
        with self.lock:
            return self._build(progress, force)

    def _build(self, progress: Progress | None, force: bool) -> BuildReport:
        started = time.perf_counter()
        status = Status("rebuild", self.embedder_name) if force else self.status()
        full = status.state in ("missing", "rebuild", "corrupt")
        if full:
            self._wipe()
            todo = sorted(self.hashes)
            removed: list[str] = []
            recorded: dict[str, str] = {}
        else:
            todo = status.changed
            removed = status.removed
            recorded = dict((self._read_manifest() or {}).get("items", {}))
        store = self._store()
        if not full:
            # by metadata, not by remembered ids: an item's old vectors go even if the chunk
            # list on disk was lost or its chunks were renamed
            store.delete_items([*todo, *removed])
            for item_id in removed:
                recorded.pop(item_id, None)
        total = len(todo)
        batch: list[Chunk] = []
        for done, item_id in enumerate(todo, start=1):
            batch.extend(self.chunks[item_id])
            if len(batch) >= 64 or done == total:
                self._embed_and_add(store, batch)
                batch = []
            recorded[item_id] = self.hashes[item_id]
            if progress:
                progress(done, total, item_id)
        self._write_manifest(recorded, store.count())
        self._searcher = None
        return BuildReport(
            len(todo), len(removed), store.count(), time.perf_counter() - started, full
        )

    def _embed_and_add(self, store: VectorStore, chunks: list[Chunk]) -> None:
        if not chunks:
            return
        texts = [c.text(lang) for c in chunks for lang in LANGS]
        ids = [record_id(c.id, lang) for c in chunks for lang in LANGS]
        metas = [{**c.metadata(), "lang": lang} for c in chunks for lang in LANGS]
        store.add(ids, self.embedder.embed(texts), metas)

    def concepts(self) -> Concepts:
        """The alias vocabulary with the glossary's concepts, as the keyword side uses it."""
        return Concepts(self.catalogue.aliases.with_glossary(self.catalogue.glossary))

    # -- query ------------------------------------------------------------------------------

    def ensure(self, progress: Progress | None = None) -> Status:
        """Rebuild when the index is missing, stale or corrupt; return the status found."""
        status = self.status()
        if status.state != "fresh":
            self.build(progress)
        return status

    def searcher(self, progress: Progress | None = None) -> Searcher:
        """A searcher over a fresh index (built first if needed)."""
        with self.lock:
            if self._searcher is None:
                self.ensure(progress)
                chunks = [c for item_id in sorted(self.chunks) for c in self.chunks[item_id]]
                embedder = self.embedder
                self._searcher = Searcher(chunks, self._store(), embedder, concepts=self.concepts())
            return self._searcher
