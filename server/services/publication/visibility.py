"""What the public may see now: which plans and tasks are published, and when
an unannounced (暗查) task's drawn list stops being secret."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from shared.lifecycle import VisitStatus

from ...extensions import db
from ...models import Plan, Task, Visit, VisitMember

# Visit states from which an inspection counts as done (fail closed: a state
# this list does not know keeps an unannounced task's list hidden).
DONE_VISIT_STATUSES = frozenset(VisitStatus) - {VisitStatus.DRAWN, VisitStatus.NOTIFIED}

# A plan once published stays public while a change waits for republication
# (已变更待重新发布): its tasks as last published – those that existed then – stay
# visible; a task added since appears once the plan is published again.
PLAN_PUBLIC = sa.or_(Plan.status == "published",
                     sa.and_(Plan.status == "changed", Plan.published_at.is_not(None)))
TASK_PUBLIC = sa.or_(Plan.status == "published", Task.created_at <= Plan.published_at)


def task_public(task: Task) -> bool:
    """:data:`TASK_PUBLIC` for a task already loaded."""
    plan = task.plan
    return plan.status == "published" or (
        plan.status == "changed" and plan.published_at is not None
        and task.created_at <= plan.published_at)


def published_plans() -> list[Plan]:
    return list(db.session.execute(
        sa.select(Plan).where(PLAN_PUBLIC)
        .options(selectinload(Plan.tasks)).order_by(Plan.year.desc(), Plan.plan_no)).scalars())


def published_task(task_no: str) -> Task | None:
    """A task the public may look up by its number: in a published plan, and not a
    复查 task (an assignment after a finding, never announced as a 双随机 draw;
    typed in by hand, its address answers like one that does not exist)."""
    task = db.session.execute(sa.select(Task).join(Plan).where(
        Task.task_no == task_no, PLAN_PUBLIC, TASK_PUBLIC)).scalar_one_or_none()
    return None if task is None or task.is_reinspection else task


def current_visits(task: Task) -> list[Visit]:
    """The task's current visits, including joint visits (一企一表) that a sibling
    task of the same plan merged it into and now holds."""
    load = (selectinload(Visit.enterprise),
            selectinload(Visit.members).selectinload(VisitMember.inspector))
    own = list(db.session.execute(
        sa.select(Visit).where(Visit.task_id == task.id, Visit.current.is_(True))
        .options(*load).order_by(Visit.id)).scalars())
    merged = db.session.execute(
        sa.select(Visit).join(Task, Visit.task_id == Task.id)
        .where(Task.plan_id == task.plan_id, Task.id != task.id, Visit.current.is_(True),
               sa.func.length(sa.cast(Visit.joint_task_nos, sa.String)) > 2)
        .options(*load).order_by(Visit.id)).scalars()
    return own + [v for v in merged if task.task_no in (v.joint_task_nos or [])]


def drawn_list_visible(task: Task, visits: list[Visit], today: date) -> bool:
    """An unannounced task's list stays secret until every visit is done or the
    window has ended (domain.md §5: secret until the visit is done)."""
    if not task.unannounced:
        return True
    if today > task.window_end:
        return True
    return bool(visits) and all(v.status in DONE_VISIT_STATUSES for v in visits)


def task_list_public(task: Task, today: date) -> bool:
    return drawn_list_visible(task, current_visits(task), today)
