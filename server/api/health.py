"""Liveness and readiness: the database answers."""

import sqlalchemy as sa
from marshmallow import Schema, fields

from ..auth import public
from ..extensions import db
from . import Blueprint

blp = Blueprint("health", __name__, description="健康检查")


class Health(Schema):
    status = fields.String(metadata={"example": "ok"})
    database = fields.String(metadata={"example": "postgresql"})


@blp.route("/healthz")
@public
@blp.response(200, Health)
@blp.doc(security=[])
def healthz():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok", "database": db.engine.dialect.name}
