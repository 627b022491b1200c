"""Lifecycle states as string enums, each with the Chinese label people read.

The database and the API store the code; the console, the documents and the
tablet show the label. One place, so a state added on the server is a state
the tablet and the public pages can name (no ``open`` or ``redraw`` leaking
onto a screen).
"""

from __future__ import annotations

from shared.enums import LabeledEnum


class PlanStatus(LabeledEnum):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CHANGED = "changed", "已变更待重新发布"


class TaskStatus(LabeledEnum):
    DRAFT = "draft", "未抽取"
    DRAWN = "drawn", "已抽取"


class DrawKind(LabeledEnum):
    DRAW = "draw", "抽取"
    REDRAW = "redraw", "重新抽取"
    ADJUSTMENT = "adjustment", "调整"
    REINSPECTION = "reinspection", "复查指派"


class VisitStatus(LabeledEnum):
    """Where one drawn enterprise's inspection stands (mirrors its case)."""

    DRAWN = "drawn", "已抽取"
    NOTIFIED = "notified", "已告知"
    INSPECTED = "inspected", "已检查"
    FOLLOWING_UP = "following_up", "后续处置中"
    RECTIFYING = "rectifying", "整改中"
    REINSPECTED = "reinspected", "已复查"
    CLOSED = "closed", "已办结"
    ARCHIVED = "archived", "已归档"


class CaseState(LabeledEnum):
    DRAWN = "drawn", "已抽取"
    NOTIFIED = "notified", "已告知"
    INSPECTED = "inspected", "已检查"
    ORDERS_ISSUED = "orders_issued", "已下达整改指令"
    RECTIFICATION_REPORTED = "rectification_reported", "企业已报告整改"
    REINSPECTION = "reinspection", "复查中"
    REINSPECTED = "reinspected", "已复查"
    CLOSED = "closed", "已销号办结"
    PENALTY = "penalty", "已转立案处罚"
    TRANSFERRED = "transferred", "已移送"
    CANCELLED = "cancelled", "已撤销"
    ARCHIVED = "archived", "已归档"


class ResultStatus(LabeledEnum):
    """A result proposed for 一公开 and its 法制审核."""

    PENDING = "pending", "待审核"
    APPROVED = "approved", "已公开"
    REJECTED = "rejected", "已退回"


class OutboxState(LabeledEnum):
    """A record in the tablet's upload queue (mobile/core/outbox.py)."""

    DRAFT = "draft", "草稿"
    QUEUED = "queued", "待上传"
    SENDING = "sending", "上传中"
    SENT = "sent", "已上传"
    REJECTED = "rejected", "已隔离待处理"


# A case's state and the visit status it implies for the rest of the system.
VISIT_STATUS_OF_CASE: dict[CaseState, VisitStatus] = {
    CaseState.ORDERS_ISSUED: VisitStatus.FOLLOWING_UP,
    CaseState.RECTIFICATION_REPORTED: VisitStatus.RECTIFYING,
    CaseState.REINSPECTION: VisitStatus.FOLLOWING_UP,
    CaseState.REINSPECTED: VisitStatus.REINSPECTED,
    CaseState.CLOSED: VisitStatus.CLOSED,
    CaseState.PENALTY: VisitStatus.CLOSED,
    CaseState.TRANSFERRED: VisitStatus.CLOSED,
    CaseState.ARCHIVED: VisitStatus.ARCHIVED,
}
