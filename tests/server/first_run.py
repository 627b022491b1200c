"""The real `flask setup` of `make run`, in a subprocess, on a fresh instance.

``fresh_instance`` gives the environment of a new machine's first run (its own
instance folder; on PostgreSQL a new empty database).  ``without_system_fonts``
wraps a command so that it runs in a new mount namespace where every system
font folder is an empty tmpfs: whatever the command draws, it draws with a
font that came with the Python packages, or it fails.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts",
             str(Path.home() / ".fonts"), str(Path.home() / ".local/share/fonts"))
HIDDEN = "SYSTEM-FONTS-HIDDEN"


@dataclass
class Instance:
    root: Path
    env: dict[str, str]
    database_url: str

    @property
    def evidence(self) -> Path:
        return self.root / "evidence"

    def config(self) -> dict:
        return {"SQLALCHEMY_DATABASE_URI": self.database_url, "EVIDENCE_DIR": str(self.evidence),
                "TESTING": True, "SECRET_KEY": "test"}


def fresh_instance(tmp_path: Path, backend: str, pg_server=None) -> Instance:
    root = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items()
           if k not in ("SUICHA_CJK_FONT", "DATABASE_URL", "EVIDENCE_DIR", "SUICHA_ENV")}
    env |= {"FLASK_APP": "server", "SUICHA_INSTANCE": str(root), "PYTHONPATH": str(ROOT)}
    if backend == "sqlite":
        url = f"sqlite:///{root / 'suicha.db'}"
    else:
        name = f"first_run_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(pg_server.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = pg_server.url(name)
        env["DATABASE_URL"] = url
    return Instance(root, env, url)


@pytest.fixture
def instance(backend, tmp_path, request):
    """A fresh machine's instance on the backend under test; its database dropped after."""
    pg = request.getfixturevalue("pg_server") if backend == "postgresql" else None
    inst = fresh_instance(tmp_path, backend, pg)
    yield inst
    if pg is not None:
        name = inst.database_url.rsplit("/", 1)[1]
        with psycopg.connect(pg.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", *args]


def without_system_fonts(cmd: list[str]) -> list[str]:
    """*cmd* in a mount namespace with every system font folder hidden.

    As root (CI) a plain mount namespace; otherwise a user namespace that maps
    the caller to root inside it.  No way to hide them is a failure of the
    test, never a skip: a run that could see the system fonts proves nothing.
    """
    mounts = [f"mount -t tmpfs -o size=64k suicha-no-fonts {shlex.quote(d)}"
              for d in FONT_DIRS if os.path.isdir(d)]
    # Proof from inside, printed before the command runs: no file is left to find.
    check = (f"test -z \"$(find {' '.join(shlex.quote(d) for d in FONT_DIRS)} "
             f"-type f 2>/dev/null | head -1)\" && echo {HIDDEN}")
    script = " && ".join([*mounts, check, 'exec "$@"'])
    ns = (["unshare", "--mount", "--propagation", "private"] if os.geteuid() == 0
          else ["unshare", "--user", "--map-root-user", "--mount"])
    return [*ns, "sh", "-c", script, "sh", *cmd]


def run(cmd: list[str], instance: Instance, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, env=instance.env, capture_output=True, text=True,
                          timeout=timeout)


def files_under(folder: Path | str) -> list[str]:
    """Every file below *folder* (relative paths), hidden ones included."""
    folder = Path(folder)
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
