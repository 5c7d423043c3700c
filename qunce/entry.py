"""The `qunce` console command. `qunce serve` starts the server (qunce/ui/serve.py) without first importing every
other command's libraries (python-pptx, openpyxl, alembic: 1.4 s and 50 MB); the rest is Typer."""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point of the `qunce` command."""
    args = sys.argv[1:]
    if args[:1] == ["serve"] and not {"--help", "-h"} & set(args):
        from qunce.ui.serve import main as serve

        serve(args[1:])
        return
    from qunce.cli import app

    app()
