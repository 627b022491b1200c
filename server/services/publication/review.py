"""一公开, the review half: a visit's result is proposed by the case workflow,
passes legal review (法制审核) or is sent back, and is public from approval on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from shared.enums import Outcome

from ...extensions import db
from ...models import PublicationResult, Visit
from ...models._types import utcnow
from ..deadlines import bureau_today, publication_deadline, publication_working_days
from ..errors import ServiceError
from .visibility import DONE_VISIT_STATUSES


class PublicationError(ServiceError, ValueError):
    status = 409


def propose_result(visit_id: int, outcome: Outcome | str, inspected_on: date,
                   item_codes: Iterable[str], actor: str = "system") -> PublicationResult:
    """Put a visit's result up for legal review. Called by the case workflow.

    Re-proposing a pending or rejected result replaces it; an approved
    (already public) result cannot be changed here.
    """
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise PublicationError(f"检查对象{visit_id}不存在", 422)
    if visit.status not in DONE_VISIT_STATUSES:
        # A result is what an inspection found: none before it (and for a 暗查
        # visit, proposing one early would even reveal the secret list).
        raise PublicationError("该检查对象尚未完成现场检查，不能提交公开结果", 409)
    code = Outcome.parse(outcome).value
    codes = list(dict.fromkeys(item_codes)) or list(visit.item_codes)
    outside = [c for c in codes if c not in visit.item_codes]
    if outside:
        # 清单之外无检查: only drawn items can appear in a result.
        raise PublicationError(f"检查事项{'、'.join(outside)}不在该企业的抽取事项中", 422)
    result = db.session.execute(sa.select(PublicationResult).filter_by(
        visit_id=visit_id)).scalar_one_or_none()
    if result is not None and result.status == "approved":
        raise PublicationError("该结果已审核公开，不能再修改")
    ent = visit.enterprise
    if result is None:
        result = PublicationResult(visit_id=visit.id)
    result.task_id = visit.task_id
    result.enterprise_id = ent.id
    result.enterprise_name = ent.name
    result.uscc = ent.uscc
    result.inspected_on = inspected_on
    result.item_version = visit.item_version
    result.item_codes = codes
    result.outcome = code
    result.status = "pending"
    result.proposed_by = actor
    result.proposed_at = utcnow()
    result.reviewed_by = result.reviewed_at = result.review_note = None
    db.session.add(result)
    _commit()
    return result


def _commit() -> None:
    """Commit; a row changed by someone else since we read it (its revision moved)
    is refused rather than overwritten."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise PublicationError("该结果刚刚已被他人修改或审核，请刷新后重试", 409) from None


def _pending(result_id: int) -> PublicationResult:
    result = db.session.get(PublicationResult, result_id)
    if result is None:
        raise PublicationError(f"待公开结果{result_id}不存在", 404)
    if result.status != "pending":
        raise PublicationError("该结果不在待审核状态")
    return result


def approve_result(result_id: int, reviewer: str, *, revision: int, today: date | None = None,
                   note: str | None = None) -> PublicationResult:
    """法制审核 passes for the ``revision`` the reviewer read: the result is public
    from now on, its deadline frozen. A result re-proposed since is refused."""
    result = _pending(result_id)
    if result.revision != revision:
        raise PublicationError(f"该结果已被重新提交（现为第{result.revision}版，"
                               f"您审阅的是第{revision}版），请重新审阅后再审核", 409)
    today = today or bureau_today()
    days = publication_working_days()
    result.status = "approved"
    result.reviewed_by = reviewer
    result.reviewed_at = utcnow()
    result.review_note = note
    result.published_on = today
    result.working_days = days
    result.due_on = publication_deadline(result.inspected_on, days=days).due
    _commit()
    return result


def reject_result(result_id: int, reviewer: str, note: str) -> PublicationResult:
    if not note.strip():
        raise PublicationError("退回须填写审核意见", 422)
    result = _pending(result_id)
    result.status = "rejected"
    result.reviewed_by = reviewer
    result.reviewed_at = utcnow()
    result.review_note = note.strip()
    _commit()
    return result
