"""scripts/setup-system: installs only what is missing, only as root; otherwise it
changes nothing and prints the one command to run.

The machine's package state and identity come from stand-ins for `dpkg-query`,
`id` and `apt-get` put first on PATH (apt-get only records how it was called), so
every case runs on any machine without touching it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "setup-system"


def _stub(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def _run(tmp_path: Path, mode: str, *, missing: set[str],
         uid: int) -> tuple[subprocess.CompletedProcess, list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "apt.log"
    # dpkg-query -W -f=FORMAT PKG: "installed" unless PKG is one of *missing*.
    cases = " | ".join(sorted(missing)) or "__none__"
    _stub(bin_dir, "dpkg-query",
          f'for a; do pkg=$a; done\ncase $pkg in {cases}) exit 1;; esac\nprintf installed')
    _stub(bin_dir, "id", f"echo {uid}")
    _stub(bin_dir, "apt-get", f'echo "$*" >> {log}')
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    done = subprocess.run(["bash", str(SCRIPT), mode], env=env, capture_output=True, text=True)
    return done, (log.read_text().splitlines() if log.exists() else [])


def test_nothing_missing_nothing_done(tmp_path):
    done, apt = _run(tmp_path, "test", missing=set(), uid=0)
    assert done.returncode == 0 and done.stdout == "" and apt == []


def test_as_root_installs_exactly_what_is_missing(tmp_path):
    done, apt = _run(tmp_path, "test", missing={"qpdf", "chromium"}, uid=0)
    assert done.returncode == 0, done.stderr
    assert apt[0] == "update -q"
    assert apt[1].split()[-2:] == ["chromium", "qpdf"] and "--no-install-recommends" in apt[1]


def test_run_needs_only_the_venv(tmp_path):
    done, apt = _run(tmp_path, "run", missing={"qpdf", "chromium", "postgresql"}, uid=1000)
    assert done.returncode == 0 and apt == []  # test-only packages do not stop `make run`


@pytest.mark.parametrize("mode", ["run", "test"])
def test_not_root_changes_nothing_and_says_what_to_run(tmp_path, mode):
    done, apt = _run(tmp_path, mode, missing={"python3-venv"}, uid=1000)
    assert done.returncode == 1 and apt == [] and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines == ["缺少系统软件包，请先运行：sudo sh -c 'apt-get update && apt-get install "
                     "-y --no-install-recommends python3-venv'"]


def test_unknown_mode_is_refused(tmp_path):
    done, apt = _run(tmp_path, "all", missing=set(), uid=0)
    assert done.returncode == 2 and "run|test" in done.stderr and apt == []
