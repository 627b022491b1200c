"""`make run` names the bureau as the demo data does (长子县), unless told otherwise.

Outside finding: the demo is 长子县's registries and plan, yet every heading,
notice and public footer said 示范县应急管理局 / （示）.  The real Makefile runs
here with its commands swapped for a stand-in `flask` and `python` that print
what they got.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _make_run(tmp_path: Path, **env: str) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    flask = bin_dir / "flask"
    flask.write_text('#!/bin/sh\necho "$1|$BUREAU_NAME|$BUREAU_ABBR"\n')
    flask.chmod(0o755)
    # `make run` serves with `python -m server.devserver` (Chinese error pages)
    python = bin_dir / "python"
    python.write_text('#!/bin/sh\n[ "$2" = server.devserver ] && '
                      'echo "run|$BUREAU_NAME|$BUREAU_ABBR"\n')
    python.chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BUREAU_")}
    out = subprocess.run(
        ["make", "--no-print-directory", "-s", "run", f"BIN={bin_dir}", "SYSTEM=true",
         "MAKE=true"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True,
        check=True).stdout
    return out.split()


def test_make_run_names_the_demo_bureau(tmp_path):
    assert _make_run(tmp_path) == ["setup|长子县应急管理局|长", "run|长子县应急管理局|长"]


def test_a_bureau_name_set_by_the_user_wins(tmp_path):
    lines = _make_run(tmp_path, BUREAU_NAME="承德市应急管理局", BUREAU_ABBR="承")
    assert lines == ["setup|承德市应急管理局|承", "run|承德市应急管理局|承"]
