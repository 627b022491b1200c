"""The server side of bench/load_tablets.py: gunicorn with the production config in
a process group of its own, started, stopped and restarted (term, hup, kill) on one
port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.harness import free_port, wait_healthy  # noqa: E402

BIN = Path(sys.executable).parent


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py` in production mode on a fixed port."""

    def __init__(self, db_url: str, evidence: Path, log: Path, workers: int) -> None:
        self.port = free_port()
        self.log = log
        self.env = {**os.environ, "SUICHA_ENV": "production", "SECRET_KEY": "b" * 48,
                    "DATABASE_URL": db_url, "EVIDENCE_DIR": str(evidence),
                    "SUICHA_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers),
                    "SUICHA_PROXIES": "0", "PYTHONPATH": str(ROOT)}
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def migrate(self) -> None:
        done = subprocess.run([str(BIN / "flask"), "--app", "server", "db", "upgrade"],
                              env=self.env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode:  # say why: the traceback is in the captured output
            raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-3000:]}")

    def start(self) -> None:
        out = open(self.log, "ab")  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
                                     env=self.env, cwd=ROOT, stdout=out, stderr=out,
                                     start_new_session=True)
        wait_healthy(self.url, self.proc, str(self.log), 60)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def restart(self, how: str) -> float:
        """Restart once; returns seconds until /healthz answered again."""
        t0 = time.monotonic()
        if how == "hup":
            os.kill(self.proc.pid, signal.SIGHUP)  # new workers, old ones finish gracefully
            time.sleep(0.5)
        else:
            self.stop(signal.SIGTERM if how == "term" else signal.SIGKILL)
            self.start()
        return time.monotonic() - t0


