"""Cold-start figures of one app server: time to health, to first render, to first search, and RSS.

Each run starts a fresh `streamlit run app.py` (its own data folder, the built search index), then
a headless Chromium opens the home page (first render) and, on the Search page, types a query
(first search on a cold server: the embedding model and the index are loaded by that search);
a second query shows the warm figure. RSS is the server process's resident memory after the
searches, with the index loaded. A benchmark: it prints figures, it asserts nothing.

The server is started the way `make run` starts it (`qunce serve`, which warms the catalogue
and the search index up in the background); `--plain` starts a bare `streamlit run app.py`
instead, for comparison.

Usage: python bench/startup.py [--runs 3] [--index DIR] [--plain]
Targets (2-core machine): first render <= 3.5 s, first search <= 2 s, RSS <= 400 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import app_command, free_port, stop_process  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
QUERIES = ("how do I price a paid membership", "群里冷清没人说话怎么办")


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Server:
    """A `streamlit run app.py` on 127.0.0.1 with its own data folder; start() waits for health."""

    env: dict[str, str] = field(default_factory=dict)
    plain: bool = False
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    seconds_to_health: float = float("nan")

    @property
    def url(self) -> str:
        """Base URL (loopback only)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> Server:
        """Start the server and wait until /_stcore/health answers."""
        scratch = Path(tempfile.mkdtemp(prefix="qunce-bench-"))
        env = {
            **os.environ,
            "QUNCE_DATA_DIR": str(scratch / "data"),
            "QUNCE_BASE_URL": self.url,
            **self.env,
        }
        command = app_command(self.port, serve=not self.plain)
        log = (scratch / "streamlit.log").open("wb")
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited; see {scratch / 'streamlit.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        self.seconds_to_health = time.perf_counter() - started
                        return self
            except OSError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"{self.url} not healthy after {timeout:.0f}s")

    def rss_mb(self) -> float:
        """The server's resident memory in MB."""
        assert self.proc is not None
        return rss_mb(self.proc.pid)

    def stop(self) -> None:
        """Terminate the server (kill after 15 s)."""
        if self.proc is not None:
            stop_process(self.proc)


def ensure_index(index_dir: Path) -> None:
    """Build the search index in `index_dir` if it is not fresh (not part of any figure)."""
    import dataclasses

    from qunce.config import load_settings
    from qunce.content.catalogue import load_catalogue
    from qunce.search.index import SearchIndex

    config = dataclasses.replace(load_settings(), index_dir=index_dir, chroma_url=None)
    index = SearchIndex(load_catalogue(), config)
    status = index.status()
    if status.state != "fresh":
        print(f"building the search index in {index_dir} first ({status.state}; not timed) ...")
        index.build()


def _wait_for_run(page: object) -> None:
    page.locator(  # type: ignore[attr-defined]
        "[data-testid='stApp'][data-test-script-state='notRunning']"
    ).wait_for(state="attached", timeout=120_000)


def _search(page: object, query: str) -> float:
    """Type a query on the Search page; seconds until the first result card shows."""
    box = page.get_by_label("Search playbooks and cases")  # type: ignore[attr-defined]
    box.fill(query)
    started = time.perf_counter()
    box.press("Enter")
    page.get_by_text("1. ", exact=False).first.wait_for(timeout=120_000)  # type: ignore[attr-defined]
    page.wait_for_timeout(50)  # type: ignore[attr-defined]
    _wait_for_run(page)
    return time.perf_counter() - started


def one_run(browser: object, index_dir: Path, plain: bool = False) -> dict[str, float]:
    """Start a cold server and measure it."""
    env = {"QUNCE_INDEX_DIR": str(index_dir), "QUNCE_CONTENT_PATH": ""}
    server = Server(env, plain=plain).start()
    try:
        context = browser.new_context(locale="en-US")  # type: ignore[attr-defined]
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{server.url}/?lang=en")
        page.locator("h1").first.wait_for(timeout=120_000)
        _wait_for_run(page)
        first_render = time.perf_counter() - started
        page.goto(f"{server.url}/search?lang=en")
        page.get_by_label("Search playbooks and cases").wait_for(timeout=120_000)
        _wait_for_run(page)
        first_search = _search(page, QUERIES[0])
        second_search = _search(page, QUERIES[1])
        figures = {
            "health_s": server.seconds_to_health,
            "first_render_s": first_render,
            "first_search_s": first_search,
            "second_search_s": second_search,
            "rss_mb": server.rss_mb(),
        }
        context.close()
        return figures
    finally:
        server.stop()


def main() -> None:
    """Print the figures of each run and their medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold starts to measure (1-10)")
    parser.add_argument("--index", type=Path, default=None, help="search index folder")
    parser.add_argument("--plain", action="store_true", help="bare `streamlit run`, no warm-up")
    args = parser.parse_args()
    runs = max(1, min(args.runs, 10))
    from qunce.config import load_settings

    index_dir = args.index or load_settings().index_dir
    ensure_index(index_dir)
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for n in range(runs):
            rows.append(one_run(browser, index_dir, args.plain))
            r = rows[-1]
            print(
                f"run {n + 1}: health {r['health_s']:.2f} s · first render {r['first_render_s']:.2f} s"
                f" · first search {r['first_search_s']:.2f} s · second search"
                f" {r['second_search_s']:.2f} s · RSS {r['rss_mb']:.0f} MB"
            )
        browser.close()
    median = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
    load = os.getloadavg()[0]
    print(
        f"median of {runs}: health {median['health_s']:.2f} s · first render "
        f"{median['first_render_s']:.2f} s (target <= 3.5) · first search "
        f"{median['first_search_s']:.2f} s (target <= 2) · second search "
        f"{median['second_search_s']:.2f} s · RSS {median['rss_mb']:.0f} MB (target <= 400)"
    )
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} while measuring")


if __name__ == "__main__":
    main()
