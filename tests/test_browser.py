"""The app in a real browser: load, switch language, visit every page, reload; language sticks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import running_app, wait_for_run

pytestmark = pytest.mark.browser

NAV_EN = ["Home", "Search", "Playbooks", "Cases", "Calculators", "Launch plans", "Workshop"]


@pytest.fixture(scope="module")
def app_url(search_index_dir: Path) -> Iterator[str]:
    with running_app({"QUNCE_INDEX_DIR": str(search_index_dir)}) as url:
        yield url


def _no_exception(page: Any) -> None:
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").first.inner_text()


def test_switch_language_and_visit_every_page(browser: Any, app_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app_url)
    wait_for_run(page)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("方法手册", exact=True).is_visible()
    sidebar.get_by_text("English", exact=True).click()
    page.wait_for_function("location.search.includes('lang=en')", timeout=60_000)
    wait_for_run(page)
    for label in NAV_EN:
        sidebar.get_by_role("link", name=label).click()
        page.get_by_test_id("stSidebar").get_by_role("link", name=label).wait_for()
        page.wait_for_timeout(500)
        wait_for_run(page, timeout=120_000)
        _no_exception(page)
        assert "lang=en" in page.url, f"{label}: the language was lost on page change"
        assert sidebar.get_by_text("Playbooks", exact=True).is_visible()
    page.reload()
    wait_for_run(page)
    assert page.get_by_test_id("stSidebar").get_by_text("Playbooks", exact=True).is_visible()
    page.close()


def test_playbook_link_from_the_list_opens_its_page(browser: Any, app_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{app_url}/playbooks?lang=zh")
    wait_for_run(page)
    page.get_by_role("button", name=re.compile("打开")).first.click()
    page.wait_for_function("location.search.includes('id=')", timeout=60_000)
    wait_for_run(page, timeout=120_000)
    _no_exception(page)
    assert "id=" in page.url
    assert page.get_by_text("交付物").first.is_visible()
    page.get_by_role("button", name=re.compile("全部方法手册")).click()
    page.wait_for_function("!location.search.includes('id=')", timeout=60_000)
    page.close()
