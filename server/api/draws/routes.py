"""Seed commitments, draws, redraws, adjustments and the exportable record."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response

from ...auth import OFFICE, STAFF, actor_name, roles_required
from ...extensions import db
from ...models import DrawRecord
from ...services import draws as svc
from ...services.draws_adjust import adjust
from ...services.draws_visits import stored_visits
from ...services.plans import get_task
from .. import Blueprint
from .schemas import AdjustmentRequest, CommitmentSchema, DrawRequest, DrawSchema, RecordListItem

blp = Blueprint("draws", __name__, url_prefix="/api/v1", description="双随机抽取与抽取记录")


def _full(rec: DrawRecord) -> dict:
    return {**svc.summary(rec), "stored_visits": stored_visits(rec)}


@blp.route("/tasks/<task_no>/commit", methods=["POST"])
@roles_required(*OFFICE)
@blp.response(200, CommitmentSchema)
def commit(task_no):
    """公布随机种子承诺值（在抽取对象池确定之前）；未使用前重复调用返回同一承诺。"""
    task = svc.commit_seed(get_task(task_no))
    return {"task_no": task.task_no, "seed_commitment": task.seed_commitment,
            "committed_at": task.committed_at}


@blp.route("/tasks/<task_no>/draws", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(DrawRequest)
@blp.response(201, DrawSchema)
@blp.alt_response(422, description="无法满足抽取规则（指明检查对象和规则）；未保存任何结果")
def run_draw(data, task_no):
    rec = svc.run_task_draw(task_no, actor_name(), kind=data["kind"],
                reason=data.get("reason"))
    return _full(rec)


@blp.route("/tasks/<task_no>/draws")
@roles_required(*STAFF)
@blp.response(200, RecordListItem(many=True))
def list_draws(task_no):
    task = get_task(task_no)
    return db.session.execute(sa.select(DrawRecord).where(DrawRecord.task_id == task.id)
                              .order_by(DrawRecord.id)).scalars().all()


@blp.route("/draws/<int:record_id>")
@roles_required(*STAFF)
@blp.response(200, DrawSchema)
def get_draw(record_id):
    return _full(svc.get_record(record_id))


@blp.route("/draws/<int:record_id>/record.json")
@roles_required(*STAFF)
@blp.response(200, content_type="application/json")
def record_file(record_id):
    """抽取记录文件（含对象池快照、种子和结果），可用 flask draw verify 离线核验。"""
    rec = svc.get_record(record_id)
    return Response(svc.export_record(rec), mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename=draw-record-{rec.id}.json"})


@blp.route("/draws/<int:record_id>/adjustments", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(AdjustmentRequest)
@blp.response(201, DrawSchema)
def add_adjustment(data, record_id):
    return _full(adjust(record_id, data, actor_name()))
