"""`qunce serve` (what `make run` starts) warms the catalogue and the search index up before the
first visit, and the pages then use those warmed objects instead of loading their own."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import running_app, wait_for_run

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _wait_for_line(log: Path, text: str, timeout: float = 180.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = log.read_text(errors="replace")
        if text in content:
            return content
        time.sleep(0.25)
    raise AssertionError(f"{text!r} never appeared in the server log:\n{log.read_text()[-3000:]}")


def test_serve_warms_up_and_the_first_search_uses_the_warm_index(
    browser: Any, search_index_dir: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    shutil.copytree(search_index_dir, index)
    log = tmp_path / "serve.log"
    env = {"QUNCE_INDEX_DIR": str(index), "QUNCE_CONTENT_PATH": ""}
    with running_app(env, serve=True, log_file=log) as url:
        before = _wait_for_line(log, "warmed up:")
        assert before.count("search index opened") == 1  # by the warm-up, before any visitor

        page = browser.new_page(locale="en-US")
        page.set_default_timeout(90_000)
        page.goto(f"{url}/search?lang=en")
        wait_for_run(page, timeout=90_000)
        box = page.get_by_label("Search playbooks and cases")
        box.fill("how do I price a paid membership")
        box.press("Enter")
        wait_for_run(page, timeout=90_000)
        page.get_by_text(re.compile("matches .* in |close in meaning")).first.wait_for()  # a result's reason
        assert page.get_by_test_id("stException").count() == 0
        page.close()
    after = log.read_text(errors="replace")
    assert after.count("search index opened") == 1, after[-3000:]  # the page reused it
