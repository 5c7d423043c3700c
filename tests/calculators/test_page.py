"""The calculators page in Streamlit's AppTest: every calculator from a link, bad values named,
scenarios saved and compared in the session and in a workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from qunce.calculators import to_query
from qunce.calculators.base import result_specs
from qunce.calculators.registry import REGISTRY

ROOT = Path(__file__).resolve().parents[2]


def page(params: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app opened on the calculators page with these query parameters."""
    monkeypatch.setenv("QUNCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(tmp_path / "index"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("views/calculators.py").run()
    return at


def shown(elements: object) -> list[str]:
    """Texts of callouts with Markdown escapes removed."""
    return [e.value.replace("\\", "") for e in elements]  # type: ignore[attr-defined]


@pytest.mark.parametrize("calc_id", list(REGISTRY))
def test_each_calculator_opens_from_a_link(
    calc_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page({"calc": calc_id, "lang": "en"}, tmp_path, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="calc.pick").value == calc_id
    calc = REGISTRY[calc_id]
    results = result_specs(calc.result)
    labels = [m.label for m in at.metric]
    expected = [results[name].label.en for name in calc.headline]
    # in headline order; a figure that does not apply (empty, with no "never" text) is left out
    assert labels == [label for label in expected if label in labels] and len(labels) >= 4
    assert all(m.value for m in at.metric)
    assert not at.error
    assert len(at.get("plotly_chart")) >= 1
    # the address bar becomes the share link of what is shown
    assert at.query_params["calc"] == calc_id


OUT_OF_RANGE = {
    "funnel": (
        "join_rate",
        "150",
        "Join rate (join_rate): must be a number from 0% to 100%; got 150.",
    ),
    "fan-value": (
        "monthly_churn",
        "120",
        "Monthly churn (monthly_churn): must be a number from 0% to 100%; got 120.",
    ),
    "referral": (
        "cycle_days",
        "0",
        "Cycle length (cycle_days): must be a whole number from 1 to 365 days; got 0.",
    ),
    "crowdfunding": (
        "platform_fee",
        "-5",
        "Platform fee (platform_fee): must be a number from 0% to 100%; got -5.",
    ),
    "health": (
        "response_minutes",
        "-1",
        "Time to first reply (response_minutes): must be a number from 0 to 100,000 minutes; got -1.",
    ),
    "group-capacity": (
        "group_limit",
        "1",
        "Group size limit (group_limit): must be a whole number from 2 to 10,000 people; got 1.",
    ),
}


@pytest.mark.parametrize("calc_id", list(REGISTRY))
def test_out_of_range_link_value_names_the_field(
    calc_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    field, value, message = OUT_OF_RANGE[calc_id]
    at = page({"calc": calc_id, field: value, "lang": "en"}, tmp_path, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    errors = shown(at.error)
    assert any(message in e for e in errors), errors
    assert not at.metric  # no results from bad inputs
    # the bad value stays visible in its field, so it can be corrected there
    widget = at.number_input(key=f"calc.{calc_id}.{field}")
    assert widget.value == float(value)
    widget.set_value(type(widget.value)(REGISTRY[calc_id].field(field).default)).run()
    assert not at.error and at.metric


def test_messages_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page({"calc": "health", "daily_active": "500", "lang": "zh"}, tmp_path, monkeypatch)
    assert not at.exception
    errors = shown(at.error)
    assert any(
        "日活跃成员（daily_active）：不能多于月活跃成员（monthly_active = 100）" in e
        for e in errors
    ), errors


def test_text_in_a_link_falls_back_to_the_default_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page({"calc": "funnel", "reach": "lots", "lang": "en"}, tmp_path, monkeypatch)
    assert not at.exception
    warnings = shown(at.warning)
    assert any("People reached (reach)" in w and "'lots'" in w for w in warnings), warnings
    assert at.number_input(key="calc.funnel.reach").value == 10_000
    assert at.metric


def test_unknown_calculator_in_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page({"calc": "lottery", "lang": "en"}, tmp_path, monkeypatch)
    assert not at.exception
    assert any("There is no calculator 'lottery'" in e for e in shown(at.error))
    assert at.selectbox(key="calc.pick").value == "funnel"


def test_a_case_preset_link_fills_the_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    params = to_query(
        "fan-value",
        {
            "acquisition_cost": 15,
            "order_value": 120,
            "purchases_per_month": 0.3,
            "margin": 40,
            "monthly_churn": 5,
        },
        lang="en",
    )
    at = page(params, tmp_path, monkeypatch)
    assert not at.exception
    assert at.number_input(key="calc.fan-value.order_value").value == 120
    assert at.number_input(key="calc.fan-value.purchases_per_month").value == pytest.approx(0.3)
    metrics = {m.label: m.value for m in at.metric}
    # ¥120 × 0.3 × 40% = ¥14.40 a month
    assert metrics["Monthly profit"] == "¥14.4"


def test_editing_rewrites_the_share_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page({"calc": "group-capacity", "lang": "en"}, tmp_path, monkeypatch)
    at.number_input(key="calc.group-capacity.members").set_value(1234).run()
    assert at.query_params["members"] == "1234"
    assert any("members=1234" in c.value for c in at.code)
    assert {m.label: m.value for m in at.metric}["Groups"] == "3"  # ⌈1,234 / 500⌉


def test_switching_calculator_keeps_each_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page({"calc": "funnel", "reach": "777", "lang": "en"}, tmp_path, monkeypatch)
    at.selectbox(key="calc.pick").set_value("health").run()
    assert not at.exception
    assert at.query_params["calc"] == "health"
    at.selectbox(key="calc.pick").set_value("funnel").run()
    assert at.number_input(key="calc.funnel.reach").value == 777


def test_session_scenarios_compare_side_by_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page({"calc": "funnel", "lang": "en"}, tmp_path, monkeypatch)
    assert any("No workspace is open" in i for i in shown(at.info))
    at.text_input(key="calc.funnel.scenario_name").set_value("Cautious").run()
    at.button(key="calc.funnel.save").click().run()
    at.number_input(key="calc.funnel.purchase_rate").set_value(20.0).run()
    at.text_input(key="calc.funnel.scenario_name").set_value("Bold").run()
    at.button(key="calc.funnel.save").click().run()
    assert not at.exception
    at.multiselect(key="calc.funnel.compare").set_value(["Cautious", "Bold"]).run()
    assert not at.exception
    [table] = [d.value for d in at.dataframe if "Cautious" in d.value.columns]
    assert list(table.columns)[-2:] == ["Cautious", "Bold"]
    profit = table[table["Figure"] == "Gross profit"].iloc[0]
    assert (profit["Cautious"], profit["Bold"]) == ("¥1,536", "¥3,072")  # twice the buyers
    assert "≠ First-purchase rate" in list(table["Figure"])
    # load the first back into the form
    at.selectbox(key="calc.funnel.load_pick").set_value("Cautious").run()
    at.button(key="calc.funnel.load").click().run()
    assert at.number_input(key="calc.funnel.purchase_rate").value == 10


def test_saving_to_a_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUNCE_DATA_DIR", str(tmp_path / "data"))
    import qunce.ui.keyring
    from qunce.config import settings
    from qunce.db.store import open_store
    from qunce.plans.scenarios import list_scenarios
    from qunce.plans.workspaces import create_workspace
    from qunce.ui.keyring import COOKIE, Key, format_cookie

    settings.cache_clear()
    store = open_store(settings().database_url)
    workspace, code = create_workspace(store, "Team A")
    # the browser joined Team A on Launch plans earlier (its cookie holds the code)
    cookie = {COOKIE: format_cookie([Key("workspace", code)])}
    monkeypatch.setattr(qunce.ui.keyring, "_cookies", lambda: cookie)
    at = page({"calc": "health", "lang": "en"}, tmp_path, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert any("Saving to the workspace: Team A" in c for c in shown(at.caption))
    at.text_input(key="calc.health.scenario_name").set_value("Now").run()
    at.button(key="calc.health.save").click().run()
    assert not at.exception
    assert any("Saved to the workspace: Now" in s for s in shown(at.success))
    saved = list_scenarios(store, workspace.id, "health")
    assert [s.name for s in saved] == ["Now"]
    assert saved[0].inputs["members"] == 400
    assert "💾 Now" in at.selectbox(key="calc.health.load_pick").options


def test_a_join_link_on_the_calculators_page_never_switches_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUNCE_DATA_DIR", str(tmp_path / "data"))
    import qunce.ui.keyring
    from qunce.config import settings
    from qunce.db.store import open_store
    from qunce.plans.scenarios import list_scenarios
    from qunce.plans.workspaces import create_workspace
    from qunce.ui.keyring import COOKIE, Key, format_cookie

    settings.cache_clear()
    store = open_store(settings().database_url)
    mine, my_code = create_workspace(store, "Mine")
    theirs, their_code = create_workspace(store, "Theirs")
    cookie = {COOKIE: format_cookie([Key("workspace", my_code)])}
    monkeypatch.setattr(qunce.ui.keyring, "_cookies", lambda: cookie)
    at = page({"calc": "health", "join": their_code, "lang": "en"}, tmp_path, monkeypatch)
    assert not at.exception
    assert "join" not in at.query_params
    assert any("open it on Launch plans" in i for i in shown(at.info))
    assert any("Saving to the workspace: Mine" in c for c in shown(at.caption))
    at.text_input(key="calc.health.scenario_name").set_value("Plan B").run()
    at.button(key="calc.health.save").click().run()
    assert [s.name for s in list_scenarios(store, mine.id, "health")] == ["Plan B"]
    assert list_scenarios(store, theirs.id, "health") == []


def test_a_bare_calculator_link_keeps_what_was_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page({"calc": "funnel", "reach": "777", "lang": "en"}, tmp_path, monkeypatch)
    at.selectbox(key="calc.pick").set_value("health").run()
    # a playbook page links to ?calc=funnel with no inputs
    at.query_params.clear()
    at.query_params["calc"] = "funnel"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.selectbox(key="calc.pick").value == "funnel"
    assert at.number_input(key="calc.funnel.reach").value == 777


def test_a_scenario_name_with_markup_is_shown_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "<img src=x onerror=alert(5)> **bold** [link](http://x)"
    at = page({"calc": "funnel", "lang": "en"}, tmp_path, monkeypatch)
    at.text_input(key="calc.funnel.scenario_name").set_value(name).run()
    at.button(key="calc.funnel.save").click().run()
    [message] = [s.value for s in at.success]
    # every markup character is escaped, so Markdown shows the name exactly as typed
    assert (
        "\\<img src=x onerror=alert\\(5\\)\\> \\*\\*bold\\*\\* \\[link\\]\\(http://x\\)" in message
    )
    assert name in at.selectbox(key="calc.funnel.load_pick").options
