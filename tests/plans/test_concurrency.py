"""No lost edits under contention: 20 writers × 100 read-modify-write updates of one item.

Each writer increments a counter kept in the item's notes, on top of the value it read, in its
own thread with its own sessions. With the version check the counter must end at 2,000, and the
history must show an unbroken chain 0 → 1 → ... → 2,000 with exactly 100 saves per writer. The control runs the same writers with the check
switched off (`check_version=False`, which exists only for this test) and must lose updates:
that is what the check prevents.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from qunce.plans import Plan, StaleEdit, Store, Workspace, get_item, item_history, update_item

WRITERS = 20
UPDATES = 100


def _hammer(store: Store, workspace_id: str, item_id: int, *, check_version: bool) -> int:
    """Run the writers; returns how many stale saves were refused (and retried)."""
    start = threading.Barrier(WRITERS)
    refused = Counter[int]()

    def writer(number: int) -> None:
        start.wait()
        item = get_item(store, workspace_id, item_id)
        for _update in range(UPDATES):
            while True:
                try:
                    item = update_item(
                        store,
                        workspace_id,
                        item_id,
                        {"notes": str(int(item.notes or 0) + 1)},
                        expected_version=item.version,
                        author=f"writer {number}",
                        check_version=check_version,
                    )
                    break
                except StaleEdit as stale:
                    refused[number] += 1
                    item = stale.current
            if not check_version:
                # Without the check nothing tells us we overwrote someone: read afresh.
                item = get_item(store, workspace_id, item_id)

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for future in [pool.submit(writer, n) for n in range(WRITERS)]:
            future.result()
    return sum(refused.values())


@pytest.mark.slow
def test_twenty_writers_lose_nothing_with_the_version_check(
    store: Store, team: tuple[Workspace, str], plan: Plan
) -> None:
    ws, item = team[0].id, plan.items[0]
    refused = _hammer(store, ws, item.id, check_version=True)
    print(f"{refused} stale saves refused and retried")
    final = get_item(store, ws, item.id)
    assert final.notes == str(WRITERS * UPDATES)
    assert final.version == 1 + WRITERS * UPDATES
    history = sorted(item_history(store, ws, item.id), key=lambda c: c.id)
    assert [(c.old, c.new) for c in history] == [
        (str(n) if n else "", str(n + 1)) for n in range(WRITERS * UPDATES)
    ]
    assert Counter(c.author for c in history) == {f"writer {n}": UPDATES for n in range(WRITERS)}
    assert refused > 0, "the writers never collided, so this test proved nothing"


@pytest.mark.slow
def test_control_without_the_version_check_loses_updates(
    store: Store, team: tuple[Workspace, str], plan: Plan
) -> None:
    ws, item = team[0].id, plan.items[0]
    _hammer(store, ws, item.id, check_version=False)
    final = get_item(store, ws, item.id)
    # Every writer's 100 saves "succeeded", yet some increments are gone.
    assert int(final.notes) < WRITERS * UPDATES
