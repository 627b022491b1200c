"""Fixtures for the UI tests: an X server (Xvfb), and running the real app.

Each app run is its own process (``driver.py``) on a data directory the test
keeps, so "restart the app" is what it is on a tablet: a new process on the
same files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[3]
SHOTS_ENV = "SUICHA_SCREENSHOTS"  # set to docs/img to refresh the documentation pictures


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """A virtual X display; yields its DISPLAY value."""
    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1280x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    if not number:
        proc.kill()
        pytest.fail("Xvfb did not start")
    yield f":{number}"
    proc.terminate()
    proc.wait(10)


class AppRunner:
    """Starts the app on one data directory, driven through named steps."""

    def __init__(self, display: str, tmp: Path, shots: Path) -> None:
        self.display, self.tmp, self.shots = display, tmp, shots
        self.data_dir = tmp / "tablet"
        self.runs = 0

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DISPLAY=self.display,
            KIVY_NO_ARGS="1",
            KIVY_NO_CONSOLELOG="1",
            KIVY_HOME=str(self.tmp / "kivy-home"),
            KIVY_WINDOW="sdl2",
            KIVY_GL_BACKEND="sdl2",
            SUICHA_SYNC_BASE_DELAY="0.02",
            SUICHA_AUTO_SYNC_SECONDS="0",
            PYTHONPATH=str(ROOT),
        )
        env.pop("SUICHA_DATA_DIR", None)
        env.update(extra)
        return env

    def run(self, *steps: str, expect_exit: int = 0, **args: Any) -> dict[str, Any]:
        self.runs += 1
        out = self.tmp / f"run-{self.runs}.json"
        payload = {
            "steps": list(steps),
            "out": str(out),
            "data_dir": str(self.data_dir),
            "shots": str(self.shots),
            **args,
        }
        proc = subprocess.run(
            [sys.executable, "-m", "tests.mobile.ui.driver"],
            env=self.env(SUICHA_DRIVER=json.dumps(payload, ensure_ascii=False)),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=int(os.environ.get("SUICHA_APP_TIMEOUT", "600")),
        )
        if expect_exit != 0:
            assert proc.returncode == expect_exit, proc.stderr[-3000:]
            return {}
        result = json.loads(out.read_text()) if out.exists() else {}
        assert proc.returncode == 0 and result.get("ok"), (
            f"app run {steps} failed (exit {proc.returncode}): {result.get('error')}\n"
            f"on screen {result.get('screen')}\n{proc.stderr[-3000:]}"
        )
        return result


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: ``$SUICHA_SCREENSHOTS`` (e.g. docs/img) or a temp dir."""
    where = os.environ.get(SHOTS_ENV)
    return (ROOT / where) if where else tmp_path / "shots"


@pytest.fixture
def app_runner(xvfb: str, tmp_path: Path, shots: Path) -> AppRunner:
    return AppRunner(xvfb, tmp_path, shots)


def make_photo(path: Path, size: tuple[int, int] = (1600, 1200), hue: int = 0) -> Path:
    """A JPEG 'photo' of a storeroom (a gradient with shapes, so it compresses like one)."""
    im = Image.new("RGB", size, (90 + hue, 110, 130))
    draw = ImageDraw.Draw(im)
    for i in range(0, size[0], 40):
        draw.line((i, 0, size[0] - i, size[1]), fill=(200, 180 - hue, 60 + i % 120), width=6)
    draw.rectangle((size[0] // 4, size[1] // 3, size[0] // 2, size[1] * 2 // 3), fill=(40, 40, 40))
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "JPEG", quality=88)
    return path
