"""Console: one enterprise – its registry entry (view, edit, add, record 停产/注销),
its inspections and the way to its 一企一档.

Every change is written to the audit log with the values before and after.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for

from shared.enums import EnterpriseStatus, Industry, RiskLevel, Role, Scale
from shared.text import clean_name
from shared.uscc import uscc_error

from ..extensions import db
from ..models import AuditLog, Enterprise
from ..models.case import Case
from .console import bp, login_required
from .form_text import day_problem

STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)
EDITORS = (Role.ADMIN, Role.DISPATCHER)
# (attribute, label, max length or enum) of what the form edits.
FIELDS: tuple[tuple[str, str, Any], ...] = (
    ("name", "单位名称", 200), ("industry", "行业领域", Industry), ("street", "属地", 64),
    ("affiliation", "隶属关系", 64), ("address", "地址", 300), ("legal_rep", "法定代表人", 64),
    ("contact", "联系人", 64), ("phone", "联系电话", 32), ("scale", "规模", Scale),
    ("risk_level", "安全风险等级", RiskLevel), ("license_no", "许可证号", 64),
)
ENUMS = {"industry": Industry, "scale": Scale, "risk_level": RiskLevel,
         "status": EnterpriseStatus}


class FormError(ValueError):
    pass


def _values(form) -> dict[str, Any]:
    """The form's values, checked; a FormError names the first bad field in Chinese."""
    out: dict[str, Any] = {}
    for attr, label, rule in FIELDS:
        raw = clean_name(form.get(attr, ""))
        if isinstance(rule, int):
            if len(raw) > rule:
                raise FormError(f"{label}不能超过{rule}字")
            out[attr] = raw or None
        else:
            if raw and raw not in {m.value for m in rule}:
                raise FormError(f"{label}取值无效")
            out[attr] = raw or None
    if not out["name"]:
        raise FormError("单位名称不能为空")
    if not out["industry"]:
        raise FormError("请选择行业领域")
    expiry = form.get("license_expiry", "").strip()
    try:
        out["license_expiry"] = date.fromisoformat(expiry) if expiry else None
    except ValueError:
        raise FormError(day_problem(expiry, "许可证有效期")) from None
    return out


def _audit(action: str, ent: Enterprise, before: dict | None, after: dict) -> None:
    db.session.add(AuditLog(actor=g.user.username, action=action, entity="enterprise",
                            entity_key=ent.uscc, before=before, after=after, source="console"))


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _get(enterprise_id: int) -> Enterprise:
    ent = db.session.get(Enterprise, enterprise_id)
    if ent is None:
        abort(404, description="该企业不在名录库中")
    return ent


def _page(ent: Enterprise | None, values: dict | None = None, status: int = 200):
    cases = [] if ent is None else list(db.session.scalars(
        sa.select(Case).where(Case.enterprise_id == ent.id).order_by(Case.id.desc()).limit(50)))
    choices = {k: [(m.value, m.label) for m in e] for k, e in ENUMS.items()}
    from ..services.cases import STATES
    from ..services.deadlines import bureau_today

    return render_template("console/enterprise.html", e=ent, cases=cases, fields=FIELDS,
                           values=values or {}, choices=choices, enums=ENUMS,
                           case_states=STATES, today_=bureau_today(),
                           can_edit=g.user.role in {r.value for r in EDITORS}), status


@bp.route("/enterprises/<int:enterprise_id>")
@login_required(*STAFF)
def enterprise(enterprise_id: int):
    return _page(_get(enterprise_id))


@bp.route("/enterprises/<int:enterprise_id>", methods=["POST"])
@login_required(*EDITORS)
def enterprise_edit(enterprise_id: int):
    ent = _get(enterprise_id)
    try:
        values = _values(request.form)
    except FormError as exc:
        flash(f"未保存：{exc}")
        return _page(ent, request.form, 422)
    before = {k: getattr(ent, k) for k in values}
    changed = {k: v for k, v in values.items() if before[k] != v}
    if changed:
        for k, v in changed.items():
            setattr(ent, k, v)
        _audit("update", ent, _jsonable({k: before[k] for k in changed}), _jsonable(changed))
        db.session.commit()
        flash("已保存：" + "、".join(label for a, label, _ in FIELDS if a in changed))
    else:
        flash("没有修改")
    return redirect(url_for("console.enterprise", enterprise_id=ent.id))


@bp.route("/enterprises/<int:enterprise_id>/status", methods=["POST"])
@login_required(*EDITORS)
def enterprise_status(enterprise_id: int):
    """停产、关闭、注销 (or back to 正常): the draw excludes such units with the reason."""
    ent = _get(enterprise_id)
    status = request.form.get("status", "")
    reason = clean_name(request.form.get("reason"))
    if status not in {m.value for m in EnterpriseStatus}:
        flash("经营状态取值无效")
    elif not reason:
        flash("变更经营状态须说明依据（如停产通知、注销公告）")
    elif status != ent.status:
        before = ent.status
        ent.status = status
        _audit("update", ent, {"status": before}, {"status": status, "reason": reason})
        db.session.commit()
        flash(f"经营状态已改为“{EnterpriseStatus(status).label}”")
    return redirect(url_for("console.enterprise", enterprise_id=ent.id))


@bp.route("/enterprises/new", methods=["GET", "POST"])
@login_required(*EDITORS)
def enterprise_new():
    if request.method == "GET":
        return _page(None)
    try:
        values = _values(request.form)
        uscc = clean_name(request.form.get("uscc")).upper()
        problem = uscc_error(uscc)
        if problem:
            raise FormError(f"统一社会信用代码：{problem}")
        if db.session.scalar(sa.select(Enterprise.id).where(Enterprise.uscc == uscc)):
            raise FormError(f"统一社会信用代码{uscc}已在名录库中")
    except FormError as exc:
        flash(f"未添加：{exc}")
        return _page(None, request.form, 422)
    ent = Enterprise(uscc=uscc, registries=[], special_work=[], **values)
    db.session.add(ent)
    db.session.flush()
    _audit("create", ent, None, _jsonable({"uscc": uscc, **values}))
    db.session.commit()
    flash(f"已添加：{ent.name}")
    return redirect(url_for("console.enterprise", enterprise_id=ent.id))
