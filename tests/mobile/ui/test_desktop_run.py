"""``make app`` on a desktop: the documented window (1280×800, or portrait with
``SUICHA_WINDOW=800x1280``), INFO logs, and no CRITICAL when xclip/xsel are absent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mobile.ui.conftest import ROOT

pytestmark = pytest.mark.ui

SCRIPT = """
import logging
from mobile.app import desktop_window
desktop_window()
from kivy.core.window import Window
from kivy.core.clipboard import CutBuffer  # what a text field loads on a touch
logging.getLogger("urllib3").debug("a request line nobody asked for")
print("SIZE", *Window.size, flush=True)
"""


def _run(xvfb: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, DISPLAY=xvfb, KIVY_HOME=str(tmp_path / "kivy"), KIVY_NO_ARGS="1",
                KIVY_WINDOW="sdl2", KIVY_GL_BACKEND="sdl2", PYTHONPATH=str(ROOT), **env)
    if "SUICHA_WINDOW" not in env:
        full.pop("SUICHA_WINDOW", None)
    return subprocess.run([sys.executable, "-c", SCRIPT], env=full, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("window", "size"), [("", "1280 800"), ("800x1280", "800 1280")],
                         ids=["default", "portrait"])
def test_the_desktop_window_is_the_documented_size(xvfb: str, tmp_path: Path, window: str,
                                                   size: str) -> None:
    env = {"SUICHA_WINDOW": window} if window else {}
    run = _run(xvfb, tmp_path, **env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"SIZE {size}" in run.stdout


def test_the_log_is_info_and_a_missing_clipboard_tool_is_no_alarm(xvfb: str,
                                                                  tmp_path: Path) -> None:
    assert not (shutil.which("xclip") or shutil.which("xsel"))  # as on the tester's machine
    _run(xvfb, tmp_path)  # Kivy's first start writes its config (and says so at DEBUG)
    run = _run(xvfb, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    log = run.stderr
    assert "INFO" in log and "[Cutbuffer   ] no xclip/xsel" in log  # said once, calmly
    assert "CRITICAL" not in log and "FileNotFoundError" not in log, log[-2000:]
    assert "DEBUG" not in log and "a request line nobody asked for" not in log
