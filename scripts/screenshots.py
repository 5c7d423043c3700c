"""Screenshots of every page in both languages (for looking at what we built).

Usage: .venv/bin/python scripts/screenshots.py [PAGE_QUERY ...]   e.g. "playbooks?id=launch-rules"
Writes PNG files to screenshots/ (git-ignored). Needs Debian's chromium and a CJK font.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, running_app, wait_for_run  # noqa: E402

PAGES = [
    "", "search?q=群里冷清没人说话怎么办", "playbooks", "playbooks?id=launch-rules", "cases",
    "cases?id=luojisiwei-membership", "calculators", "plans", "workshop",
]


def main() -> None:
    pages = sys.argv[1:] or PAGES
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    index = os.environ.get("QUNCE_INDEX_DIR", str(ROOT / "index"))
    with running_app({"QUNCE_INDEX_DIR": index}) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for lang in ("zh", "en"):
            for target in pages:
                sep = "&" if "?" in target else "?"
                page.goto(f"{url}/{target}{sep}lang={lang}")
                wait_for_run(page, timeout=180_000)
                page.wait_for_timeout(1500)
                name = (target.replace("?", "_").replace("=", "-").replace("&", "_") or "home")[:60]
                path = out / f"{name}.{lang}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path)
        browser.close()


if __name__ == "__main__":
    main()
