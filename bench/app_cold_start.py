"""Benchmark: tablet app cold start to the task list with 500 tasks stored.

    .venv/bin/python bench/app_cold_start.py [--repeat 5] [--tasks 500]

Each start is a fresh Python process (a cold start as the inspector sees it):
the time runs from spawning the process until the task list has been drawn
with all tasks loaded (the app reports after its first frame on that screen).
The baseline, measured in the same run under the same X display, is a bare
Kivy app that shows one Label. Needs an X display; starts Xvfb if there is none.
Goal: under 3 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_store(data_dir: Path, tasks: int) -> None:
    """A tablet after enrolment (stored session) and a pull of *tasks* packages."""
    from mobile.core.store import Store
    from tests.mobile.core.conftest import make_package

    store = Store(data_dir)
    store.save_session(server_url="http://127.0.0.1:9", username="inspector1", token="t",
                       role="inspector", inspector={"cert_no": "13080020001", "name": "张三"})
    packages = []
    for n in range(tasks):
        pkg = make_package(f"V-2024-{n:04d}")
        pkg["enterprise"]["name"] = f"承德某化工有限公司{n}"
        pkg["task"]["window_end"] = f"2024-{1 + n % 12:02d}-28"
        pkg["task"]["unannounced"] = n % 7 == 0
        packages.append(pkg)
    store.apply_pull(packages, [], "c1")
    store.close()


def child(kind: str, data_dir: str) -> None:
    """Runs in the measured process: start, draw the first screen, print READY, quit."""
    from kivy.config import Config

    Config.set("graphics", "width", "1280")
    Config.set("graphics", "height", "800")
    from kivy.clock import Clock

    if kind == "bare":
        from kivy.app import App
        from kivy.uix.label import Label

        class Bare(App):
            def build(self) -> Label:
                return Label(text="hello")

        app = Bare()
        ready = lambda: True  # noqa: E731
    else:
        from mobile.app import SuichaApp

        app = SuichaApp(data_dir=Path(data_dir))

        def ready() -> bool:
            screen = app.sm.current_screen
            return screen.name == "tasks" and len(screen.ids.rv.data) > 0

    def check(_dt: float) -> None:
        if ready():
            # one more frame so the list is really drawn, then report
            Clock.schedule_once(lambda dt: (print("READY", flush=True), app.stop()), 0)
        else:
            Clock.schedule_once(check, 0)

    app.bind(on_start=lambda *_: Clock.schedule_once(check, 0))
    app.run()


def measure(kind: str, data_dir: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one cold start. CPU time is
    the figure to trust on a loaded machine; wall time is what the user waits."""
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(data_dir)],
        env=env, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if "READY" not in proc.stdout:
        raise RuntimeError(f"{kind} start failed:\n{proc.stderr[-2000:]}")
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return elapsed, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--tasks", type=int, default=500)
    ap.add_argument("--child", nargs=2, metavar=("KIND", "DATA_DIR"))
    a = ap.parse_args()
    if a.child:
        child(*a.child)
        return
    tmp = Path(tempfile.mkdtemp(prefix="suicha-coldstart-"))
    xvfb = None
    env = {**os.environ, "KIVY_NO_ARGS": "1", "KIVY_NO_CONSOLELOG": "1",
           "KIVY_HOME": str(tmp / "kivy"), "SUICHA_AUTO_SYNC_SECONDS": "0",
           "PYTHONPATH": str(ROOT)}
    try:
        if not os.environ.get("DISPLAY"):
            read, write = os.pipe()
            xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                                     "1280x800x24", "-nolisten", "tcp"], pass_fds=(write,),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.close(write)
            with os.fdopen(read) as f:
                env["DISPLAY"] = ":" + f.readline().strip()
        make_store(tmp / "tablet", a.tasks)
        measure("bare", tmp / "tablet", env)  # warm the OS file cache for both sides
        bare, app = [], []
        for _ in range(a.repeat):  # interleaved, so drift hits both alike
            bare.append(measure("bare", tmp / "tablet", env))
            app.append(measure("app", tmp / "tablet", env))
        mb, ma = (statistics.median(w for w, _ in runs) for runs in (bare, app))
        cb, ca = (statistics.median(c for _, c in runs) for runs in (bare, app))
        print(f"tasks stored:            {a.tasks}   (load average {os.getloadavg()[0]:.1f},"
              f" {os.cpu_count()} CPUs)")
        print(f"bare Kivy window start:  median {mb:.2f} s wall, {cb:.2f} s CPU  (wall runs: "
              + ", ".join(f"{w:.2f}" for w, _ in bare) + ")")
        print(f"app start to task list:  median {ma:.2f} s wall, {ca:.2f} s CPU  (wall runs: "
              + ", ".join(f"{w:.2f}" for w, _ in app) + ")")
        print(f"ratio app / bare:        {ma / mb:.2f}x wall, {ca / cb:.2f}x CPU")
        print(f"goal < 3 s (wall):       {'met' if ma < 3 else 'NOT met'}")
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
