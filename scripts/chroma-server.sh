#!/usr/bin/env bash
# Run a Chroma server for Qunce's search index (see docs/team.md).
# Usage: scripts/chroma-server.sh [DATA_DIR] [PORT] [HOST]
# Defaults: DATA_DIR=chroma-data, PORT=8000, HOST=127.0.0.1 (use 0.0.0.0 only behind a firewall:
# the Chroma server has no authentication of its own here).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR="${1:-chroma-data}"
PORT="${2:-8000}"
HOST="${3:-127.0.0.1}"
mkdir -p "$DATA_DIR"
echo "Chroma on http://$HOST:$PORT, data in $DATA_DIR (check: curl http://$HOST:$PORT/api/v2/heartbeat)"
exec .venv/bin/chroma run --path "$DATA_DIR" --host "$HOST" --port "$PORT"
