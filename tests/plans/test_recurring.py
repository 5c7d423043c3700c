"""Recurring items, routines and `see:` steps in plans, occurrences with versions, the plan quota.

Storage tests run on SQLite and PostgreSQL (the `store` fixture).
"""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta

import pytest

from qunce.config import settings
from qunce.content.catalogue import Catalogue
from qunce.plans import (
    InvalidValue,
    NotFound,
    Plan,
    Store,
    Workspace,
    add_item,
    create_plan,
    delete_item,
    get_plan,
    import_plan,
    item_history,
    move_item,
    pending_updates,
    to_json,
    update_item,
)
from qunce.plans.errors import StaleOccurrence
from qunce.plans.occurrences import (
    all_occurrences,
    get_occurrence,
    get_occurrences,
    mark,
    occurrence_at,
    plan_stamp,
    update_occurrence,
)
from tests.plans.conftest import START

Team = tuple[Workspace, str]
MORNING = "FREQ=DAILY;BYHOUR=9;BYMINUTE=0"


def _rhythm_plan(store: Store, team: Team, catalogue: Catalogue, *ids: str, **kw: object) -> Plan:
    return create_plan(
        store, team[0].id, "Rhythm", list(ids), catalogue, start_date=START, author="Lin", **kw
    )  # type: ignore[arg-type]


def _by(plan: Plan, key: str) -> dict[str, object]:
    return {getattr(i, key): i for i in plan.items if getattr(i, key)}


# ---------------------------------------------------------------- building plans from content


def test_a_pointer_step_is_skipped_when_its_owner_is_in_the_plan(
    store: Store, team: Team, rhythm_catalogue: Catalogue
) -> None:
    plan = _rhythm_plan(store, team, rhythm_catalogue, "launch-rules", "welcome-flow")
    steps = [(i.playbook_id, i.step_id) for i in plan.items]
    assert ("welcome-flow", "seed-members") not in steps
    assert ("launch-rules", "recruit-seed-members") in steps
    assert ("welcome-flow", "welcome-message") in steps
    assert all(i.copied_from is None for i in plan.items)


def test_a_pointer_step_copies_its_owner_when_the_owner_is_not_in_the_plan(
    store: Store, team: Team, rhythm_catalogue: Catalogue
) -> None:
    plan = _rhythm_plan(store, team, rhythm_catalogue, "welcome-flow")
    copied = next(i for i in plan.items if i.step_id == "seed-members")
    assert copied.playbook_id == "welcome-flow"
    assert copied.copied_from == "launch-rules/recruit-seed-members"
    assert copied.title_en == "Recruit seed members"
    assert (copied.effort_days, copied.duration_days) == (2, 10)
    assert copied.target("en") == "60% speak within 48 hours"
    # Pulling updates later compares the copy with its owner: nothing to pull.
    assert pending_updates(plan, rhythm_catalogue) == []


def test_duration_and_target_come_from_the_steps(
    store: Store, team: Team, rhythm_catalogue: Catalogue
) -> None:
    plan = _rhythm_plan(store, team, rhythm_catalogue, "launch-rules")
    recruit = next(i for i in plan.items if i.step_id == "recruit-seed-members")
    pin = next(i for i in plan.items if i.step_id == "pin-the-rules")
    assert (recruit.duration_days, recruit.calendar_days, recruit.effort_days) == (10, 10, 2)
    assert recruit.target("zh") == "48 小时内六成发言"
    assert (pin.duration_days, pin.calendar_days) == (None, 0.5)


