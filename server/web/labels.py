"""What people read instead of codes: event and record kinds, and a person's
name (姓名) instead of a login name, for every console and public page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g

from shared.devices import device_number
from shared.enums import Role

from ..extensions import db
from ..localtime import SECONDS, local_time
from ..models import User

# CaseEvent.action (server/services/cases.py, dossiers.py) → 办理过程 wording.
EVENT_ACTIONS = {
    "open": "生成检查对象", "notify": "派发告知", "inspect": "现场检查",
    "issue_orders": "下达整改指令", "report_rectification": "登记企业整改报告",
    "schedule_reinspection": "安排复查", "reinspect": "复查", "close": "销号办结",
    "escalate": "转立案处罚/移送", "review_requested": "提请法制审核",
    "review_rejected": "法制审核退回", "cancel": "撤销", "withdraw": "撤回派发",
    "archive": "归档", "correct": "案卷更正", "late_amendment": "归档后收到补充记录",
    "penalty_decided": "作出处罚决定", "penalty_executed": "处罚执行完毕",
    "transfer_received": "移送回执",
}
DRAW_KINDS = {"draw": "抽取", "redraw": "重新抽取", "adjustment": "调整",
              "reinspection": "复查指派"}
PLAN_STATUS = {"published": "已发布", "changed": "已变更待重新发布", "draft": "草稿"}
HAZARD_STATUS = {"open": "未整改", "rectified": "已整改销号", "fixed_on_site": "当场整改",
                 "escalated": "已转处罚/移送"}
SYSTEM = "系统"


def _people() -> dict[str, str]:
    """login name → what a person reads (姓名, else the role), once per request."""
    if "people" not in g:
        rows = db.session.execute(sa.select(User.username, User.display_name, User.role)).all()
        g.people = {u: (name or Role(role).label) for u, name, role in rows}
    return g.people


def person(actor: str | None) -> str:
    """A person's name for a stored actor (a login name, "system", or already a name)."""
    if not actor:
        return ""
    if actor == "system":
        return SYSTEM
    found = _people().get(actor)
    if found:
        return found
    # Not an account: a name recorded as such, or a setup/import step ("demo").
    return actor if not actor.isascii() else SYSTEM


def algorithm(code: str | None) -> str:
    """``suicha-draw/1`` → 随查抽取算法第1版 (the record keeps the code)."""
    name, _, version = (code or "").partition("/")
    if name == "suicha-draw" and version:
        return f"随查抽取算法第{version}版"
    return code or ""


def share(value: str | float | None) -> str:
    """A stratum's ratio (``0.5``, ``1/3``) as a percentage: 50%, 33.3%."""
    from fractions import Fraction

    try:
        pct = float(Fraction(str(value))) * 100
    except (TypeError, ValueError, ZeroDivisionError):
        return str(value or "")
    return f"{pct:.1f}".rstrip("0").rstrip(".") + "%"


def stratum(key: str) -> str:
    return "全部对象" if key in ("*", "") else f"{key}类"


def item_names(version: int | None, codes) -> list[str]:
    """Check items by name (a code only if the list version lacks it)."""
    from ..services.publication import ItemNames

    if "item_names" not in g:
        g.item_names = ItemNames()
    codes = list(codes or [])
    names = g.item_names(version, codes)
    return [names.get(c, c) for c in codes]


def tablet(device_id: str, owner: str | None = None,
           numbers: dict[str, str] | None = None) -> str:
    """马敏志的平板（编号 F9DC）.  ``numbers`` (shared.devices.device_numbers of the
    listed tablets) lengthens a number two listed tablets would share."""
    number = (numbers or {}).get(device_id) or device_number(device_id)
    return f"{owner}的平板（编号 {number}）" if owner else f"平板（编号 {number}）"


def register(app) -> None:
    app.add_template_filter(tablet, "tablet")
    app.add_template_global(item_names, "item_names")
    app.add_template_filter(algorithm, "algorithm")
    app.add_template_filter(share, "share")
    app.add_template_filter(stratum, "stratum")
    app.add_template_filter(lambda v: local_time(v), "dt")
    app.add_template_filter(lambda v: local_time(v, SECONDS), "dts")
    app.add_template_filter(person, "person")
    app.add_template_filter(lambda c: EVENT_ACTIONS.get(c, c), "event_action")
    app.add_template_filter(lambda c: DRAW_KINDS.get(c, c), "draw_kind")
    app.add_template_filter(lambda c: PLAN_STATUS.get(c, c), "plan_status")
    app.add_template_filter(lambda c: HAZARD_STATUS.get(c, c), "hazard_status")
