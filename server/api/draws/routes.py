"""Seed commitments, draws, redraws, adjustments and the exportable record."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response

from ...auth import OFFICE, RECORD_READERS, STAFF, actor_name, roles_required
from ...extensions import db
from ...models import DrawRecord
from ...services import draw as svc
from ...services.plans import get_task
from .. import Blueprint
from .schemas import (
    AdjustmentRequest,
    AttemptSchema,
    AttemptsSchema,
    DrawRequest,
    DrawSchema,
    FreezeRequest,
    Problem,
    RecordListItem,
    RulesRequest,
    SpecialtyRequest,
)

blp = Blueprint("draws", __name__, url_prefix="/api/v1", description="双随机抽取与抽取记录")


def _full(rec: DrawRecord) -> dict:
    return {**svc.summary(rec), "stored_visits": svc.stored_visits(rec)}


@blp.route("/tasks/<task_no>/freezes", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(FreezeRequest)
@blp.response(201, AttemptSchema)
@blp.alt_response(422, description="冻结被拒绝：列出每个不满足规则的检查对象及规则；未保存任何内容")
def freeze(data, task_no):
    """冻结：快照名录库和规则并检查，公布快照哈希、种子承诺值和将使用的未来公共随机数。"""
    f = svc.freeze_task(task_no, actor_name(), kind=data["kind"],
              reason=data.get("reason"), source=data.get("source"),
              lottery={"draw_no": data.get("lottery_draw"), "draw_time": data.get("lottery_time")})
    return svc.freeze_summary(f)


@blp.route("/tasks/<task_no>/check")
@roles_required(*STAFF)
@blp.response(200, Problem(many=True))
def check(task_no):
    """按名录库现状检查规则（不冻结）：列出每个无法满足规则的检查对象。"""
    return svc.check_task(task_no)


@blp.route("/tasks/<task_no>/attempts")
@roles_required(*STAFF)
@blp.response(200, AttemptsSchema)
def attempts(task_no):
    """每一次冻结与抽取尝试，含失败和作废的（公开任务页同样列出）。"""
    return svc.attempts(task_no)


@blp.route("/tasks/<task_no>/rules", methods=["PATCH"])
@roles_required(*OFFICE)
@blp.arguments(RulesRequest)
@blp.response(200)
def set_rules(data, task_no):
    """修改任务的抽取规则（须说明理由，记入计划变更记录）；已冻结的抽取不受影响。"""
    task = svc.set_rules(task_no, data["rules"], actor_name(), data["reason"])
    return {"task_no": task.task_no, "rules": svc.effective_rules(task.rules)}


@blp.route("/tasks/<task_no>/draws", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(DrawRequest)
@blp.response(201, DrawSchema)
@blp.alt_response(409, description="没有待抽取的冻结，或约定的公共随机数尚未公布")
@blp.alt_response(422, description="公共随机数未通过核验（未抽取），或抽取失败（已记录并公开）")
def run_draw(data, task_no):
    """用冻结时约定的公共随机数抽取（drand轮次可粘贴，或由服务器获取）。"""
    given = data.get("beacon") or ({"numbers": data["numbers"]} if data.get("numbers") else None)
    return _full(svc.draw_frozen(task_no, actor_name(), beacon=given))


@blp.route("/tasks/<task_no>/draws")
@roles_required(*STAFF)
@blp.response(200, RecordListItem(many=True))
def list_draws(task_no):
    task = get_task(task_no)
    return db.session.execute(sa.select(DrawRecord).where(DrawRecord.task_id == task.id)
                              .order_by(DrawRecord.id)).scalars().all()


@blp.route("/draws/<int:record_id>")
@roles_required(*RECORD_READERS)
@blp.response(200, DrawSchema)
def get_draw(record_id):
    return _full(svc.get_record(record_id))


@blp.route("/draws/<int:record_id>/record.json")
@roles_required(*RECORD_READERS)
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
    return _full(svc.adjust(record_id, data, actor_name()))


@blp.route("/specialties")
@roles_required(*STAFF)
@blp.response(200)
def specialties():
    """专家专业对照表：专业（填写原文）→ 涵盖的行业代码。"""
    return svc.specialty_map()


@blp.route("/specialties/<word>", methods=["PUT"])
@roles_required(*OFFICE)
@blp.arguments(SpecialtyRequest)
@blp.response(200)
def set_specialty(data, word):
    """设置一个专业涵盖的行业（空列表：删除该专业的对照）；此后的冻结按此抽取专家。"""
    svc.set_specialty(word, data["industries"], actor_name())
    return svc.specialty_map()
