"""Scale-out fixtures: the real catalogue and the fast-rebuild embedder from tests/faults."""

from tests.faults.conftest import cached_embedder, real_catalogue

__all__ = ["cached_embedder", "real_catalogue"]
