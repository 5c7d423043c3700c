"""The Launch plans page for daily use (AppTest): one-tap done in the list and on occurrences,
refused taps, who is editing, forms that survive a teammate's save, Today & this week per
person, the calendar's week and month, routines in the new-plan form, the .ics download.

"Today" is pinned (the page asks `local_today()`, which these tests replace) so that due dates
and occurrences fall on known days: Friday 13 March 2026.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import qunce.ui.content
import qunce.ui.plans.common
from qunce.config import settings
from qunce.content.catalogue import Catalogue
from qunce.plans import (
    Plan,
    Store,
    Workspace,
    create_plan,
    editing,
    get_item,
    get_occurrence,
    get_plan,
    touch_presence,
    update_item,
    update_occurrence,
)
from tests.plans.conftest import START

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "views" / "plans.py")
TODAY = date(2026, 3, 13)  # a Friday: the morning post at 09:00 and the Friday review at 20:00
Team = tuple[Workspace, str]


@pytest.fixture
def page(
    database_url: str, rhythm_catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppTest]:
    """The plans page on this test's database and the rhythm catalogue, today pinned."""
    monkeypatch.setenv("QUNCE_DATABASE_URL", database_url)
    monkeypatch.setenv("QUNCE_BASE_URL", "https://qunce.example.org")
    settings.cache_clear()
    monkeypatch.setattr(qunce.ui.content, "catalogue", lambda: rhythm_catalogue)
    monkeypatch.setattr(qunce.ui.plans.common, "local_today", lambda: TODAY)
    yield AppTest.from_file(PAGE, default_timeout=60)


@pytest.fixture
def rhythm(store: Store, team: Team, rhythm_catalogue: Catalogue) -> Plan:
    """A plan with routines: Lin's step overdue since 10 March, Wang's due today, one undated."""
    ws = team[0].id
    made = create_plan(store, ws, "Rhythm", ["launch-rules", "welcome-flow"], rhythm_catalogue,
                       start_date=START, author="Lin", routines=True)  # fmt: skip
    recruit, _pin, _morning, _friday, welcome, _thanks = made.items
    update_item(store, ws, recruit.id, {"owner": "Lin", "due": date(2026, 3, 10)},
                expected_version=1, author="Lin")  # fmt: skip
    update_item(store, ws, welcome.id, {"owner": "Wang", "due": TODAY}, expected_version=1,
                author="Lin")  # fmt: skip
    return get_plan(store, ws, made.id)


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "success", "error", "warning", "info", "caption", "subheader")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [e.label for e in at.expander] + [e.label for e in at.checkbox]
    return "\n".join(str(p) for p in parts)


def _joined(at: AppTest, code: str, name: str = "Lin", lang: str = "en") -> AppTest:
    at.query_params["lang"] = lang
    at.query_params["join"] = code
    at.session_state["plans.author"] = name
    return _ok(at.run())


def _open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["plans.tab"] = next(t.label for t in at.tabs if label in t.label)
    return _ok(at.run())


def _item(plan: Plan, title: str) -> int:
    return next(i.id for i in plan.items if i.title_en == title)


def _has(widgets: object, key: str) -> bool:
    return any(getattr(w, "key", None) == key for w in widgets)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the checklist


def test_an_item_is_ticked_done_in_one_tap(page: AppTest, team: Team, rhythm: Plan, store: Store) -> None:
    _joined(page, team[1])
    pin = _item(rhythm, "Pin the rules")
    page.checkbox(key=f"plans.check.tick.{pin}.v1").check()
    _ok(page.run())
    saved = get_item(store, team[0].id, pin)
    assert (saved.status, saved.version, saved.updated_by) == ("done", 2, "Lin")
    assert page.checkbox(key=f"plans.check.tick.{pin}.v2").value is True
    page.checkbox(key=f"plans.check.tick.{pin}.v2").uncheck()
    _ok(page.run())
    assert get_item(store, team[0].id, pin).status == "todo"


