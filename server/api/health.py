"""Liveness and readiness: the database answers."""

import sqlalchemy as sa

from ..auth import public
from ..extensions import db
from . import Blueprint

blp = Blueprint("health", __name__, description="健康检查")


@blp.route("/healthz")
@public
@blp.doc(security=[])
def healthz():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok", "database": db.engine.dialect.name}
