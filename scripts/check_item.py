"""Quick check of content files while the full loader is not at hand: schema + copying.

Usage: python scripts/check_item.py FILE...
"""

import sys
from pathlib import Path

import yaml

from qunce.content.originality import copied_runs, seed_text
from qunce.content.schema import Case, Playbook

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def texts(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from texts(value)
    elif isinstance(node, str):
        yield node


seed = seed_text(SEEDS)
bad = 0
for name in sys.argv[1:]:
    data = yaml.safe_load(Path(name).read_text(encoding="utf-8"))
    model = Playbook if data.get("kind") == "playbook" else Case
    try:
        model.model_validate(data)
    except Exception as exc:  # noqa: BLE001
        bad += 1
        print(f"{name}: {exc}")
    runs = copied_runs(texts(data), seed)
    if runs:
        bad += 1
        print(f"{name}: copied from the seed: {runs[:3]}")
print("ok" if not bad else f"{bad} problems")
sys.exit(1 if bad else 0)
