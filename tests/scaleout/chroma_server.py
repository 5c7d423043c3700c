"""Start a Chroma server (`chroma run`) on loopback for a test, and stop it afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser_support import free_port, stop_process

CHROMA = Path(sys.executable).parent / "chroma"


def heartbeat(url: str) -> int | None:
    """The server's heartbeat (nanoseconds) from /api/v2/heartbeat, or None if it does not answer."""
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
            return int(json.load(response)["nanosecond heartbeat"])
    except (OSError, ValueError, KeyError):
        return None


@contextmanager
def chroma_server(path: Path, timeout: float = 60.0) -> Iterator[str]:
    """A `chroma run --path PATH` on 127.0.0.1 and a free port; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (path.parent / f"chroma-{port}.log").open("wb")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + timeout
        while heartbeat(url) is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                tail = (path.parent / f"chroma-{port}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"chroma run did not answer on {url}:\n{tail}")
            time.sleep(0.2)
        yield url
    finally:
        stop_process(proc)
        log.close()
