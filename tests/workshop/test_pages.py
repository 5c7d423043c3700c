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
    at.button(key="workshop.present.next").click().run()  # the playbook's opening
    at.button(key="workshop.present.next").click().run()  # 2016 → today
    at.button(key="workshop.present.next").click().run()  # its first step
    assert open_workshop(store, host).stage.slide == 3
    titles = [t.value for t in at.title]
    assert "一对一邀请种子成员" not in titles
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

    deck = build_deck(workshop.agenda, catalogue)
    first_step = next(i for i, s in enumerate(deck.slides) if s.kind == "step")
    go_to(store, host, first_step, deck)
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


# ---------------------------------------------------------------- issue 16's page side


def test_present_and_focus_keep_their_state(made: tuple[Store, str, list[str]]) -> None:
    _store, host, _codes = made
    at = _page("en", host=host)
    view = at.segmented_control(key="workshop.host.view")
    assert view.value == "present"
    # The switch needs a selection: clicking the selected "Present" (None here) keeps it.
    view.set_value(None).run()
    assert not at.exception
    assert at.segmented_control(key="workshop.host.view").value == "present"
    assert at.button(key="workshop.present.next")
    at.toggle(key="workshop.present.focus").set_value(True).run()
    keys = _widget_keys(at)
    assert "workshop.host.view" not in keys and "workshop.host.leave" not in keys
    assert "workshop.present.next" in keys  # focus mode is the presenter, without the desk
    at.toggle(key="workshop.present.focus").set_value(False).run()
    assert at.segmented_control(key="workshop.host.view").value == "present"
    at.segmented_control(key="workshop.host.view").set_value("board").run()
    at.segmented_control(key="workshop.host.view").set_value("present").run()
    assert at.toggle(key="workshop.present.focus").value is False


def test_presenter_shows_next_slide_notes_chart_and_key_message(
    made: tuple[Store, str, list[str]], catalogue: Catalogue
) -> None:
    from qunce.workshop.deck import build_deck
    from qunce.workshop.repository import go_to

    store, host, _codes = made
    deck = build_deck(open_workshop(store, host).agenda, catalogue)
    step = next(i for i, s in enumerate(deck.slides) if s.kind == "step")
    go_to(store, host, step, deck)
    at = _page("zh", host=host)
    key = deck.slides[step].body[0]
    assert key.emphasis
    assert any(key.zh in m.value for m in at.markdown)  # the key message
    assert any(deck.slides[step + 1].title.zh in m.value for m in at.markdown)  # next slide
    chart = next(i for i, s in enumerate(deck.slides) if s.chart is not None)
    go_to(store, host, chart, deck)
    at.run()
    assert at.get("plotly_chart"), "a case slide draws its chart"


def test_the_phone_remote_moves_the_slides(made: tuple[Store, str, list[str]]) -> None:
    store, host, _codes = made
    at = _page("en", host=host, remote="1")
    keys = _widget_keys(at)
    assert "workshop.remote.next" in keys and "workshop.host.view" not in keys
    at.button(key="workshop.remote.next").click().run()
    assert not at.exception
    assert open_workshop(store, host).stage.slide == 1
    assert any("Speaker notes" in m.value for m in at.markdown)


