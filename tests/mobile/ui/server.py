"""The real server on loopback for the UI tests: ``flask setup`` (demo county with
users inspector1..4, password suicha2024), then one drawn task dispatched to a
team led by inspector1. Built on ``tests/integration/harness.ServerProcess``
(gunicorn on a SQLite file), so stopping and restarting it keeps its data."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests

from mobile.core.timefmt import today as bureau_today
from tests.integration.harness import BIN, ROOT, ServerProcess

USERNAME, PASSWORD = "inspector1", "suicha2024"
LEAD_CERT, SECOND_CERT = "14042800001", "14042800002"  # inspector1, inspector2 (demo data)
ITEMS_PER_VISIT = 4


class LoopbackServer(ServerProcess):
    def setup(self) -> None:
        subprocess.run(
            [str(BIN / "flask"), "setup"], env=self.env, cwd=ROOT, check=True, capture_output=True
        )

    def dispatch_demo_task(self) -> list[dict[str, Any]]:
        """Two visits for inspector1 + inspector2 (one of them unannounced), dispatched."""
        from server import TestConfig, create_app
        from server.extensions import db
        from server.models import CheckItem, Enterprise, Inspector, ItemListVersion
        from server.services.dispatch import dispatch_task
        from tests.server import factories as f

        config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
        config.update(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{self.db_path}",
            EVIDENCE_DIR=str(self.evidence_dir),
        )
        app = create_app(config)
        out = []
        with app.app_context():
            team = [
                db.session.scalar(db.select(Inspector).filter_by(cert_no=c))
                for c in (LEAD_CERT, SECOND_CERT)
            ]
            version = db.session.scalar(
                db.select(ItemListVersion).order_by(ItemListVersion.number.desc())
            )
            codes = tuple(
                db.session.scalars(
                    db.select(CheckItem.code)
                    .where(CheckItem.version_id == version.id)
                    .order_by(CheckItem.code)
                    .limit(ITEMS_PER_VISIT)
                )
            )
            enterprises = db.session.scalars(db.select(Enterprise).limit(2)).all()
            for unannounced, ent in zip((False, True), enterprises, strict=True):
                # 检查时限 open today (starting outside it asks first)
                task = f.make_sync_task(unannounced=unannounced,
                                        window_start=bureau_today() - timedelta(days=5),
                                        window_end=bureau_today() + timedelta(days=25))
                f.make_sync_visit(task, team, enterprise=ent, item_version=version, codes=codes)
                dispatch_task(task.task_no, "ui-test")
                out.append({"task_no": task.task_no, "enterprise": ent.name, "codes": codes})
            db.session.remove()
            db.engine.dispose()
        return out

    def record_status(self, uuid: str) -> dict[str, Any]:
        """``GET /api/v1/records/<uuid>`` as inspector1 (what the server holds)."""
        token = requests.post(
            self.url + "/api/v1/auth/token",
            json={"username": USERNAME, "password": PASSWORD, "device_id": "ui-test-checker"},
            timeout=10,
        ).json()["token"]
        resp = requests.get(
            f"{self.url}/api/v1/records/{uuid}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        resp.raise_for_status()
        return resp.json()


def start_server(where: Path) -> LoopbackServer:
    server = LoopbackServer(where, workers=1)
    server.setup()
    server.dispatch_demo_task()
    server.start()
    return server
