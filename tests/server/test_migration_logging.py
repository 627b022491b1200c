"""Running the migrations inside the app's process (``flask setup``, the tests)
must not silence the app's own logger: alembic's ``fileConfig`` disables every
logger that exists when it runs unless told not to, and a draw refusal's
technical detail, logged by the app afterwards, was lost."""

from __future__ import annotations

import logging

from server import create_app
from server.extensions import db


def test_the_app_logger_still_logs_after_the_migrations_ran(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db",
                      "EVIDENCE_DIR": str(tmp_path / "ev")})
    app.logger.info("before")  # the logger exists before alembic configures logging
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.remove()
        db.engine.dispose()
    assert not app.logger.disabled
    seen: list[str] = []
    catcher = logging.Handler()
    catcher.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger().addHandler(catcher)  # where a deployment's handlers sit
    try:
        app.logger.warning("抽取：公共随机数被拒绝（测试）")
    finally:
        logging.getLogger().removeHandler(catcher)
    assert seen == ["抽取：公共随机数被拒绝（测试）"]
