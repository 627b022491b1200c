"""The demo loads all or nothing: one database transaction, its files staged.

The demo is built through the real services, and they commit as they go (a
draw, a case action, an upload each commit).  Here those commits become
savepoints inside one outer transaction on one connection, so a failure
anywhere – or a killed process – leaves the database as empty as it was, and
the next ``flask setup`` loads the whole demo again.

The services also write files under ``EVIDENCE_DIR`` (evidence blobs, the
draw pool, dossier PDFs).  While the demo loads, ``EVIDENCE_DIR`` points at a
staging folder inside it (same file system, so a rename moves a file); the
files are moved into place only after the commit.  A failed load deletes the
folder.  A process killed between the commit and the move leaves the folder
behind: the next load finishes the move if the rows are there, and deletes
the folder if they are not.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import orm

from ..extensions import db
from ..models import Enterprise

STAGING = ".demo-staging"
_NOT_MOVED = {".locks", ".partial"}  # per-upload scratch, recreated when needed


class _OneConnection(FlaskSession):
    """Flask-SQLAlchemy's session picks the engine itself; this one always uses
    the connection that holds the outer transaction."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """Run the body as one transaction with its evidence files staged.

    Inside, ``db.session`` is a session whose ``commit()`` only releases a
    savepoint; the outer transaction commits when the body returns, and rolls
    back (staged files deleted) when it raises.
    """
    app = current_app._get_current_object()
    root = Path(app.config["EVIDENCE_DIR"])
    with _exclusive(root):
        recover(root)
        staging = root / STAGING
        staging.mkdir(parents=True)
        db.session.commit()  # what the caller did before stands on its own
        outer, conn = db.session, db.engine.connect()
        restore_sqlite = _explicit_sqlite_transactions(conn)
        session = orm.scoped_session(orm.sessionmaker(
            class_=_OneConnection, db=db, bind=conn, join_transaction_mode="create_savepoint"))
        db.session, app.config["EVIDENCE_DIR"] = session, str(staging)
        try:
            conn.begin()
            yield
            session.commit()  # what the body left pending: its last savepoint
            session.remove()
            conn.commit()
        except BaseException:
            session.remove()
            conn.rollback()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            db.session, app.config["EVIDENCE_DIR"] = outer, str(root)
            restore_sqlite()
            conn.close()
        _move_into_place(staging, root)


def recover(root: Path) -> None:
    """Deal with a staging folder a killed load left: move its files into place
    when the demo's rows committed, else delete it."""
    staging = root / STAGING
    if not staging.exists():
        return
    if db.session.execute(sa.select(Enterprise.id).limit(1)).first():
        _move_into_place(staging, root)
    else:
        shutil.rmtree(staging)


def _move_into_place(staging: Path, root: Path) -> None:
    touched: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(staging):
        dirnames[:] = [d for d in dirnames if d not in _NOT_MOVED]
        for name in filenames:
            if name.endswith(".tmp"):
                continue
            src = Path(dirpath) / name
            dest = root / src.relative_to(staging)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)  # files are fsynced already (files.write_once)
            touched.add(dest.parent)
    for folder in touched:  # the renames themselves survive a power cut
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    shutil.rmtree(staging)


@contextmanager
def _exclusive(root: Path) -> Iterator[None]:
    """One demo load at a time (two `flask setup` started together). The lock is
    on the folder itself, so a load leaves no lock file behind."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _explicit_sqlite_transactions(conn: sa.Connection):
    """pysqlite opens its transaction lazily, at the first INSERT, so a SAVEPOINT
    before it would start – and its RELEASE commit – a transaction of its own.
    On this one connection, the driver's own handling is switched off and BEGIN
    is said outright (SQLAlchemy's documented recipe for SQLite savepoints)."""
    if conn.dialect.name != "sqlite":
        return lambda: None
    dbapi = conn.connection.dbapi_connection
    before = dbapi.isolation_level
    dbapi.isolation_level = None

    @sa.event.listens_for(conn, "begin")
    def _begin(c):
        c.exec_driver_sql("BEGIN")

    def restore() -> None:
        sa.event.remove(conn, "begin", _begin)
        dbapi.isolation_level = before

    return restore
