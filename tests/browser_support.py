"""Start the app in a real Streamlit server and drive it in headless Chromium.

Browser tests use `running_app(env)` for a server with its own data and index folders, and the
session-scoped `browser` fixture from conftest.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, timeout: float = 90.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll /_stcore/health until the server answers ok."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy in {timeout:.0f}s")


def app_command(port: int, serve: bool = False) -> list[str]:
    """The command line of a headless app server on 127.0.0.1:`port`: `qunce serve` (what
    `make run` starts, with its warm-up) or, without `serve`, a bare `streamlit run app.py`."""
    launcher = (
        [str(Path(sys.executable).parent / "qunce"), "serve", "--port", str(port)]
        if serve
        else [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)]
    )
    return [
        *launcher, "--server.address", "127.0.0.1",
        "--server.headless", "true", "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server we started; kill it if it has not gone after 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def running_app(
    env: dict[str, str] | None = None,
    port: int | None = None,
    serve: bool = False,
    log_file: Path | None = None,
) -> Iterator[str]:
    """A `streamlit run app.py` server on a free port; yields its base URL.

    Unless `env` says otherwise, it gets its own data folder (SQLite database) and index folder.
    With `serve`, it is started as `make run` and the README start it: `qunce serve` (warm-up).
    Its output goes to `log_file` (default: a scratch file, shown if it fails to start).
    """
    scratch = Path(tempfile.mkdtemp(prefix="qunce-app-"))
    full_env = {
        **os.environ,
        "QUNCE_DATA_DIR": str(scratch / "data"),
        "QUNCE_INDEX_DIR": str(scratch / "index"),
        **(env or {}),
    }
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    full_env["QUNCE_BASE_URL"] = full_env.get("QUNCE_BASE_URL", url)
    log_file = log_file or scratch / "streamlit.log"
    log = log_file.open("wb")
    proc = subprocess.Popen(app_command(port, serve), cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_healthy(url, proc=proc)
        except Exception:
            log.flush()
            sys.stderr.write(log_file.read_text(errors="replace")[-4000:])
            raise
        yield url
    finally:
        stop_process(proc)
        log.close()


def wait_for_run(page, timeout: float = 30_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit is connected and has finished its script run."""
    page.wait_for_timeout(200)
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        timeout=timeout, state="attached"
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        timeout=timeout, state="attached"
    )
