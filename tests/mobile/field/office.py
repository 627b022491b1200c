"""The bureau's side of the field day, in-process against the loopback server's
SQLite file (the gunicorn workers and this process share it): dispatch the
day's visits, turn an earlier finding into a 复查, withdraw a visit, and read
back exactly what the server holds."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from mobile.core.timefmt import today as bureau_today
from tests.mobile.ui.server import LEAD_CERT, SECOND_CERT, LoopbackServer


class Office:
    def __init__(self, server: LoopbackServer) -> None:
        from server import TestConfig, create_app

        config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
        config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{server.db_path}",
                      EVIDENCE_DIR=str(server.evidence_dir))  # fmt: skip
        self.app = create_app(config)
        self.server = server

    @contextmanager
    def ctx(self) -> Iterator[Any]:
        from server.extensions import db

        with self.app.app_context():
            try:
                yield db
            finally:
                db.session.remove()

    def dispatch(self, n: int, items: int = 3, skip: int = 0) -> list[dict[str, Any]]:
        """*n* visits (one task, one enterprise each, after the first *skip*
        enterprises) for inspector1 + inspector2."""
        from server.models import CheckItem, Enterprise, Inspector, ItemListVersion
        from server.services.dispatch import dispatch_task
        from tests.server import factories as f

        out = []
        with self.ctx() as db:
            team = [db.session.scalar(db.select(Inspector).filter_by(cert_no=c))
                    for c in (LEAD_CERT, SECOND_CERT)]  # fmt: skip
            version = db.session.scalar(
                db.select(ItemListVersion).order_by(ItemListVersion.number.desc())
            )
            codes = tuple(db.session.scalars(
                db.select(CheckItem.code).where(CheckItem.version_id == version.id)
                .order_by(CheckItem.code).limit(items)))  # fmt: skip
            enterprises = db.session.scalars(
                db.select(Enterprise).order_by(Enterprise.id).offset(skip).limit(n)
            ).all()
            assert len(enterprises) == n, "the demo county has too few enterprises"
            task = f.make_sync_task(window_start=bureau_today() - timedelta(days=10),
                                    window_end=bureau_today() + timedelta(days=20))  # fmt: skip
            for ent in enterprises:
                v = f.make_sync_visit(task, team, enterprise=ent, item_version=version,
                                      codes=codes)  # fmt: skip
                out.append({"visit": v.id, "enterprise": ent.name, "codes": codes})
            # Sent out before the week the tablets work in (the server refuses a
            # record dated before its dispatch).
            with f.bureau_day(bureau_today() - timedelta(days=8)):
                dispatch_task(task.task_no, "field-day")
        return out

    def reinspect(self, visit_id: int) -> int:
        """The finding of *visit_id*'s synced record: orders issued, a 复查 scheduled
        and dispatched to the same team. Returns the 复查 visit id."""
        from server.models.case import Case
        from server.services import cases
        from tests.server import factories as f

        # In the office three days ago: after last week's finding, before the
        # tablet's days out (its 复查 record must not predate the 复查 order).
        with self.ctx() as db, f.bureau_day(bureau_today() - timedelta(days=3)):
            cases.ensure_cases()  # the office's case list (opened for every drawn visit)
            case = db.session.scalar(db.select(Case).where(Case.visit_id == visit_id))
            cases.act(case.id, "issue_orders", "dispatcher", "dispatcher")
            cases.act(case.id, "schedule_reinspection", "dispatcher", "dispatcher",
                      due_on=bureau_today() + timedelta(days=5))  # fmt: skip
            case = db.session.get(Case, case.id)
            return case.reinspections[-1].visit_id

    def withdraw(self, visit_id: int, reason: str) -> None:
        from server.services.dispatch import withdraw_visit

        with self.ctx():
            withdraw_visit(visit_id, "dispatcher", reason)

    def held(self) -> dict[str, dict[str, Any]]:
        """Per record uuid the server holds: its visit, versions, current body, and
        whether every blob it names is complete on disk with the right hash."""
        from server.models.sync import Blob, SyncRecord
        from server.services.followup import evidence_path

        out = {}
        with self.ctx() as db:
            for rec in db.session.scalars(db.select(SyncRecord)):
                head = rec.versions[-1]
                body = json.loads(head.body)
                ok = True
                for sha in head.blob_hashes or []:
                    blob = db.session.scalar(db.select(Blob).where(Blob.sha256 == sha))
                    path = evidence_path(sha)
                    ok &= bool(
                        blob
                        and blob.complete
                        and path.is_file()
                        and hashlib.sha256(path.read_bytes()).hexdigest() == sha
                    )
                out[rec.uuid] = {"visit": rec.visit_id, "versions": len(rec.versions),
                                 "body": body, "blobs_ok": ok}  # fmt: skip
        return out