def test_links_warn_about_localhost_and_switch_to_the_lan(
    made: tuple[Store, str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import qunce.workshop.reach as reach

    monkeypatch.delenv("QUNCE_BASE_URL", raising=False)
    monkeypatch.setattr(reach, "lan_addresses", lambda: ["192.168.1.20"])
    _store, host, codes = made
    at = _page("en", host=host)
    at.segmented_control(key="workshop.host.view").set_value("teams").run()
    assert any("phones in the room cannot open it" in w.value for w in at.warning)
    assert any("localhost" in c.value and codes[0] in c.value for c in at.code)
    at.button(key="workshop.links.use_lan").click().run()
    assert not at.exception
    assert not any("phones in the room cannot open it" in w.value for w in at.warning)
    links = [c.value for c in at.code if "join=" in c.value]
    assert links and all(v.startswith("http://192.168.1.20:") for v in links), links


def test_short_codes_issued_on_the_desk_open_the_team_on_the_landing_page(
    made: tuple[Store, str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    import qunce.workshop.shortcodes as sc

    store, host, _codes = made
    desk = _page("zh", host=host)
    desk.segmented_control(key="workshop.host.view").set_value("teams").run()
    desk.button(key="workshop.teams.short.issue").click().run()
    assert not desk.exception
    shown = [
        c.value
        for c in desk.code
        if re.fullmatch(r"[2-9A-HJKMNP-Z]{4} [2-9A-HJKMNP-Z]{4}", c.value)
    ]
    assert len(shown) == 2, [c.value for c in desk.code]
    assert any("有效至" in c.value for c in desk.caption)
    red = open_workshop(store, host).teams[0]
    mine = sc.list_short_codes(store, host)[red.id].display
    phone = _page("en")
    phone.text_input(key="workshop.join.code").input(mine.lower().replace(" ", "-"))
    phone.button[0].click()  # the form's Join button
    phone.run()
    assert not phone.exception
    assert any(t.value == "红队" for t in phone.title), [t.value for t in phone.title]
    # Wrong codes are bounded: past the limit the message says to wait.
    monkeypatch.setattr(sc, "CLIENT_FAILURES", 2)
    typo = _page("zh")
    for n in range(3):
        typo.text_input(key="workshop.join.code").input(f"ABCD 234{n + 5}")
        typo.button[0].click()
        typo.run()
    assert any("次数太多" in e.value for e in typo.error), [e.value for e in typo.error]
    desk.button(key=f"workshop.teams.short.expire.{red.id}").click().run()
    assert red.id not in sc.list_short_codes(store, host)


def test_rotating_codes_from_the_desk(made: tuple[Store, str, list[str]]) -> None:
    from qunce.db.errors import InvalidCode

    store, host, codes = made
    at = _page("en", host=host)
    at.segmented_control(key="workshop.host.view").set_value("teams").run()
    old_screen = screen_join_code(host, open_workshop(store, host))
    at.button(key="workshop.rotate.screen").click().run()
    assert not at.exception
    new_screen = screen_join_code(host, open_workshop(store, host))
    assert new_screen != old_screen and any(new_screen in c.value for c in at.code)
    at.button(key="workshop.rotate.host").click().run()  # not confirmed: nothing happens
    open_workshop(store, host)
    at.checkbox(key="workshop.rotate.host.sure").check().run()
    at.button(key="workshop.rotate.host").click().run()
    assert not at.exception
    with pytest.raises(InvalidCode):
        open_workshop(store, host)
    new = at.session_state["workshop.host_code"]
    assert new != host and open_workshop(store, new)
    assert at.session_state["app.keyring"].all("host")[0] == new
    assert any(new in c.value for c in at.code)  # shown once
    assert any(team_join_code(new, open_workshop(store, new).teams[0]) in c.value for c in at.code)
    assert not any(codes[0] in c.value for c in at.code)
    at.button(key="workshop.rotate.saved").click().run()
    assert not any(new == c.value for c in at.code)


def test_a_poll_from_the_presenter_to_the_phones_and_the_screen(
    made: tuple[Store, str, list[str]],
) -> None:
    import time

    from qunce.ui.workshop.common import LOOK_TTL_S
    from qunce.workshop.polls import live_poll

    store, host, codes = made
    workshop = open_workshop(store, host)
    desk = _page("en", host=host)
    desk.segmented_control(key="workshop.poll.kind").set_value("choice").run()
    desk.text_input(key="workshop.poll.question").input("Which step first? **$x$**").run()
    desk.text_area(key="workshop.poll.options").input("Rules\nSeeds\n[link](http://x)").run()
    desk.button(key="workshop.poll.open").click().run()
    assert not desk.exception
    results = live_poll(store, workshop.id)
    assert results is not None and results.poll.is_open
    assert results.poll.options == ("Rules", "Seeds", "[link](http://x)")
    phone = _page("en", join=codes[0])
    radios = [r for r in phone.radio if str(r.key).startswith("workshop.answer.")]
    assert len(radios) == 1
    radios[0].set_value(1).run()
    assert not phone.exception
    results = live_poll(store, workshop.id)
    assert results is not None and results.counts == (0, 1, 0)
    screen = _page("en", screen=screen_join_code(host, workshop))
    # The screen speaks the presenting language (zh here), whatever the URL says.
    assert any("2 个小组中 1 个已回答" in m.value for m in screen.markdown)
    assert screen.get("plotly_chart")
    assert not any("<" in t.value and "http" in t.value for t in screen.title)
    desk.run()
    desk.button(key="workshop.poll.close").click().run()
    closed = live_poll(store, workshop.id)
    assert closed is not None and not closed.poll.is_open
    time.sleep(LOOK_TTL_S + 0.1)  # phones share their looks for a moment (common.shared_look)
    phone.run()
    assert not [r for r in phone.radio if str(r.key).startswith("workshop.answer.")]


def test_export_offers_the_deck_by_title_and_the_report(made: tuple[Store, str, list[str]]) -> None:
    _store, host, _codes = made
    at = _page("zh", host=host)
    at.segmented_control(key="workshop.host.view").set_value("export").run()
    keys = _widget_keys(at)
    for key in ("workshop.export.pptx", "workshop.export.report_md", "workshop.export.report_xlsx"):
        assert key in keys


def test_team_phone_marks_discussion_and_exercise_slides_as_now_presenting(
    made: tuple[Store, str, list[str]], catalogue: Catalogue
) -> None:
    from qunce.ui.workshop.team import now_presenting
    from qunce.workshop.deck import build_deck
    from qunce.workshop.repository import go_to

    store, host, codes = made
    deck = build_deck(open_workshop(store, host).agenda, catalogue)
    for kind in ("discuss", "exercise"):
        index = next(i for i, s in enumerate(deck.slides) if s.kind == kind)
        assert now_presenting(deck.slides[index]) == deck.slides[index].item_id
        go_to(store, host, index, deck)
        phone = _page("en", join=codes[0])
        assert not phone.exception
        assert any("(now presenting)" in m.value for m in phone.markdown), kind


def test_typed_text_stays_plain_text(env: str, agenda: Agenda, catalogue: Catalogue) -> None:
    hostile = "**Bold** [link](http://evil.example) ![img](http://evil.example/x.png) $x^2$ :red[red] <b>b</b>\x07\x1b"
    store = open_store(env)
    try:
        workshop, host = create_workshop(
            store,
            agenda.model_copy(update={"title": hostile[:200]}),
            catalogue,
            [hostile[:80], "B"],
            start_date=START,
        )
        code = team_join_code(host, workshop.teams[0])
    finally:
        store.dispose()
    for params in ({"host": host}, {"join": code}, {"screen": screen_join_code(host, workshop)}):
        at = _page("en", **params)
        texts = [m.value for m in at.markdown] + [t.value for t in at.title]
        shown = [t for t in texts if "Bold" in t]
        assert shown, params
        for text in shown:
            assert "\\*\\*Bold" in text and "\\[link\\]" in text and "\\$x" in text, text
            assert "\x07" not in text and "\x1b" not in text
