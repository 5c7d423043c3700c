"""The writer gate: a bounded, first-come-first-served, re-entrant admission of write transactions."""

from __future__ import annotations

import threading
import time

import pytest

from qunce.db.store import FifoGate, Store


def _wait_until(condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.001)


def test_waiting_threads_come_in_in_the_order_they_arrived() -> None:
    gate = FifoGate(1)
    order: list[int] = []
    threads = []
    with gate:
        for number in range(6):

            def enter(number: int = number) -> None:
                with gate:
                    order.append(number)

            thread = threading.Thread(target=enter)
            thread.start()
            threads.append(thread)
            _wait_until(lambda number=number: gate.waiting == number + 1)
    for thread in threads:
        thread.join(5)
    assert order == list(range(6))


@pytest.mark.parametrize("permits", [1, 3])
def test_no_more_than_the_permits_are_inside_at_once(permits: int) -> None:
    gate = FifoGate(permits)
    inside = 0
    most = 0
    count = threading.Lock()
    start = threading.Barrier(10)

    def work() -> None:
        nonlocal inside, most
        start.wait()
        for _ in range(5):
            with gate:
                with count:
                    inside += 1
                    most = max(most, inside)
                time.sleep(0.005)
                with count:
                    inside -= 1

    threads = [threading.Thread(target=work) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most == permits
    assert gate.waiting == 0


def test_a_thread_inside_may_enter_again() -> None:
    gate = FifoGate(1)
    done = threading.Event()

    def nested() -> None:
        with gate, gate, gate:
            pass
        with gate:  # and the gate is free again afterwards
            done.set()

    thread = threading.Thread(target=nested)
    thread.start()
    thread.join(5)
    assert done.is_set()


def test_write_sessions_of_one_sqlite_file_share_one_gate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qunce.plans import open_store

    url = f"sqlite:///{tmp_path}/plans.db"
    first, second = open_store(url), open_store(url)
    try:
        assert isinstance(first.writer, FifoGate)
        assert first.writer is second.writer
        entered = threading.Event()

        def write_elsewhere() -> None:
            with second.session(write=True):
                entered.set()

        with first.session(write=True):
            thread = threading.Thread(target=write_elsewhere)
            thread.start()
            _wait_until(lambda: first.writer.waiting == 1)  # type: ignore[attr-defined]
            assert not entered.is_set()
        thread.join(5)
        assert entered.is_set()
    finally:
        first.dispose()
        second.dispose()


def test_readers_do_not_wait_for_writers(store: Store) -> None:
    with store.session(write=True):
        done = threading.Event()

        def read() -> None:
            with store.session():
                done.set()

        thread = threading.Thread(target=read)
        thread.start()
        thread.join(5)
        assert done.is_set()
