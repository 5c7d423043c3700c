"""The workshop page in Streamlit's AppTest: builder, facilitator desk, presenter, screen, team."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from qunce.content.catalogue import Catalogue
from qunce.db.store import Store, open_store
from qunce.plans.repository import get_plan
from qunce.workshop.agenda import Agenda
from qunce.workshop.repository import (
    create_workshop,
    open_workshop,
    screen_join_code,
    team_join_code,
)
from tests.workshop.conftest import START

ROOT = Path(__file__).resolve().parents[2]
CONTROL_PREFIXES = (
    "workshop.host.",
    "workshop.present.",
    "workshop.teams.",
    "workshop.agenda.",
    "workshop.export.",
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An app environment with its own SQLite database; yields the database URL."""
    url = f"sqlite:///{tmp_path / 'qunce.db'}"
    monkeypatch.setenv("QUNCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("QUNCE_DATABASE_URL", url)
    yield url


@pytest.fixture
def made(env: str, agenda: Agenda, catalogue: Catalogue) -> Iterator[tuple[Store, str, list[str]]]:
    """A saved workshop with two teams: (store, facilitator code, team codes)."""
    store = open_store(env)
    workshop, host = create_workshop(store, agenda, catalogue, ["红队", "Blue"], start_date=START)
    try:
        yield store, host, [team_join_code(host, t) for t in workshop.teams]
    finally:
        store.dispose()


def _page(lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("views/workshop.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _widget_keys(at: AppTest) -> list[str]:
    keys = []
    for kind in (
        "button",
        "checkbox",
        "toggle",
        "selectbox",
        "text_input",
        "number_input",
        "multiselect",
        "segmented_control",
        "download_button",
    ):
        for widget in at.get(kind):
            key = getattr(widget, "key", None)
            if key:
                keys.append(str(key))
    return keys


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_builder_creates_a_workshop_and_opens_the_desk(
    env: str, lang: str, catalogue: Catalogue
) -> None:
    at = _page(lang)
    at.text_input(key="workshop.new.title").input("Launch day").run()
    at.multiselect(key="workshop.new.items").set_value(["launch-rules", "xiaomi-fans"]).run()
    at.number_input(key="workshop.new.minutes.xiaomi-fans").set_value(12).run()
    at.text_input(key="workshop.new.note.xiaomi-fans").input("ask about the 100").run()
    at.button(key="workshop.new.up.xiaomi-fans").click().run()
    at.number_input(key="workshop.new.teams").set_value(3).run()
    at.button(key="workshop.new.create").click().run()
    assert not at.exception, [e.value for e in at.exception]
    code = at.session_state["workshop.host_code"]
    store = open_store(env)
    try:
        workshop = open_workshop(store, code)
    finally:
        store.dispose()
    first = workshop.agenda.blocks[0]
    assert (first.item, first.minutes, first.note) == (
        "xiaomi-fans",
        12,
        "ask about the 100",
    )
    assert len(workshop.teams) == 3
    assert workshop.teams[0].name == ("Team 1" if lang == "en" else "第 1 组")
    codes = [c.value for c in at.code]
    assert code in codes  # shown once, right after creation
    assert any(team_join_code(code, workshop.teams[0]) in c for c in codes)
    assert len(at.get("image")) >= 1 + 3  # the big projector QR and one per team


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_desk_view_renders(made: tuple[Store, str, list[str]], lang: str) -> None:
    _store, host, _codes = made
    at = _page(lang, host=host)
    assert "host" not in at.query_params  # the code leaves the address bar
    for view in ("present", "teams", "board", "agenda", "export"):
        at.segmented_control(key="workshop.host.view").set_value(view).run()
        assert not at.exception, (view, [e.value for e in at.exception])
    at.segmented_control(key="workshop.host.view").set_value("board").run()
    frames = at.dataframe
    assert frames, "the board table is missing"
    names = list(frames[0].value.iloc[:, 0])
    assert names == ["红队", "Blue"]


def test_presenter_moves_through_slides_with_notes_for_the_trainer_only(
    made: tuple[Store, str, list[str]],
) -> None:
    store, host, _codes = made
    at = _page("zh", host=host)
    at.segmented_control(key="workshop.host.view").set_value("present").run()
    assert at.button(key="workshop.present.prev").disabled
    at.button(key="workshop.present.next").click().run()
    at.button(key="workshop.present.next").click().run()
    assert open_workshop(store, host).stage.slide == 2
    titles = [t.value for t in at.title]
    assert "一对一邀请30到50位种子成员" not in titles
    assert any("写清群的定位" in t for t in titles)
    assert any("请各组讨论" in m.value for m in at.markdown)  # speaker notes
    at.toggle(key="workshop.present.notes").set_value(False).run()
    assert not any("请各组讨论" in m.value for m in at.markdown)
    at.segmented_control(key="workshop.present.lang").set_value("both").run()
    assert open_workshop(store, host).stage.display_lang == "both"
    assert any("Write the group" in m.value for m in at.markdown)
    at.selectbox(key="workshop.present.jump").set_value(0).run()
    assert open_workshop(store, host).stage.slide == 0


def test_screen_follows_the_presenter_without_notes_or_controls(
    made: tuple[Store, str, list[str]], catalogue: Catalogue
) -> None:
    store, host, _codes = made
    workshop = open_workshop(store, host)
    from qunce.workshop.deck import build_deck
    from qunce.workshop.repository import go_to

    go_to(store, host, 2, build_deck(workshop.agenda, catalogue))
    at = _page("zh", screen=screen_join_code(host, workshop))
    assert any("写清群的定位" in t.value for t in at.title)
    assert not any("请各组讨论" in m.value for m in at.markdown)
    assert not any(k.startswith(CONTROL_PREFIXES) for k in _widget_keys(at))


def test_team_ticks_its_own_checklist(made: tuple[Store, str, list[str]]) -> None:
    store, host, codes = made
    at = _page("en", join=codes[0])
    assert any(t.value == "红队" for t in at.title)
    boxes = [c for c in at.checkbox if str(c.key).startswith("workshop.team.item.")]
    red = open_workshop(store, host).teams[0]
    assert red.plan_id is not None
    plan = get_plan(store, red.workspace_id, red.plan_id)
    assert len(boxes) == len(plan.items)
    at.text_input(key="workshop.team.author").input("Mei").run()
    boxes[0].check().run()
    assert not at.exception
    item = get_plan(store, red.workspace_id, red.plan_id).items[0]
    assert (item.status, item.updated_by) == ("done", "Mei")
    blue = open_workshop(store, host).teams[1]
    assert blue.plan_id is not None
    assert get_plan(store, blue.workspace_id, blue.plan_id).progress().done == 0


def test_a_team_cannot_reach_the_trainers_controls(made: tuple[Store, str, list[str]]) -> None:
    _store, host, codes = made
    team = _page("en", join=codes[0])
    keys = _widget_keys(team)
    assert not any(k.startswith(CONTROL_PREFIXES) for k in keys), keys
    assert not any(host in c.value or codes[1] in c.value for c in team.code)
    # The team's code given as a facilitator code opens nothing.
    sneaky = _page("en", host=codes[0])
    assert sneaky.error, "a team code must be refused as a facilitator code"
    assert sneaky.session_state["workshop.host_code"] is None
    assert not any(k.startswith(CONTROL_PREFIXES) for k in _widget_keys(sneaky))
    form = _page("en")
    form.text_input(key="workshop.open.code").input(codes[0]).run()
    submit = [b for b in form.button if "Open" in b.label]
    assert submit
    submit[0].click().run()
    assert form.error
    assert not any(k.startswith(CONTROL_PREFIXES) for k in _widget_keys(form))
