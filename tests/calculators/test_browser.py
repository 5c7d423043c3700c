"""A share link opened in a real browser fills the form and shows the result."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from qunce.calculators import to_query
from tests.browser_support import running_app, wait_for_run

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    with running_app() as url:
        yield url


def test_share_link_fills_the_form_and_shows_the_result(browser: Any, app_url: str) -> None:
    # The Baoledi preset: 10,000 × 30% × 40% × 25% = 300 buyers; 450 orders × ¥300 × 60%
    params = to_query(
        "funnel",
        {
            "reach": 10_000,
            "join_rate": 30,
            "active_rate": 40,
            "purchase_rate": 25,
            "repeat_rate": 25,
            "order_value": 300,
            "repeat_orders": 2,
            "margin": 60,
        },
        lang="en",
    )
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    try:
        page.goto(f"{app_url}/calculators?{urlencode(params)}")
        wait_for_run(page)
        # under load the first paint can come before the run that applies the link: wait for it
        page.get_by_test_id("stMetricValue").filter(has_text="¥81,000").wait_for(timeout=60_000)
        assert (
            page.get_by_role("spinbutton", name="Join rate (%)", exact=True).input_value()
            == "30.00"
        )
        assert (
            page.get_by_role("spinbutton", name="Order value (¥)", exact=True).input_value()
            == "300.00"
        )
        assert (
            page.get_by_role("spinbutton", name="People reached", exact=True).input_value()
            == "10000"
        )
        values = page.get_by_test_id("stMetricValue").all_inner_texts()
        assert "¥81,000" in values and "300" in values, values
        # the address bar still holds the same scenario, so it can be shared on
        assert "join_rate=30" in page.url and "margin=60" in page.url
    finally:
        page.close()


def test_out_of_range_link_names_the_field_in_the_browser(browser: Any, app_url: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    try:
        page.goto(f"{app_url}/calculators?calc=group-capacity&group_limit=1&lang=zh")
        wait_for_run(page)
        alert = page.get_by_text(
            "每群人数上限（group_limit）：应为 2 到 10,000 人之间的整数，现在是 1。"
        ).first
        alert.wait_for(timeout=60_000)
        assert page.get_by_test_id("stMetricValue").count() == 0
    finally:
        page.close()


def test_a_scenario_name_with_markup_stays_text(browser: Any, app_url: str) -> None:
    name = "<img src=x onerror=alert(5)> **bold**"
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{app_url}/calculators?calc=health&lang=en")
        wait_for_run(page)
        box = page.get_by_label("Scenario name")
        box.wait_for(timeout=60_000)
        box.fill(name)
        box.press("Enter")
        wait_for_run(page)
        page.get_by_role("button", name="Save (this session)").click()
        wait_for_run(page)
        page.get_by_text(f"Saved for this session: {name}").wait_for(timeout=30_000)
        app = page.locator("[data-testid='stApp']")
        assert app.locator("img[src='x']").count() == 0
        assert app.locator("strong").filter(has_text="bold").count() == 0
        assert dialogs == []
    finally:
        page.close()
