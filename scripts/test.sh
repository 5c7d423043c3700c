#!/usr/bin/env bash
# The whole test suite: system packages where we can install them, content checks, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
# two pytest workers on two cores: one BLAS thread each
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 QUNCE_EMBED_THREADS=1 OMP_NUM_THREADS=1
.venv/bin/qunce validate --coverage
.venv/bin/python -m pytest -n 2 --dist loadgroup -q "$@"
