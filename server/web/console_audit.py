"""Console: the audit log (who changed what, when, before → after), read-only.

Field names and coded values are shown by their Chinese labels; the stored rows
are never changed (models/audit.py refuses updates and deletes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import render_template, request

from shared import enums
from shared.enums import Role

from ..localtime import bureau_tz, local_time
from ..models import AuditLog
from ..services.registry_io import SPECS
from . import add_nav
from .console import bp, login_required
from .labels import person
from .listing import ordered, paged, search, wants_export, xlsx

ENTITIES = {"enterprise": "企业", "enterprises": "企业", "inspector": "执法人员",
            "expert": "专家", "item": "检查事项", "plan": "抽查计划", "task": "抽查任务",
            "users": "用户", "publication_result": "公开结果"}
ACTIONS = {"create": "新增", "update": "修改", "delete": "删除"}
FIELDS = {c.attr: c.header for spec in SPECS.values() for c in spec.columns} | {
    "display_name": "姓名", "role": "角色", "inspector": "执法证号", "active": "启用",
    "password": "密码", "tokens_revoked": "吊销平板令牌数", "status": "状态", "reason": "依据",
    "name": "名称", "year": "年度", "republished": "重新发布", "outcome": "检查结果",
    "review_note": "审核意见", "reviewed_by": "审核人", "note": "说明", "plan_no": "计划编号",
    "blacklisted": "黑名单", "rules": "抽取规则", "window_start": "开始日期",
    "window_end": "结束日期", "draw_type": "抽查类型", "ratio": "抽查比例",
}
# Every coded value of shared/enums.py by its label (credit classes stay A–D).
VALUES = {m.value: m.label for e in vars(enums).values()
          if isinstance(e, type) and issubclass(e, enums.LabeledEnum) and e is not enums.LabeledEnum
          for m in e} | {
    "published": "已发布", "changed": "已变更待重新发布", "draft": "草稿",
    "no_problem": "未发现问题", "corrected": "责令改正", "pending": "待审核",
    "penalty": "立案处罚"}
SORTS = {"at": AuditLog.at, "actor": AuditLog.actor, "entity": AuditLog.entity}


def _value(v: Any) -> str:
    if v is None or v == "":
        return "（空）"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, list):
        return "、".join(_value(x) for x in v) or "（空）"
    if isinstance(v, dict):
        return "；".join(f"{FIELDS.get(k, '其他')}：{_value(x)}" for k, x in v.items())
    return VALUES.get(v, str(v)) if isinstance(v, str) else str(v)


def changes(row: AuditLog) -> list[tuple[str, str, str]]:
    """[(field label, before, after)] of one entry."""
    before, after = row.before or {}, row.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(FIELDS.get(k, "其他字段"), _value(before.get(k)) if k in before else "",
             _value(after.get(k)) if k in after else "") for k in keys]


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _utc(day: date) -> datetime:
    """Midnight of a bureau day, as the naive UTC the log stores."""
    local = datetime.combine(day, time.min, tzinfo=bureau_tz())
    return local.astimezone(UTC).replace(tzinfo=None)


def _query(args) -> sa.Select:
    query = sa.select(AuditLog)
    if args.get("entity") in ENTITIES:
        query = query.where(AuditLog.entity == args["entity"])
    if args.get("action") in ACTIONS:
        query = query.where(AuditLog.action == args["action"])
    if args.get("q"):
        query = query.where(search((AuditLog.entity_key, AuditLog.actor, AuditLog.source),
                                   args["q"]))
    start, end = _day("from"), _day("to")
    if start:
        query = query.where(AuditLog.at >= _utc(start))
    if end:
        query = query.where(AuditLog.at < _utc(end + timedelta(days=1)))
    return query


@bp.route("/audit")
@login_required(Role.ADMIN, Role.REVIEWER)
def audit():
    query = _query(request.args)
    if wants_export():
        rows = ordered(query, SORTS, "-at", AuditLog.id)
        from ..extensions import db

        header = ["时间", "操作人", "对象", "编号", "操作", "字段", "原值", "新值", "来源"]
        return xlsx("操作日志", header,
                    ([local_time(r.at), person(r.actor), ENTITIES.get(r.entity, r.entity),
                      r.entity_key, ACTIONS.get(r.action, r.action), f, b, a, r.source or ""]
                     for r in db.session.scalars(rows) for f, b, a in changes(r) or [("", "", "")]))
    page = paged(query, SORTS, "-at", AuditLog.id)
    return render_template("console/audit.html", p=page, args=request.args, changes=changes,
                           entities=[(k, v) for k, v in ENTITIES.items() if k != "enterprises"],
                           actions=list(ACTIONS.items()), entity_label=ENTITIES,
                           action_label=ACTIONS)


add_nav("console.audit", "操作日志", Role.ADMIN, Role.REVIEWER)
