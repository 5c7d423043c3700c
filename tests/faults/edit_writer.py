"""A stand-in app server for the kill test: edits plan items and acknowledges each saved edit.

Run as `python -m tests.faults.edit_writer URL WORKSPACE_ID PLAN_ID THREADS`. Each thread owns
some items and saves notes on them one after another; after `update_item` returns (the commit
is done) it prints `ACK <item id> <version> <notes>`, and one thread also adds items
(`NEW <item id> <title>`). The test kills this process with SIGKILL at an arbitrary moment and
then checks that every acknowledged edit is in the database.
"""

from __future__ import annotations

import sys
import threading

from qunce.plans import add_item, get_plan, open_store, update_item

_print_lock = threading.Lock()


def _say(line: str) -> None:
    with _print_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def main() -> None:
    """Edit until killed."""
    url, workspace_id, plan_id, threads = (
        sys.argv[1],
        sys.argv[2],
        int(sys.argv[3]),
        int(sys.argv[4]),
    )
    store = open_store(url)
    items = list(get_plan(store, workspace_id, plan_id).items)

    def edit(mine: list[int], adds: bool) -> None:
        versions = {item.id: item.version for item in items if item.id in mine}
        n = 0
        while True:
            for item_id in mine:
                n += 1
                notes = f"edit {item_id}-{n}"
                saved = update_item(
                    store, workspace_id, item_id, {"notes": notes},
                    expected_version=versions[item_id], author=f"writer-{mine[0]}",
                )  # fmt: skip
                versions[item_id] = saved.version
                _say(f"ACK {item_id} {saved.version} {notes}")
            if adds and n % 5 == 0:
                title = f"added {n}"
                added = add_item(store, workspace_id, plan_id, title, author="writer")
                _say(f"NEW {added.id} {title}")

    ids = [item.id for item in items]
    workers = [
        threading.Thread(target=edit, args=(ids[k::threads], k == 0), daemon=True)
        for k in range(threads)
    ]
    for worker in workers:
        worker.start()
    _say("READY")
    for worker in workers:
        worker.join()


if __name__ == "__main__":
    main()