def test_routines_become_recurring_items_when_asked(
    store: Store, team: Team, rhythm_catalogue: Catalogue
) -> None:
    without = _rhythm_plan(store, team, rhythm_catalogue, "launch-rules")
    assert not any(i.recurring for i in without.items)
    plan = _rhythm_plan(store, team, rhythm_catalogue, "launch-rules", "welcome-flow",
                        routines=True)  # fmt: skip
    routines = {i.routine_id: i for i in plan.items if i.routine_id}
    assert set(routines) == {"morning-post", "friday-review", "monthly-thanks"}
    morning = routines["morning-post"]
    assert morning.rule == MORNING and morning.step_id is None and not morning.is_custom
    assert morning.detail("en") == "Good morning! Today…"
    assert morning.target("zh") == "早安帖下的回复数"
    assert morning.role == "operator" and morning.playbook_id == "launch-rules"
    # It keeps pin-the-rules going: recruit (10 days) then pin (half a day) end on 12 March.
    assert morning.repeat_from == date(2026, 3, 13)
    assert routines["friday-review"].repeat_from == START  # no step: from the start date
    assert routines["monthly-thanks"].repeat is not None
    assert not routines["monthly-thanks"].repeat.timed
    # Routines follow their playbook's steps; pulling updates leaves them alone.
    positions = [(i.playbook_id, i.routine_id is not None) for i in plan.items]
    assert positions.index(("launch-rules", True)) < positions.index(("welcome-flow", False))
    assert pending_updates(plan, rhythm_catalogue) == []


def test_routine_titles_come_from_the_playbook_and_routines_are_not_deleted(
    store: Store, team: Team, rhythm_catalogue: Catalogue
) -> None:
    plan = _rhythm_plan(store, team, rhythm_catalogue, "launch-rules", routines=True)
    morning = next(i for i in plan.items if i.routine_id == "morning-post")
    with pytest.raises(InvalidValue, match="come from the playbook"):
        update_item(store, team[0].id, morning.id, {"title": "x"}, expected_version=1)
    with pytest.raises(InvalidValue, match="cannot be deleted"):
        delete_item(store, team[0].id, morning.id, expected_version=1)
    changed = update_item(store, team[0].id, morning.id,
                          {"rule": "FREQ=DAILY;BYHOUR=8;BYMINUTE=30", "owner": "Wang"},
                          expected_version=1, author="Lin")  # fmt: skip
    assert changed.rule == "FREQ=DAILY;BYHOUR=8;BYMINUTE=30" and changed.version == 2
    assert changed.repeat_from == date(2026, 3, 13)  # kept


# ---------------------------------------------------------------- rules on items


