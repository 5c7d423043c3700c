#!/usr/bin/env bash
# Create .venv and install Qunce with its extras. Idempotent: a stamp named after the hash of
# pyproject.toml records a finished install, so a second run does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      python=$candidate
      break
    fi
  done
fi
[ -n "$python" ] || { echo "Qunce needs Python 3.11 or newer" >&2; exit 1; }

[ -x .venv/bin/python ] || "$python" -m venv .venv

stamp=".venv/.qunce-$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)"
if [ -f "$stamp" ]; then
  exit 0
fi
echo "setting up .venv (first run only; a few minutes)"
.venv/bin/python -m pip install -q --upgrade pip
# torch first and pinned: this CPU wheel lies on the machine's disk; any other torch request
# would make pip resolve a multi-GB CUDA build.
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -e ".[st,dev,e2e]"
rm -f .venv/.qunce-*
touch "$stamp"
echo "setup done"
