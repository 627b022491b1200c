"""Seed for bench/load_tablets.py: inspector accounts ``tablet<i>`` and one dispatched
task whose visits are led by tablet i (tablet i+1 second member), on any database URL."""

from __future__ import annotations

PASSWORD = "tablet-pass-1"


def seed(db_url: str, evidence: str, tablets: int, visits_per_tablet: int) -> None:
    from server import TestConfig, create_app
    from server.extensions import db
    from tests.server import factories as f

    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=db_url, EVIDENCE_DIR=evidence)
    app = create_app(config)
    with app.app_context():
        f.make_tablet_fleet(tablets, visits_per_tablet, password=PASSWORD, name="压测企业",
                            actor="load")
        # Statistics, as a database in service has them (autovacuum; our imports
        # ANALYZE): without them PostgreSQL plans the first pulls blind.
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
