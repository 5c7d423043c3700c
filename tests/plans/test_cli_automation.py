"""CLI parity for automation: plan create, show, agenda, item set (versioned), occurrences, ics."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from icalendar import Calendar

from qunce.plans import Plan, Store, Workspace, add_item, get_item, get_plan, list_plans
from qunce.plans.occurrences import get_occurrences
from tests.plans.conftest import START
from tests.plans.content import load

Team = tuple[Workspace, str]


@pytest.fixture
def content(content_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`qunce plan create` reads the test playbooks."""
    monkeypatch.setattr("qunce.content.catalogue.load_catalogue", lambda: load(content_dir))


def test_plan_create_from_playbooks(run, team: Team, store: Store, content: None) -> None:  # type: ignore[no-untyped-def]
    result = run("plan", "create", "-w", team[1], "--from", "launch-basics", "--from",
                 "group-growth", "--name", "Spring launch", "--start", "2026-03-02")  # fmt: skip
    assert re.search(r"Created plan \d+ 'Spring launch' from 2026-03-02: 5 items", result.stdout)
    assert [p.name for p in list_plans(store, team[0].id)] == ["Spring launch"]
    bad = run("plan", "create", "-w", team[1], "--from", "nope", "--name", "X", code=1)
    assert "no playbook 'nope'" in bad.stderr
    date_error = run("plan", "create", "-w", team[1], "--from", "launch-basics", "--name", "X",
                     "--start", "March", code=1)  # fmt: skip
    assert "is not a date" in date_error.stderr


def test_item_set_is_versioned_and_refuses_a_stale_edit(  # type: ignore[no-untyped-def]
    run,
    team: Team,
    plan: Plan,
    store: Store,
) -> None:
    item = plan.items[0]
    shown = run("plan", "show", "-w", team[1], "-p", str(plan.id), "--lang", "en")
    assert re.search(rf"^\s*{item.id}\s+v1\s+To do", shown.stdout, re.M)
    saved = run("plan", "item", "set", str(item.id), "-w", team[1], "--status", "doing",
                "--owner", "Lin", "--due", "2026-03-20", "--notes", "call Wang")  # fmt: skip
    assert f"Saved item {item.id} (version 2)" in saved.stdout
    now = get_item(store, team[0].id, item.id)
    assert (now.status, now.owner, now.due.isoformat() if now.due else None, now.notes) == (
        "doing", "Lin", "2026-03-20", "call Wang",
    )  # fmt: skip
    assert now.updated_by == "qunce plan item set"
    stale = run("plan", "item", "set", str(item.id), "-w", team[1], "--status", "done",
                "--version", "1", code=3)  # fmt: skip
    assert "not saved" in stale.stderr and "--version 2" in stale.stderr
    assert get_item(store, team[0].id, item.id).status == "doing"
    cleared = run("plan", "item", "set", str(item.id), "-w", team[1], "--due", "", "--version", "2")
    assert "version 3" in cleared.stdout and get_item(store, team[0].id, item.id).due is None
    assert (
        "nothing to change"
        in run("plan", "item", "set", str(item.id), "-w", team[1], code=1).stderr
    )
    bad = run("plan", "item", "set", str(item.id), "-w", team[1], "--status", "finished", code=1)
    assert "use one of todo, doing, done, skipped" in bad.stderr


def test_repeat_tick_skip_and_agenda(run, team: Team, plan: Plan, store: Store) -> None:  # type: ignore[no-untyped-def]
    item = plan.items[1]
    run("plan", "item", "set", str(item.id), "-w", team[1], "--repeat",
        "FREQ=DAILY;BYHOUR=9;BYMINUTE=0", "--repeat-from", "2026-03-02")  # fmt: skip
    ticked = run("plan", "occurrence", "tick", "-w", team[1], str(item.id), "2026-03-03")
    assert "at 2026-03-03 09:00: done (version 1)" in ticked.stdout
    run("plan", "occurrence", "skip", "-w", team[1], str(item.id), "2026-03-04T09:00",
        "--notes", "holiday")  # fmt: skip
    stale = run("plan", "occurrence", "set", "-w", team[1], str(item.id), "2026-03-03",
                "--status", "todo", "--version", "0", code=3)  # fmt: skip
    assert "changed by qunce plan occurrence" in stale.stderr
    off = run("plan", "occurrence", "tick", "-w", team[1], str(item.id), "2026-03-03T10:00", code=1)
    assert "no occurrence at 2026-03-03 10:00" in off.stderr
    touched = get_occurrences(store, team[0].id, plan.id, start=START, end=START.replace(day=8))
    assert [(o.occurs_at.day, o.status, o.notes) for o in touched] == [
        (3, "done", ""), (4, "skipped", "holiday"),
    ]  # fmt: skip
    agenda = run("plan", "agenda", "-w", team[1], "-p", str(plan.id), "--date", "2026-03-05",
                 "--lang", "en")  # fmt: skip
    assert "2026-03-05: 1 due, 1 overdue" in agenda.stdout  # 2 March missed; 3 and 4 handled
    assert f"{item.id}@2026-03-05T09:00" in agenda.stdout
    week = run("plan", "agenda", "-w", team[1], "-p", str(plan.id), "--week", "--date",
               "2026-03-05", "--lang", "en")  # fmt: skip
    assert week.stdout.count(f"{item.id}@2026-03-0") == 7


def test_export_ics_parses_back(  # type: ignore[no-untyped-def]
    run,
    team: Team,
    plan: Plan,
    store: Store,
    tmp_path: Path,
) -> None:
    add_item(store, team[0].id, plan.id, "Friday review", rule="FREQ=WEEKLY;BYDAY=FR;BYHOUR=20",
             repeat_from=START)  # fmt: skip
    out = tmp_path / "plan.ics"
    run("plan", "export", "-w", team[1], "-p", str(plan.id), "-f", "ics", "-o", str(out),
        "--tz", "Asia/Shanghai")  # fmt: skip
    calendar = Calendar.from_ical(out.read_bytes())
    rules = [e["RRULE"].to_ical() for e in calendar.walk("VEVENT") if "RRULE" in e]
    assert rules == [b"FREQ=WEEKLY;BYDAY=FR"]
    assert calendar.walk("VTIMEZONE")
    bad = run("plan", "export", "-w", team[1], "-p", str(plan.id), "-f", "ics", "--tz", "Mars/Base",
              code=1)  # fmt: skip
    assert "not an IANA time zone" in bad.stderr
    assert len(get_plan(store, team[0].id, plan.id).items) == 6
