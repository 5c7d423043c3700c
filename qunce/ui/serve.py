"""The app server: `streamlit run app.py` in this process, after starting the warm-up.

`qunce serve` (and so `make run`) comes here straight from `qunce.entry`, so the server process
imports only what the pages need. Usage: python -m qunce.ui.serve [--port N] [--address A] [--no-warm]
[streamlit options...]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from qunce.config import ROOT


def main(argv: list[str] | None = None) -> None:
    """Parse our options, start the warm-up, hand the rest to `streamlit run`."""
    parser = argparse.ArgumentParser(prog="qunce serve", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default=None)
    parser.add_argument("--warm", dest="no_warm", action="store_false")
    parser.add_argument("--no-warm", dest="no_warm", action="store_true")
    parser.set_defaults(no_warm=False)
    ours, streamlit_args = parser.parse_known_args(argv)

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    log = logging.getLogger("qunce")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False

    from streamlit.web import cli as streamlit_cli

    from qunce.ui import warm

    os.chdir(ROOT)  # .streamlit/config.toml is read from the working folder
    args = ["run", str(ROOT / "app.py"), "--server.port", str(ours.port), *streamlit_args]
    if ours.address:
        args += ["--server.address", ours.address]
    if not ours.no_warm:
        warm.prepare()
    # In this process, not a child: the warmed caches are the ones the pages use.
    streamlit_cli.main.main(args=args, prog_name="streamlit", standalone_mode=True)


if __name__ == "__main__":
    main(sys.argv[1:])
