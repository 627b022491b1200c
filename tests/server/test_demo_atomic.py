"""The demo loads all or nothing: a failure anywhere leaves no row and no file, and
the next run loads the whole demo; a killed load is cleaned up (or finished) by
the next `flask setup`."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server import create_app
from server.extensions import db
from server.models import Blob, DossierVersion, DrawPool
from server.models.case import Case
from server.services import cases, demo_atomic, dossiers
from server.services.demo_data import load_demo
from server.services.draw import pools as draw_pools
from server.services.sync import blobs
from tests.server.first_run import files_under, flask, instance, run  # noqa: F401


def _rows() -> dict[str, int]:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables}


def _fail_midway(monkeypatch):
    """After the draw, the dispatch and the tablet's upload (photos on disk)."""
    real = cases.act

    def act(case_id, action, *args, **kwargs):
        if action == "schedule_reinspection":
            raise RuntimeError("故障注入：安排复查时失败")
        return real(case_id, action, *args, **kwargs)

    monkeypatch.setattr(cases, "act", act)


def _fail_at_the_end(monkeypatch):
    """After the archive: every row and every file of the demo has been written."""
    real = dossiers.archive

    def archive(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("故障注入：归档之后失败")

    monkeypatch.setattr(dossiers, "archive", archive)


def _referenced_files_exist() -> None:
    """Every file a row names is in place (blobs, the draw pool, dossier PDFs)."""
    for sha in db.session.scalars(sa.select(Blob.sha256).where(Blob.complete)):
        assert blobs.blob_path(sha).is_file(), sha
    for pool in db.session.scalars(sa.select(DrawPool.pool_hash)):
        assert draw_pools.pool_path(pool).is_file(), pool
    for sha in db.session.scalars(sa.select(DossierVersion.pdf_sha256)):
        assert (dossiers.dossier_dir() / sha[:2] / f"{sha}.pdf").is_file(), sha


@pytest.mark.parametrize("inject", [_fail_midway, _fail_at_the_end])
def test_failed_load_leaves_nothing_and_the_next_loads_everything(ctx, monkeypatch, inject):
    ctx.config["DEMO_CASES"] = True
    evidence = ctx.config["EVIDENCE_DIR"]
    inject(monkeypatch)
    with pytest.raises(RuntimeError, match="故障注入"):
        load_demo()
    assert ctx.config["EVIDENCE_DIR"] == evidence  # the staging folder is forgotten
    db.session.rollback()
    assert set(_rows().values()) == {0}, {k: v for k, v in _rows().items() if v}
    assert files_under(ctx.config["EVIDENCE_DIR"]) == []

    monkeypatch.undo()
    counts = load_demo()
    case = db.session.get(Case, counts["archived_case"])
    assert case.state == "archived" and counts["enterprises"] > 100
    _referenced_files_exist()
    assert not any(f.startswith(".demo-staging") for f in files_under(evidence))


# A killed process: the transaction never commits, or commits and the process dies
# before the files are moved into place.
_KILL = {
    "before_commit": "from server.services import dossiers as m; name = 'archive'",
    "after_commit": "from server.services import demo_atomic as m; name = '_move_into_place'",
}


@pytest.mark.parametrize("moment", sorted(_KILL))
def test_killed_load_is_cleaned_up_by_the_next_setup(instance, moment):  # noqa: F811
    code = (f"import os, sys; {_KILL[moment]}\n"
            "real = getattr(m, name)\n"
            "def die(*a, **k):\n"
            "    if name == 'archive': real(*a, **k)\n"  # the dossier PDF is written first
            "    os._exit(9)\n"
            "setattr(m, name, die)\n"
            "from flask.cli import main; sys.argv = ['flask', 'setup']; main()")
    killed = run([flask()[0], "-c", code], instance)
    assert killed.returncode == 9, killed.stderr
    staged = files_under(instance.evidence / demo_atomic.STAGING)
    assert any(f.startswith("dossiers/") for f in staged)  # the files wait there
    outside = [f for f in files_under(instance.evidence) if not f.startswith(".demo-staging")]
    assert outside == []

    app = create_app(instance.config())
    with app.app_context():
        loaded = db.session.scalar(sa.select(sa.func.count(Case.id)))
        assert loaded == (1 if moment == "after_commit" else 0)
        if moment == "before_commit":
            assert set(_rows().values()) == {0}
        db.engine.dispose()

    done = run(flask("setup"), instance)
    assert done.returncode == 0, done.stderr
    assert ("已载入演示数据" in done.stdout) == (moment == "before_commit")
    assert not (instance.evidence / demo_atomic.STAGING).exists()
    with app.app_context():
        case = db.session.scalars(sa.select(Case)).one()
        assert case.state == "archived"
        _referenced_files_exist()
        db.engine.dispose()
