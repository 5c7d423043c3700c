"""A search result opens its playbook at the step that matched: unfolded and in view (Chromium)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser_support import running_app, wait_for_run

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(search_index_dir: Path) -> Iterator[str]:
    with running_app({"QUNCE_INDEX_DIR": str(search_index_dir)}) as url:
        yield url


def test_result_lands_on_its_step(browser: Any, app_url: str) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{app_url}/search?lang=zh&q={quote('群裡冷場沒人說話怎麼辦')}")
    wait_for_run(page, timeout=120_000)
    page.get_by_role("link", name=re.compile("打开")).first.click()
    page.wait_for_function("location.search.includes('step=handle-silence-and-noise')", timeout=60_000)
    wait_for_run(page, timeout=120_000)
    assert page.get_by_test_id("stException").count() == 0
    anchor = page.locator("#qunce-step-handle-silence-and-noise")
    anchor.wait_for(state="attached", timeout=30_000)
    page.wait_for_function(
        "(() => { const r = document.getElementById('qunce-step-handle-silence-and-noise')"
        ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()",
        timeout=10_000,
    )
    step = page.get_by_test_id("stExpander").filter(has_text="7. 给冷场和刷屏定好应对办法")
    assert step.get_by_text("交付物").is_visible()
    page.close()
