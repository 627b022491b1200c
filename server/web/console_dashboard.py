"""Console: the dashboard – the bureau's targets as inline SVG (no JS, no CDN)."""

from __future__ import annotations

from flask import Response, render_template, request
from markupsafe import Markup, escape

from shared.enums import HazardLevel, Outcome, Role

from ..services.dashboard import (
    CAMPAIGNS_TARGET,
    COVERAGE_TARGET,
    Metric,
    Rate,
    build_dashboard,
    target,
)
from ..services.deadlines import bureau_today
from . import add_nav
from .console import bp, login_required
from .download import attachment

STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)
# Dark enough for white text (WCAG AA ≥ 4.5:1) on the legend tags.
COLOURS = {Outcome.NO_PROBLEM.label: "#2e7d32", Outcome.CORRECTED.label: "#1565c0",
           Outcome.PENDING.label: "#b45309", Outcome.PENALTY.label: "#c62828",
           HazardLevel.GENERAL.label: "#8a6d00", HazardLevel.MAJOR.label: "#7b1fa2"}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def rate_chart(title: str, rates: dict[str, Rate], target: float) -> Markup:
    """Vertical bars (one per key) with a dashed target line; values 0–100%."""
    step, top, bottom, left, right, height = 78, 18, 36, 34, 66, 180
    plot_right = left + step * max(len(rates), 1)
    width = plot_right + right
    plot = height - top - bottom
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title>']
    for tick in (0, 0.5, 1):
        y = top + plot * (1 - tick)
        parts.append(f'<line x1="{left}" x2="{plot_right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#eee"/><text x="{left - 4}" y="{y + 4:.1f}" font-size="10" '
                     f'text-anchor="end">{tick * 100:.0f}%</text>')
    for i, (key, rate) in enumerate(rates.items()):
        x = left + 16 + i * step
        value = rate.value or 0
        bar = plot * min(value, 1)
        colour = "#43a047" if rate.value is not None and value >= target else "#e53935"
        parts.append(
            f'<rect x="{x}" y="{top + plot - bar:.1f}" width="40" height="{bar:.1f}" '
            f'fill="{colour}"><title>{escape(key)}：{rate.numerator}/{rate.denominator}'
            f'</title></rect>'
            f'<text x="{x + 20}" y="{top + plot - bar - 3:.1f}" font-size="10" '
            f'text-anchor="middle">{_pct(rate.value)}</text>'
            f'<text x="{x + 20}" y="{height - bottom + 14}" font-size="10" '
            f'text-anchor="middle">{escape(key[:7])}</text>'
            f'<text x="{x + 20}" y="{height - bottom + 27}" font-size="9" fill="#666" '
            f'text-anchor="middle">{rate.numerator}/{rate.denominator}</text>')
    y = top + plot * (1 - target)
    parts.append(f'<line class="target" x1="{left}" x2="{plot_right}" y1="{y:.1f}" '
                 f'y2="{y:.1f}" stroke="#b71c1c" stroke-dasharray="4 3"/>'
                 f'<text x="{plot_right + 4}" y="{y + 4:.1f}" font-size="10" fill="#b71c1c">'
                 f'目标 {target * 100:.0f}%</text></svg>')
    return Markup("".join(parts))


def stacked_chart(title: str, months: dict[str, dict[str, int]]) -> Markup:
    width, height, top, bottom, left = 40 + 78 * max(len(months), 1), 170, 10, 24, 34
    plot = height - top - bottom
    peak = max([sum(c.values()) for c in months.values()] + [1])
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title>',
             f'<text x="{left - 4}" y="{top + 8}" font-size="10" text-anchor="end">{peak}</text>']
    for i, (month, counts) in enumerate(months.items()):
        x, y = left + 16 + i * 78, top + plot
        for label, n in counts.items():
            h = plot * n / peak
            y -= h
            parts.append(f'<rect x="{x}" y="{y:.1f}" width="40" height="{h:.1f}" '
                         f'fill="{COLOURS.get(label, "#999")}"><title>{escape(label)}：{n}</title>'
                         f'</rect>')
        parts.append(f'<text x="{x + 20}" y="{height - 8}" font-size="10" '
                     f'text-anchor="middle">{escape(month[:7])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else bureau_today().year


@bp.route("/dashboard")
@login_required(*STAFF)
def dashboard():
    data = build_dashboard(_year())
    metrics: list[Metric] = [data.credit, data.joint, data.on_time]
    return render_template("console/dashboard.html", d=data, metrics=metrics, pct=_pct,
                           rate_chart=rate_chart, stacked_chart=stacked_chart, colours=COLOURS,
                           coverage_target=target("TARGET_COVERAGE", COVERAGE_TARGET),
                           campaigns_target=int(target("TARGET_CAMPAIGNS", CAMPAIGNS_TARGET)),
                           coverage_rates={c.industry: Rate(c.covered, c.enterprises)
                                           for c in data.coverage})


@bp.route("/dashboard.xlsx")
@login_required(*STAFF)
def dashboard_xlsx():
    """The year's figures as a workbook: the 年度统计/总结 report's tables."""
    from .dashboard_xlsx import workbook

    year = _year()
    return Response(workbook(build_dashboard(year)), headers=attachment(
        f"{year}年双随机一公开工作统计.xlsx", f"statistics-{year}.xlsx"),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


add_nav("console.dashboard", "统计看板", *STAFF)