def test_any_item_can_repeat_and_stop_repeating(store: Store, team: Team, plan: Plan) -> None:
    ws = team[0].id
    item = plan.items[0]
    saved = update_item(store, ws, item.id,
                        {"rule": "rrule:freq=weekly;byday=fr;until=20260430",
                         "repeat_from": date(2026, 3, 2)}, expected_version=1)  # fmt: skip
    assert saved.rule == "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260430T235959"
    assert saved.repeat is not None and saved.repeat.last() == datetime(2026, 4, 24)
    stopped = update_item(store, ws, item.id, {"rule": ""}, expected_version=2)
    assert stopped.rule is None and not stopped.recurring
    fields = [c.field for c in item_history(store, ws, item.id)]
    assert fields.count("rule") == 2 and "repeat_from" in fields


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=HOURLY", "FREQ must be one of"),
        ("FREQ=DAILY;COUNT=2;UNTIL=20260501", "not both"),
        ("FREQ=DAILY;UNTIL=20200101", "no occurrence"),
        ("FREQ=DAILY;UNTIL=20260501T000000Z", "local date"),
        ("FREQ=DAILY;BYSETPOS=1", "not supported"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(
    store: Store, team: Team, plan: Plan, rule: str, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        update_item(store, team[0].id, plan.items[0].id,
                    {"rule": rule, "repeat_from": START}, expected_version=1)  # fmt: skip
    assert get_plan(store, team[0].id, plan.id).items[0].version == 1


def test_add_a_recurring_custom_item(store: Store, team: Team, plan: Plan) -> None:
    item = add_item(store, team[0].id, plan.id, "Evening topic", owner="Wang",
                    rule="FREQ=DAILY;BYHOUR=20;BYMINUTE=0", repeat_from=START)  # fmt: skip
    assert item.recurring and item.is_custom and item.repeat_from == START
    assert item.repeat is not None
    assert item.repeat.on(START) == [datetime(2026, 3, 2, 20)]


# ---------------------------------------------------------------- occurrences


@pytest.fixture
def routine(store: Store, team: Team, plan: Plan) -> int:
    """A daily 09:00 custom item of Team A's plan, from the plan's start."""
    return add_item(store, team[0].id, plan.id, "Morning post", owner="Lin, Wang",
                    rule=MORNING, repeat_from=START).id  # fmt: skip


def test_ticking_one_occurrence_leaves_the_others_and_the_item(
    store: Store, team: Team, plan: Plan, routine: int
) -> None:
    ws = team[0].id
    monday = datetime(2026, 3, 2, 9)
    untouched = get_occurrence(store, ws, routine, monday)
    assert (untouched.status, untouched.version) == ("todo", 0)
    done = update_occurrence(store, ws, routine, monday, {"status": "done"},
                             expected_version=0, author="Lin")  # fmt: skip
    assert (done.status, done.version, done.updated_by) == ("done", 1, "Lin")
    noted = update_occurrence(store, ws, routine, monday, {"notes": "12 replies"},
                              expected_version=1)  # fmt: skip
    assert (noted.status, noted.notes, noted.version) == ("done", "12 replies", 2)
    update_occurrence(store, ws, routine, datetime(2026, 3, 4, 9), {"status": "skipped"},
                      expected_version=0)  # fmt: skip
    stored = get_occurrences(store, ws, plan.id, start=START, end=date(2026, 3, 8))
    assert [(o.occurs_at.day, o.status) for o in stored] == [(2, "done"), (4, "skipped")]
    assert get_occurrence(store, ws, routine, datetime(2026, 3, 3, 9)).version == 0
    item = get_plan(store, ws, plan.id).item(routine)
    assert item is not None and (item.status, item.version) == ("todo", 1)
    history = [(c.field, c.occurs_at) for c in item_history(store, ws, routine)]
    assert ("status", monday) in history and ("notes", monday) in history
    assert ("created", None) in history
    assert len(all_occurrences(store, ws, plan.id)) == 2


def test_a_stale_occurrence_save_is_refused_with_the_current_state(
    store: Store, team: Team, routine: int
) -> None:
    ws = team[0].id
    when = datetime(2026, 3, 3, 9)
    update_occurrence(store, ws, routine, when, {"status": "done"}, expected_version=0,
                      author="Wang")  # fmt: skip
    with pytest.raises(StaleOccurrence) as caught:
        update_occurrence(store, ws, routine, when, {"status": "skipped"}, expected_version=0,
                          author="Lin")  # fmt: skip
    assert caught.value.current.status == "done"
    assert caught.value.current.updated_by == "Wang"
    assert "changed by Wang" in str(caught.value)
    again = update_occurrence(store, ws, routine, when, {"status": "skipped"},
                              expected_version=caught.value.current.version)  # fmt: skip
    assert again.status == "skipped" and again.version == 2


def test_concurrent_first_ticks_save_exactly_once(store: Store, team: Team, routine: int) -> None:
    ws = team[0].id
    when = datetime(2026, 3, 5, 9)
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def tick(n: int) -> None:
        barrier.wait()
        try:
            update_occurrence(store, ws, routine, when, {"notes": f"writer {n}"},
                              expected_version=0, author=f"w{n}")  # fmt: skip
            outcomes.append("saved")
        except StaleOccurrence:
            outcomes.append("stale")

    threads = [threading.Thread(target=tick, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved"] + ["stale"] * 5
    assert get_occurrence(store, ws, routine, when).version == 1


def test_occurrences_must_be_on_the_rule(
    store: Store, team: Team, plan: Plan, routine: int
) -> None:
    ws = team[0].id
    with pytest.raises(InvalidValue, match="at 09:00"):
        update_occurrence(store, ws, routine, datetime(2026, 3, 3, 10), {"status": "done"},
                          expected_version=0)  # fmt: skip
    with pytest.raises(InvalidValue, match="does not repeat"):
        update_occurrence(store, ws, plan.items[0].id, datetime(2026, 3, 3, 9),
                          {"status": "done"}, expected_version=0)  # fmt: skip
    with pytest.raises(InvalidValue, match="status"):
        update_occurrence(store, ws, routine, datetime(2026, 3, 3, 9), {"status": "doing"},
                          expected_version=0)  # fmt: skip
    item = get_plan(store, ws, plan.id).item(routine)
    assert item is not None
    assert occurrence_at(item, date(2026, 3, 3)) == datetime(2026, 3, 3, 9)
    with pytest.raises(InvalidValue, match="does not happen"):
        occurrence_at(item, date(2026, 3, 1))


def test_another_workspace_cannot_see_or_tick_occurrences(
    store: Store, team: Team, other_team: Team, plan: Plan, routine: int
) -> None:
    when = datetime(2026, 3, 2, 9)
    with pytest.raises(NotFound):
        update_occurrence(store, other_team[0].id, routine, when, {"status": "done"},
                          expected_version=0)  # fmt: skip
    with pytest.raises(NotFound):
        get_occurrences(store, other_team[0].id, plan.id, start=START, end=START)


def test_one_tap_mark_for_items_and_occurrences(
    store: Store, team: Team, plan: Plan, routine: int
) -> None:
    ws = team[0].id
    current = get_plan(store, ws, plan.id)
    item = mark(store, ws, current.items[0], "done", author="Lin")
    assert item.status == "done"
    morning = current.item(routine)
    assert morning is not None
    occurrence = get_occurrence(store, ws, routine, datetime(2026, 3, 2, 9))
    ticked = mark(store, ws, morning, "done", occurrence=occurrence, author="Lin")
    assert ticked.status == "done" and ticked.version == 1


def test_the_plan_stamp_moves_with_every_change(
    store: Store, team: Team, plan: Plan, routine: int
) -> None:
    ws = team[0].id
    first = plan_stamp(store, ws, plan.id)
    assert plan_stamp(store, ws, plan.id) == first
    update_occurrence(store, ws, routine, datetime(2026, 3, 2, 9), {"status": "done"},
                      expected_version=0)  # fmt: skip
    second = plan_stamp(store, ws, plan.id)
    assert second != first
    update_item(store, ws, plan.items[1].id, {"owner": "Wang"}, expected_version=1)
    third = plan_stamp(store, ws, plan.id)
    assert third != second
    move_item(store, ws, plan.items[1].id, 1)  # order is in no version, but in the stamp
    assert plan_stamp(store, ws, plan.id) != third


def test_json_round_trip_keeps_rules_occurrences_duration_and_target(
    store: Store, team: Team, other_team: Team, rhythm_catalogue: Catalogue
) -> None:
    ws = team[0].id
    plan = _rhythm_plan(store, team, rhythm_catalogue, "welcome-flow", "launch-rules",
                        routines=True)  # fmt: skip
    morning = next(i for i in plan.items if i.routine_id == "morning-post")
    when = datetime(2026, 3, 13, 9)
    update_occurrence(store, ws, morning.id, when, {"status": "done", "notes": "ok"},
                      expected_version=0)  # fmt: skip
    data = to_json(plan, all_occurrences(store, ws, plan.id))
    assert json.loads(data)["version"] == 2
    copy = import_plan(store, other_team[0].id, data)
    twin = next(i for i in copy.items if i.routine_id == "morning-post")
    assert (twin.rule, twin.repeat_from, twin.target_en) == (
        morning.rule, morning.repeat_from, morning.target_en,
    )  # fmt: skip
    recruit = next(i for i in copy.items if i.step_id == "recruit-seed-members")
    assert recruit.duration_days == 10
    touched = get_occurrences(store, other_team[0].id, copy.id, start=START,
                              end=START + timedelta(days=30))  # fmt: skip
    assert [(o.occurs_at, o.status, o.notes) for o in touched] == [(when, "done", "ok")]


# ---------------------------------------------------------------- quota


def test_the_plan_quota_is_enforced_on_create_and_import(
    store: Store, team: Team, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUNCE_MAX_PLANS_PER_WORKSPACE", "2")
    settings.cache_clear()
    try:
        ws = team[0].id
        first = create_plan(store, ws, "A", ["launch-basics"], catalogue, start_date=START)
        create_plan(store, ws, "B", ["launch-basics"], catalogue, start_date=START)
        with pytest.raises(InvalidValue, match=r"QUNCE_MAX_PLANS_PER_WORKSPACE = 2"):
            create_plan(store, ws, "C", ["launch-basics"], catalogue, start_date=START)
        with pytest.raises(InvalidValue, match="already holds 2 plans"):
            import_plan(store, ws, to_json(first))
        assert len([p for p in (first,) if p]) == 1
    finally:
        monkeypatch.delenv("QUNCE_MAX_PLANS_PER_WORKSPACE")
        settings.cache_clear()


class _Bumped:
    """The rhythm catalogue with every playbook at a new version (its content unchanged)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.items = catalogue.items

    def version(self, item_id: str) -> str:
        return "v2"


@pytest.mark.parametrize("owner_in_plan", [True, False])
def test_pulling_updates_keeps_pointer_steps_copied_once(
    store: Store, team: Team, rhythm_catalogue: Catalogue, owner_in_plan: bool
) -> None:
    from qunce.plans import apply_update

    ids = ["welcome-flow", "launch-rules"] if owner_in_plan else ["welcome-flow"]
    plan = _rhythm_plan(store, team, rhythm_catalogue, *ids)
    bumped = _Bumped(rhythm_catalogue)
    updates = {u.playbook_id: u for u in pending_updates(plan, bumped)}
    assert not updates["welcome-flow"].touches_steps  # no pointer "added", no copy "changed"
    pulled = apply_update(store, team[0].id, plan.id, "welcome-flow", bumped)
    assert [(i.step_id, i.copied_from, i.title_en, i.version) for i in pulled.items] == [
        (i.step_id, i.copied_from, i.title_en, i.version) for i in plan.items
    ]


def test_exports_carry_duration_target_and_repeats(
    store: Store, team: Team, rhythm_catalogue: Catalogue
) -> None:
    from qunce.plans import export_plan

    plan = _rhythm_plan(store, team, rhythm_catalogue, "launch-rules", routines=True)
    import csv
    import io

    text = export_plan(plan, "csv", lang="en", today=START).decode("utf-8-sig")
    columns, *rows = list(csv.reader(io.StringIO(text)))
    assert {"Effort (days)", "Duration (days)", "Repeats", "Target"} <= set(columns)
    recruit = next(r for r in rows if any("Recruit seed members" in c for c in r))
    assert recruit[columns.index("Duration (days)")] == "10"
    assert recruit[columns.index("Effort (days)")] == "2"
    assert recruit[columns.index("Target")] == "60% speak within 48 hours"
    morning = next(r for r in rows if any("Morning post" in c for c in r))
    assert morning[columns.index("Repeats")] == "Daily at 09:00"
    assert morning[columns.index("Effort (days)")] == ""  # routines have no effort
    markdown = export_plan(plan, "md", lang="zh", today=START).decode()
    assert "重复：每天 09:00" in markdown and "目标: 48 小时内六成发言" in markdown
