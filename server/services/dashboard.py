"""The figures a bureau is measured on (domain.md §8), as plain data.

Each rate is a ``Rate`` (numerator, denominator, target) overall, per month
and per department, so the console can draw it and a test can check it on a
known data set without parsing HTML.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from shared.draw import parse_ratio
from shared.enums import HazardLevel, Industry, Outcome

from ..extensions import db
from ..localtime import local_date
from ..models import (
    Case,
    CaseHazard,
    DrawRecord,
    Enterprise,
    Plan,
    PublicationResult,
    Task,
    Visit,
)
from .deadlines import bureau_today, load_calendar, publication_deadline

# Default targets from the seeds: 秦皇岛/石家庄 (credit ≥90%), 秦皇岛 (joint ≥20%;
# 石家庄 wants 100%), all (100% published on time), 长子 (key industries fully
# covered, ≥2 campaigns). Each bureau sets its own: TARGET_CREDIT, TARGET_JOINT,
# TARGET_ON_TIME, TARGET_COVERAGE (shares, 0–1) and TARGET_CAMPAIGNS (a count),
# app config or environment (README).
CREDIT_TARGET = 0.9
JOINT_TARGET = 0.2
ON_TIME_TARGET = 1.0
COVERAGE_TARGET = 1.0
CAMPAIGNS_TARGET = 2


def target(name: str, default: float) -> float:
    import os

    from flask import current_app, has_app_context

    if has_app_context() and current_app.config.get(name) is not None:
        return float(current_app.config[name])
    return float(os.environ.get(name, default))
KEY_INDUSTRIES = (Industry.COAL_MINE, Industry.NON_COAL_MINE, Industry.HAZCHEM_PRODUCTION,
                  Industry.HAZCHEM_TRADING, Industry.FIREWORKS, Industry.METALLURGY)
NO_DEPARTMENT = "未指定科室"


@dataclass
class Rate:
    numerator: int = 0
    denominator: int = 0

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def add(self, hit: bool) -> None:
        self.denominator += 1
        self.numerator += int(hit)


@dataclass
class Metric:
    key: str
    label: str
    target: float
    total: Rate = field(default_factory=Rate)
    by_month: dict[str, Rate] = field(default_factory=dict)
    by_department: dict[str, Rate] = field(default_factory=dict)

    def add(self, hit: bool, month: str, department: str | None) -> None:
        self.total.add(hit)
        self.by_month.setdefault(month, Rate()).add(hit)
        self.by_department.setdefault(department or NO_DEPARTMENT, Rate()).add(hit)

    @property
    def met(self) -> bool | None:
        value = self.total.value
        return None if value is None else value >= self.target

    def sorted(self) -> None:
        self.by_month = dict(sorted(self.by_month.items()))
        self.by_department = dict(sorted(self.by_department.items()))


@dataclass
class Coverage:
    industry: str  # Chinese label
    enterprises: int
    covered: int
    campaigns: int  # distinct drawn tasks that reached the industry this year

    @property
    def value(self) -> float | None:
        return self.covered / self.enterprises if self.enterprises else None


@dataclass
class Dashboard:
    year: int
    today: date
    credit: Metric
    joint: Metric
    on_time: Metric
    coverage: list[Coverage]
    findings_by_month: dict[str, dict[str, int]]  # month → outcome label → count
    findings_total: dict[str, int]
    hazards_by_month: dict[str, dict[str, int]]  # month → 一般/重大 → count
    hazards_by_department: dict[str, dict[str, int]]
    follow_ups_open: int  # hazards still open (not rectified, escalated or fixed on site)
    follow_ups_overdue: int  # rectification deadlines and 复查 passed (services.followup)
    follow_ups_overdue_by_department: dict[str, int]
    warnings: list[str]


def _month(d: date) -> str:
    return f"{d.year}-{d.month:02d}"


def uses_credit_classes(ratio: str) -> bool:
    try:
        return set(parse_ratio(ratio)) != {"*"}
    except ValueError:
        return False


def _credit_metric(year: int) -> Metric:
    """Share of draws (the first draw of each task) that use per-class ratios.
    A draw counts in its plan's year (a 2027 plan drawn in December 2026 is 2027's)."""
    metric = Metric("credit", "抽查使用信用风险分类的比例", target("TARGET_CREDIT", CREDIT_TARGET))
    first = (sa.select(sa.func.min(DrawRecord.id)).where(DrawRecord.kind == "draw")
             .group_by(DrawRecord.task_id))
    records = db.session.execute(
        sa.select(DrawRecord).join(Task, Task.id == DrawRecord.task_id)
        .join(Plan, Plan.id == Task.plan_id).where(DrawRecord.id.in_(first), Plan.year == year)
        .options(selectinload(DrawRecord.task))).scalars()
    for r in records:
        metric.add(uses_credit_classes(r.task.ratio), _month(local_date(r.created_at)),
                   r.task.department)
    return metric


def _joint_metric(year: int) -> Metric:
    """Share of drawn enterprises inspected jointly: by several departments – a
    task with joint departments, or a visit merged across tasks of different
    departments (一业一查). Tasks of one department merged are not joint."""
    metric = Metric("joint", "联合检查占比（跨部门）", target("TARGET_JOINT", JOINT_TARGET))
    departments = dict(db.session.execute(sa.select(Task.task_no, Task.department)).all())
    visits = db.session.execute(
        sa.select(Visit).join(Task, Task.id == Visit.task_id).join(Plan, Plan.id == Task.plan_id)
        .where(Visit.current.is_(True), Plan.year == year)
        .options(selectinload(Visit.task))).scalars()
    for v in visits:
        if v.task.is_reinspection:
            continue
        merged = {departments.get(no) or NO_DEPARTMENT for no in (v.joint_task_nos or [])}
        joint = bool(v.task.joint_departments) or len(merged) > 1
        metric.add(joint, _month(local_date(v.created_at)), v.task.department)
    return metric


def _on_time_metric(year: int, today: date) -> tuple[Metric, list[str]]:
    """Results published by their deadline; an unpublished result counts once
    its deadline has passed (it can no longer be on time)."""
    metric = Metric("on_time", "检查结果按期公开率", target("TARGET_ON_TIME", ON_TIME_TARGET))
    calendar = load_calendar()
    warnings: set[str] = set()
    results = db.session.execute(
        sa.select(PublicationResult).options(selectinload(PublicationResult.task))).scalars()
    for r in results:
        if r.inspected_on.year != year:
            continue
        if r.status == "approved":
            hit = r.published_on is not None and r.due_on is not None and \
                r.published_on <= r.due_on
        else:
            deadline = publication_deadline(r.inspected_on, calendar=calendar)
            warnings.update(deadline.warnings)
            if today <= deadline.due:
                continue  # still open and not late: not yet counted
            hit = False
        metric.add(hit, _month(r.inspected_on), r.task.department)
    return metric, sorted(warnings)


def _coverage(year: int) -> list[Coverage]:
    active = dict(db.session.execute(
        sa.select(Enterprise.industry, sa.func.count()).where(Enterprise.status == "active")
        .group_by(Enterprise.industry)).all())
    drawn = db.session.execute(
        sa.select(Enterprise.industry, Visit.enterprise_id, Visit.task_id)
        .join(Visit, Visit.enterprise_id == Enterprise.id)
        .join(Task, Visit.task_id == Task.id).join(Plan, Task.plan_id == Plan.id)
        .where(Visit.current.is_(True), Plan.year == year, Enterprise.status == "active")).all()
    covered: dict[str, set[int]] = defaultdict(set)
    campaigns: dict[str, set[int]] = defaultdict(set)
    followups = {t.id for t in db.session.execute(sa.select(Task)).scalars() if t.is_reinspection}
    for industry, enterprise_id, task_id in drawn:
        if task_id in followups:  # a 复查 is not a new campaign
            continue
        covered[industry].add(enterprise_id)
        campaigns[industry].add(task_id)
    return [Coverage(ind.label, active.get(ind.value, 0), len(covered[ind.value]),
                     len(campaigns[ind.value])) for ind in KEY_INDUSTRIES]


def _findings(year: int) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    by_month: dict[str, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    rows = db.session.execute(sa.select(PublicationResult.inspected_on,
                                        PublicationResult.outcome)).all()
    for inspected_on, outcome in rows:
        if inspected_on.year != year:
            continue
        label = Outcome(outcome).label
        by_month[_month(inspected_on)][label] += 1
        total[label] += 1
    order = [o.label for o in Outcome]
    months = {m: {k: c[k] for k in order} for m, c in sorted(by_month.items())}
    return months, {k: total[k] for k in order}


def _hazards(year: int) -> tuple[dict, dict, int]:
    """Findings (隐患) by level per month and per department, and how many are open."""
    by_month: dict[str, Counter] = defaultdict(Counter)
    by_dept: dict[str, Counter] = defaultdict(Counter)
    still_open = 0
    rows = db.session.execute(
        sa.select(CaseHazard.level, CaseHazard.status, Case.inspected_on, Task.department)
        .join(Case, Case.id == CaseHazard.case_id).join(Task, Task.id == Case.task_id)).all()
    for level, status, inspected_on, dept in rows:
        if inspected_on is None or inspected_on.year != year:
            continue
        label = HazardLevel(level).label if level in HazardLevel.choices() else level
        by_month[_month(inspected_on)][label] += 1
        by_dept[dept or NO_DEPARTMENT][label] += 1
        still_open += status == "open"
    levels = [h.label for h in HazardLevel]
    return ({m: {k: c[k] for k in levels} for m, c in sorted(by_month.items())},
            {d: {k: c[k] for k in levels} for d, c in sorted(by_dept.items())}, still_open)


def _overdue_follow_ups(today: date) -> dict[str, int]:
    from .followup import overdue

    late = overdue(today)
    ids = {r["case_id"] for r in late}
    depts = dict(db.session.execute(sa.select(Case.id, Task.department).join(
        Task, Task.id == Case.task_id).where(Case.id.in_(ids))).all()) if ids else {}
    out: Counter = Counter(depts.get(r["case_id"]) or NO_DEPARTMENT for r in late)
    return dict(sorted(out.items()))


def build_dashboard(year: int | None = None, today: date | None = None) -> Dashboard:
    today = today or bureau_today()
    year = year or today.year
    on_time, warnings = _on_time_metric(year, today)
    months, totals = _findings(year)
    hazard_months, hazard_depts, open_hazards = _hazards(year)
    overdue = _overdue_follow_ups(today)
    metrics = [_credit_metric(year), _joint_metric(year), on_time]
    for m in metrics:
        m.sorted()
    return Dashboard(year=year, today=today, credit=metrics[0], joint=metrics[1],
                     on_time=metrics[2], coverage=_coverage(year), findings_by_month=months,
                     findings_total=totals, hazards_by_month=hazard_months,
                     hazards_by_department=hazard_depts, follow_ups_open=open_hazards,
                     follow_ups_overdue=sum(overdue.values()),
                     follow_ups_overdue_by_department=overdue, warnings=warnings)
