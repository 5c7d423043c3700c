"""`qunce calc`: list, run with --set, JSON output, and field-naming errors with exit code 2."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from qunce.calculators.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list() -> None:
    code, out, err = invoke("list")
    assert code == 0, err
    for calc_id in ("funnel", "fan-value", "referral", "crowdfunding", "health", "group-capacity"):
        assert calc_id in out
    assert "[1.4.1, 3.1.2]" in out
    code, out, _ = invoke("list", "--json")
    assert code == 0 and json.loads(out)[0]["id"] == "funnel"


def test_run_with_set_prints_inputs_results_and_notes() -> None:
    code, out, err = invoke(
        "funnel",
        "--set",
        "reach=10000",
        "--set",
        "join_rate=30",
        "--set",
        "active_rate=40",
        "--set",
        "purchase_rate=25",
        "--set",
        "repeat_rate=25",
        "--set",
        "order_value=300",
        "--set",
        "margin=60",
    )
    assert code == 0, err
    # 10,000 × 30% × 40% × 25% = 300 buyers; 450 orders × ¥300 × 60% = ¥81,000
    assert "Gross profit" in out and "¥81,000" in out
    assert "300 people" in out
    assert "Notes" in out


def test_json_output() -> None:
    code, out, err = invoke(
        "group-capacity",
        "-s",
        "members=1234",
        "-s",
        "fill_rate=80",
        "-s",
        "members_per_operator=500",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["calculator"] == "group-capacity"
    assert data["result"]["groups"] == 4 and data["result"]["operators"] == 3
    assert data["query"]["members"] == "1234"


def test_chinese_output() -> None:
    code, out, _ = invoke("health", "--lang", "zh")
    assert code == 0 and "健康分" in out


def test_tables_as_json() -> None:
    tiers = '[{"name":"普通会员","price":200,"unit_cost":0,"cap":5000},{"name":"铁杆会员","price":1200,"unit_cost":0,"cap":500}]'
    code, out, err = invoke(
        "crowdfunding", "--set", "mode=membership", "--set", f"tiers={tiers}", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["result"]["gross_if_sold_out"] == 1_600_000


def test_out_of_range_names_the_field_and_range_and_exits_2() -> None:
    code, out, err = invoke("funnel", "--set", "join_rate=150", "--set", "reach=abc")
    assert code == 2, out
    assert "Join rate (join_rate): must be a number from 0% to 100%; got 150." in err
    assert "People reached (reach): must be a whole number" in err
    assert out == ""


def test_inconsistent_input_exits_2() -> None:
    code, _, err = invoke("health", "--set", "daily_active=500", "--lang", "zh")
    assert code == 2
    assert "daily_active" in err and "monthly_active = 100" in err


def test_malformed_and_unknown_fields() -> None:
    code, _, err = invoke("funnel", "--set", "reach")
    assert code == 2 and "field=value" in err
    code, _, err = invoke("funnel", "--set", "reech=5")
    assert code == 2 and "reech" in err and "known fields: reach" in err


def test_fields_lists_ranges_defaults_and_sources() -> None:
    code, out, _ = invoke("crowdfunding", "--fields")
    assert code == 0
    assert "platform_fee" in out and "a number from 0% to 100%; default 5%" in out
    assert "Kickstarter" in out


def test_registered_as_qunce_calc() -> None:
    from qunce.cli import app as qunce_app

    result = runner.invoke(qunce_app, ["calc", "fan-value", "--set", "monthly_churn=101"])
    assert result.exit_code == 2
    assert "monthly_churn" in result.stderr
