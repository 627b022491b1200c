"""Console: the registries (两库一单 + 专家库) – search, filter, page, import, export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Response, abort, redirect, render_template, request, url_for

from shared.enums import (
    DutyStatus,
    EnterpriseStatus,
    Industry,
    ItemCategory,
    RiskLevel,
    Role,
    Scale,
)

from ..extensions import db
from ..models import CheckItem, Enterprise, Expert, Inspector, ItemListVersion
from ..services.deadlines import bureau_today
from ..services.registry_io import SPECS, export_registry
from . import add_nav
from .console import bp, login_required
from .download import attachment
from .listing import ordered, paged, search, wants_export, xlsx

STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8"}


@dataclass(frozen=True)
class Screen:
    model: Any
    search: tuple[str, ...]
    # (query arg, column, label, choices as (code, label))
    filters: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]
    columns: tuple[tuple[str, str], ...]  # (label, attribute)
    order: str


def _choices(enum) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, m.label) for m in enum)


SCREENS: dict[str, Screen] = {
    "enterprises": Screen(
        Enterprise, ("name", "uscc", "street", "legal_rep"),
        (("industry", "industry", "行业领域", _choices(Industry)),
         ("street", "street", "属地", ()),
         ("status", "status", "经营状态", _choices(EnterpriseStatus)),
         ("scale", "scale", "规模", _choices(Scale)),
         ("risk_level", "risk_level", "安全风险等级", _choices(RiskLevel))),
        (("单位名称", "name"), ("统一社会信用代码", "uscc"), ("行业领域", "industry"),
         ("属地", "street"), ("法定代表人", "legal_rep"), ("规模", "scale"),
         ("安全风险等级", "risk_level"), ("信用风险分类（内部）", "credit_class"),
         ("经营状态", "status"), ("上次检查", "last_inspected")), "name"),
    "inspectors": Screen(
        Inspector, ("name", "cert_no", "department", "street"),
        (("duty_status", "duty_status", "在岗状态", _choices(DutyStatus)),
         ("department", "department", "所属科室", ())),
        (("姓名", "name"), ("执法证号", "cert_no"), ("证件有效期", "cert_expiry"),
         ("所属科室", "department"), ("属地", "street"), ("在岗状态", "duty_status")), "name"),
    "experts": Screen(
        Expert, ("name", "organization", "specialty"), (),
        (("姓名", "name"), ("专业", "specialty"), ("单位", "organization")), "name"),
    "items": Screen(
        CheckItem, ("name", "code", "legal_basis"),
        (("category", "category", "事项类别", _choices(ItemCategory)),),
        (("事项编号", "code"), ("事项名称", "name"), ("抽查依据", "legal_basis"),
         ("抽查主体", "enforcing_dept"), ("类别", "category")), "code"),
}

_LABELS = {**{m.value: m.label for e in (Industry, RiskLevel, DutyStatus, ItemCategory,
                                         EnterpriseStatus, Scale)
              for m in e}}


def _query(kind: str, args) -> sa.Select:
    screen = SCREENS[kind]
    model = screen.model
    query = sa.select(model)
    if kind == "items":
        latest = sa.select(sa.func.max(ItemListVersion.number)).scalar_subquery()
        query = query.join(ItemListVersion).where(ItemListVersion.number == latest)
    if args.get("q"):
        query = query.where(search([getattr(model, c) for c in screen.search], args["q"]))
    for arg, column, _label, _options in screen.filters:
        if args.get(arg):
            query = query.where(getattr(model, column) == args[arg])
    if kind == "inspectors" and args.get("expired") == "1":
        query = query.where(Inspector.cert_expiry < bureau_today())
    return query


def _distinct(column) -> tuple[tuple[str, str], ...]:
    values = db.session.scalars(sa.select(column).where(column.is_not(None)).distinct()
                                .order_by(column).limit(500))
    return tuple((v, v) for v in values if v)


def _filters(kind: str) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """(arg, label, choices); free-text columns offer the values in use."""
    model = SCREENS[kind].model
    return [(arg, label, options or _distinct(getattr(model, column)))
            for arg, column, label, options in SCREENS[kind].filters]


def _cell(value):
    return _LABELS.get(value, value) if isinstance(value, str) else value


@bp.route("/registries/<any(enterprises,inspectors,experts,items):kind>")
@login_required(*STAFF)
def registries(kind: str):
    # Imports go through a preview first (console_imports.py).
    report = None
    screen = SCREENS[kind]
    model = screen.model
    sorts = {attr: getattr(model, attr) for _label, attr in screen.columns}
    query = _query(kind, request.args)
    if wants_export():
        rows = db.session.scalars(ordered(query, sorts, screen.order, model.id))
        return xlsx(SPECS[kind].label, [label for label, _a in screen.columns],
                    ([_cell(getattr(r, a)) for _l, a in screen.columns] for r in rows))
    page = paged(query, sorts, screen.order, model.id)
    return render_template(
        "console/registries.html", kind=kind, spec=SPECS[kind], screen=screen, p=page,
        filters=_filters(kind), report=report, args=request.args, label=_cell,
        today=bureau_today(), kinds=[(k, SPECS[k].label) for k in SCREENS])


@bp.route("/registries/<any(enterprises,inspectors,experts,items):kind>/export.<any(xlsx,csv):fmt>")
@login_required(*STAFF)
def registry_export(kind: str, fmt: str):
    if kind not in SPECS:
        abort(404)
    body = export_registry(kind, f"{kind}.{fmt}")
    return Response(body, mimetype=MIME[fmt],
                    headers=attachment(f"{SPECS[kind].label}.{fmt}", f"{kind}.{fmt}"))


@bp.route("/registries")
@login_required(*STAFF)
def registries_home():
    return redirect(url_for("console.registries", kind="enterprises"))


add_nav("console.registries_home", "名录库", *STAFF)