def test_a_stale_tap_says_who_under_the_box_and_nothing_is_lost(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    _joined(page, team[1])
    pin = _item(rhythm, "Pin the rules")
    update_item(store, team[0].id, pin, {"status": "doing"}, expected_version=1, author="Bo")
    page.checkbox(key=f"plans.check.tick.{pin}.v1").check()  # the box drawn at version 1
    _ok(page.run())
    assert get_item(store, team[0].id, pin).status == "doing"  # refused, not written
    texts = _texts(page)
    assert "Bo changed “Pin the rules” first" in texts
    assert "it is Doing now. Your change (Done) was not saved." in texts
    assert not _has(page.text_area, f"plans.item.{pin}.v2.notes")  # no form unfolds for a tap
    page.button(key=f"plans.tap.apply.{pin}").click()
    _ok(page.run())
    assert get_item(store, team[0].id, pin).status == "done"
    assert "was not saved" not in _texts(page)


def test_keeping_theirs_after_a_stale_tap_changes_nothing(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    _joined(page, team[1])
    pin = _item(rhythm, "Pin the rules")
    update_item(store, team[0].id, pin, {"status": "skipped"}, expected_version=1, author="Bo")
    page.checkbox(key=f"plans.check.tick.{pin}.v1").check()
    _ok(page.run())
    page.button(key=f"plans.tap.keep.{pin}").click()
    _ok(page.run())
    assert get_item(store, team[0].id, pin).status == "skipped"
    assert "was not saved" not in _texts(page)


def test_a_routine_in_the_list_ticks_todays_occurrence_not_the_routine(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    _joined(page, team[1])
    morning = _item(rhythm, "Morning post")
    page.checkbox(key=f"plans.check.tick.{morning}@2026-03-13T09:00.v0").check()
    _ok(page.run())
    ticked = get_occurrence(store, team[0].id, morning, datetime(2026, 3, 13, 9))
    assert (ticked.status, ticked.version, ticked.updated_by) == ("done", 1, "Lin")
    assert get_item(store, team[0].id, morning).status == "todo"  # the routine goes on
    assert page.checkbox(key=f"plans.check.tick.{morning}@2026-03-13T09:00.v1").value is True
    assert any("Morning post" in e.label and "Daily" in e.label for e in page.expander)


def test_each_occurrence_of_a_routine_is_ticked_or_skipped_in_its_form(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    _joined(page, team[1])
    morning = _item(rhythm, "Morning post")
    page.session_state[f"plans.open.{morning}"] = True
    _ok(page.run())
    texts = _texts(page)
    assert "Repeats Daily at 09\\:00, from 2026-03-13; next " in texts  # which: the clock says
    assert "**Target:** Replies under the morning post" in texts
    page.button(key=f"plans.check.week.skip.{morning}@2026-03-14T09:00.v0").click()
    _ok(page.run())
    skipped = get_occurrence(store, team[0].id, morning, datetime(2026, 3, 14, 9))
    assert skipped.status == "skipped"


def test_a_stale_occurrence_tap_says_who_and_can_be_applied(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    _joined(page, team[1])
    morning = _item(rhythm, "Morning post")
    update_occurrence(store, team[0].id, morning, datetime(2026, 3, 13, 9), {"status": "skipped"},
                      expected_version=0, author="Bo")  # fmt: skip
    page.checkbox(key=f"plans.check.tick.{morning}@2026-03-13T09:00.v0").check()
    _ok(page.run())
    texts = _texts(page)
    assert "Bo changed “Morning post (Fri 3/13 09:00)” first" in texts
    assert "it is Skipped now. Your change (Done) was not saved." in texts
    assert get_occurrence(store, team[0].id, morning, datetime(2026, 3, 13, 9)).status == "skipped"
    page.button(key=f"plans.tap.apply.{morning}@2026-03-13T09:00").click()
    _ok(page.run())
    assert get_occurrence(store, team[0].id, morning, datetime(2026, 3, 13, 9)).status == "done"
    assert "was not saved" not in _texts(page)


def test_a_stale_occurrence_tap_shows_once_when_its_item_is_unfolded(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    _joined(page, team[1])
    morning = _item(rhythm, "Morning post")
    page.session_state[f"plans.open.{morning}"] = True
    _ok(page.run())
    update_occurrence(store, team[0].id, morning, datetime(2026, 3, 13, 9), {"status": "done"},
                      expected_version=0, author="Bo")  # fmt: skip
    page.checkbox(key=f"plans.check.tick.{morning}@2026-03-13T09:00.v0").check()
    _ok(page.run())  # the row and the unfolded list both hold it: drawn once, no duplicate keys
    assert sum("Bo changed “Morning post" in w.value for w in page.warning) == 1


def test_others_see_who_is_editing_an_item(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    ws = team[0].id
    pin = _item(rhythm, "Pin the rules")
    touch_presence(store, ws, pin, session="wang-tab", person="**Wang**")
    _joined(page, team[1])
    label = next(e.label for e in page.expander if "Pin the rules" in e.label)
    assert "\\*\\*Wang\\*\\* is editing" in label  # escaped: no bold, no link
    page.session_state[f"plans.open.{pin}"] = True
    _ok(page.run())
    assert "\\*\\*Wang\\*\\* is editing: talk first, or save soon." in _texts(page)
    # and this session's open form is a note for the others
    assert {(n.item_id, n.person) for n in editing(store, ws, rhythm.id)} == {
        (pin, "**Wang**"), (pin, "Lin"),
    }  # fmt: skip


def test_an_open_form_survives_a_teammates_save_then_meets_the_conflict_flow(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    ws = team[0].id
    pin = _item(rhythm, "Pin the rules")
    _joined(page, team[1])
    page.session_state[f"plans.open.{pin}"] = True
    _ok(page.run())
    update_item(store, ws, pin, {"owner": "Bo"}, expected_version=1, author="Bo")
    _ok(page.run())  # the refresh
    # the form opened at version 1 is still drawn (its keys, so the browser keeps the typing)
    assert _has(page.text_area, f"plans.item.{pin}.v1.notes")
    assert not _has(page.text_area, f"plans.item.{pin}.v2.notes")
    assert "Bo saved a newer version since you opened this item" in _texts(page)
    assert any("Pin the rules" in e.label and "Bo" in e.label for e in page.expander)
    page.text_area(key=f"plans.item.{pin}.v1.notes").input("print the rules card")
    page.button(key=f"FormSubmitter:plans.item.{pin}.v1-Save").click()
    _ok(page.run())
    assert "Bo saved this item first" in _texts(page)
    assert page.text_input(key=f"plans.item.{pin}.v2.owner").value == "Bo"
    page.button(key=f"plans.reapply.{pin}").click()
    _ok(page.run())
    final = get_item(store, ws, pin)
    assert (final.owner, final.notes, final.version) == ("Bo", "print the rules card", 3)


def test_dropping_what_i_typed_shows_the_newest_version(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    pin = _item(rhythm, "Pin the rules")
    _joined(page, team[1])
    page.session_state[f"plans.open.{pin}"] = True
    _ok(page.run())
    update_item(store, team[0].id, pin, {"owner": "Bo"}, expected_version=1, author="Bo")
    _ok(page.run())
    page.button(key=f"plans.newest.{pin}").click()
    _ok(page.run())
    assert page.text_input(key=f"plans.item.{pin}.v2.owner").value == "Bo"
    assert "since you opened this item" not in _texts(page)


def test_overdue_comes_from_due_dates_only(page: AppTest, team: Team, rhythm: Plan) -> None:
    _joined(page, team[1])
    overdue = [e.label for e in page.expander if "overdue" in e.label]
    assert len(overdue) == 1 and "Recruit seed members" in overdue[0]
    page.radio(key="plans.filter").set_value("overdue")
    _ok(page.run())
    assert "An item without a due date is never overdue" in _texts(page)


def test_the_plan_is_read_again_only_when_its_stamp_moved(
    page: AppTest, team: Team, rhythm: Plan, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qunce.ui.plans.snapshot as snapshot

    reads: list[int] = []
    real = snapshot.get_plan

    def counting(*args: object, **kwargs: object) -> Plan:
        reads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(snapshot, "get_plan", counting)
    _joined(page, team[1])
    first = len(reads)
    _ok(page.run())
    _ok(page.run())  # two refreshes of a quiet plan: its stamp only
    assert len(reads) == first
    pin = _item(rhythm, "Pin the rules")
    update_item(store, team[0].id, pin, {"owner": "Bo"}, expected_version=1, author="Bo")
    _ok(page.run())
    assert len(reads) == first + 1
    assert any("Pin the rules" in e.label and "Bo" in e.label for e in page.expander)


# ---------------------------------------------------------------- Today & this week


def test_today_lists_due_and_overdue_for_everyone_or_mine(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    _joined(page, team[1])
    _open_tab(page, "Today")
    texts = _texts(page)
    assert "Today · Friday 13 March 2026" in texts
    assert "Overdue (2)" in texts and "Due today (3)" in texts
    labels = [c.label for c in page.checkbox]
    assert any("Recruit seed members" in lb and "due 2026-03-10" in lb for lb in labels)
    assert any(lb.startswith("20:00 · Friday review") and "Fri 3/6" in lb for lb in labels)
    assert any(lb.startswith("09:00 · Morning post") for lb in labels)
    assert any(lb.startswith("20:00 · Friday review") for lb in labels)
    assert "An item without a due date is never overdue" in texts
    page.selectbox(key="plans.agenda.person").set_value("\x00me")
    _ok(page.run())
    labels = [c.label for c in page.checkbox]
    assert len(labels) == 1 and "Recruit seed members" in labels[0]  # only Lin's
    recruit = _item(rhythm, "Recruit seed members")
    page.checkbox(key=f"plans.today.late.tick.{recruit}.v2").check()
    _ok(page.run())
    assert get_item(store, team[0].id, recruit).status == "done"
    assert "Nothing due or overdue today (Lin)." in _texts(page)


def test_this_week_shows_each_day_and_skips_one_occurrence(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    _joined(page, team[1])
    _open_tab(page, "Today")
    page.segmented_control(key="plans.agenda.mode").set_value("week")
    _ok(page.run())
    texts = _texts(page)
    assert "This week · 9 Mar – 15 Mar 2026" in texts
    assert "Monday 9 March 2026" in texts and "Sunday 15 March 2026" in texts
    morning = _item(rhythm, "Morning post")
    page.button(key=f"plans.week.skip.{morning}@2026-03-15T09:00.v0").click()
    _ok(page.run())
    assert get_occurrence(store, team[0].id, morning, datetime(2026, 3, 15, 9)).status == "skipped"
    page.button(key=f"plans.week.restore.{morning}@2026-03-15T09:00.v1").click()
    _ok(page.run())
    assert get_occurrence(store, team[0].id, morning, datetime(2026, 3, 15, 9)).status == "todo"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_today_and_the_calendar_speak_both_languages(
    page: AppTest, team: Team, rhythm: Plan, lang: str
) -> None:
    _joined(page, team[1], lang=lang)
    _open_tab(page, "今天" if lang == "zh" else "Today")
    assert ("今天 · 2026年3月13日 周五" if lang == "zh" else "Today · Friday 13 March 2026") in _texts(page)
    _open_tab(page, "日历" if lang == "zh" else "Calendar")
    assert ("2026年3月9日 – 3月15日" if lang == "zh" else "9 Mar – 15 Mar 2026") in _texts(page)


# ---------------------------------------------------------------- the calendar


def test_the_calendar_week_ticks_and_its_day_skips(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    ws = team[0].id
    _joined(page, team[1])
    _open_tab(page, "Calendar")
    morning = _item(rhythm, "Morning post")
    assert "☐ **09:00** Morning post" in _texts(page)  # the week grid names each entry
    assert "Friday 13 March 2026" in _texts(page)  # and lists today's under it
    page.checkbox(key=f"plans.cal.day.tick.{morning}@2026-03-13T09:00.v0").check()
    _ok(page.run())
    assert get_occurrence(store, ws, morning, datetime(2026, 3, 13, 9)).status == "done"
    assert "☑ **09:00** Morning post" in _texts(page)
    page.button(key="plans.cal.pick.2026-03-14").click()
    _ok(page.run())
    assert "Saturday 14 March 2026" in _texts(page)
    page.button(key=f"plans.cal.day.skip.{morning}@2026-03-14T09:00.v0").click()
    _ok(page.run())
    assert get_occurrence(store, ws, morning, datetime(2026, 3, 14, 9)).status == "skipped"
    page.button(key="plans.cal.forward").click()
    _ok(page.run())
    assert "16 Mar – 22 Mar 2026" in _texts(page)


def test_the_calendar_month_names_each_days_entries(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    _joined(page, team[1])
    _open_tab(page, "Calendar")
    page.segmented_control(key="plans.cal.mode").set_value("month")
    _ok(page.run())
    texts = _texts(page)
    assert "March 2026" in texts
    # 13 March: the morning post and the Friday review to do; 6 March: last Friday's review late
    assert ":small[☐ 2]" in texts and ":red[:small[☐ 1]]" in texts
    page.button(key="plans.cal.forward").click()
    _ok(page.run())
    assert "April 2026" in _texts(page)
    texts = _texts(page)
    assert "Wednesday 1 April 2026" in texts  # the day listed under the grid follows
    assert any(c.label.startswith("Monthly thanks") for c in page.checkbox)  # all day: no time


# ---------------------------------------------------------------- new plans and exports


def test_a_new_plan_can_include_the_routines(
    page: AppTest, team: Team, store: Store
) -> None:
    _joined(page, team[1])
    page.text_input(key="plans.new.name").input("Run the group")
    page.multiselect(key="plans.new.playbooks").select("launch-rules")
    page.checkbox(key="plans.new.routines").check()
    page.button(key="FormSubmitter:plans.new_form-Create the plan").click()
    _ok(page.run())
    assert "Created the plan “Run the group” with 4 items, 2 of them recurring." in _texts(page)
    plan_id = page.selectbox(key="plans.plan").value
    assert sum(1 for i in get_plan(store, team[0].id, plan_id).items if i.recurring) == 2


def test_the_calendar_file_is_offered_with_its_time_zone(
    page: AppTest, team: Team, rhythm: Plan, store: Store
) -> None:
    from icalendar import Calendar

    from qunce.ui.plans.exports import _export_file

    _joined(page, team[1])
    _open_tab(page, "Export")
    assert "The calendar file is in Asia/Shanghai (QUNCE_TIMEZONE)" in _texts(page)
    morning = _item(rhythm, "Morning post")
    update_occurrence(store, team[0].id, morning, datetime(2026, 3, 14, 9), {"status": "skipped"},
                      expected_version=0)  # fmt: skip
    calendar = Calendar.from_ical(_export_file(store, team[0].id, rhythm.id, "ics", "en"))
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert "FREQ=DAILY" in events["Morning post"]["RRULE"].to_ical().decode()
    assert "EXDATE" in events["Morning post"]  # the skipped occurrence, read fresh at click time
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Shanghai"


def test_big_plans_refresh_half_as_often() -> None:
    from qunce.ui.plans.live import BIG_PLAN_ITEMS, live_seconds

    assert live_seconds(BIG_PLAN_ITEMS) == 5.0
    assert live_seconds(BIG_PLAN_ITEMS + 1) == 10.0
