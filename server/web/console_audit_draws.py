"""监督核验: the auditor's (and the office's) view of every draw record.

The auditor (监督, e.g. the county 司法局) reads and downloads; nothing here
changes anything.  Each record links to its full record file (credit classes,
conflicts, teams – never public) and to the public task page, where the
auditor's own browser re-runs the whole draw from that file and compares it
byte for byte with the published files.  Receipts (one per pool enterprise)
are downloadable for printing with the notices and for spot checks.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, render_template

from shared.draw.public import receipt_code
from shared.enums import Role

from ..extensions import db
from ..models import DrawRecord, Plan, Task, User
from ..services import draw as draws
from ..services import draw_public
from ..services.draw.beacons import local_text
from ..sheets import csv_text
from . import add_nav
from .console import bp, login_required
from .console_plans import RECORD_READERS

RECEIPT_READERS = (Role.ADMIN, Role.DISPATCHER, Role.AUDITOR)
KINDS = {"draw": "抽取", "redraw": "重新抽取", "adjustment": "调整", "reinspection": "整改复查"}


@bp.route("/audit/draws")
@login_required(*RECORD_READERS)
def audit_draws():
    rows = db.session.execute(
        sa.select(DrawRecord, Task).join(Task, DrawRecord.task_id == Task.id).join(Plan)
        .order_by(Plan.plan_no, Task.task_no, DrawRecord.id)).all()
    # People by name, never by login (one query, not one per row).
    names = {u: n for u, n in db.session.execute(sa.select(User.username, User.display_name)) if n}
    records = [{"id": r.id, "task_no": t.task_no, "task_name": t.name,
                "kind": KINDS.get(r.kind, "其他记录"), "created": local_text(r.created_at),
                "actor": names.get(r.actor, r.actor), "reason": r.reason or "",
                "pool_size": r.pool_size,
                "visits": len((r.result or {}).get("visits", [])),
                # 复查 tasks follow a finding: no draw page of their own.
                "published": t.plan.status == "published" and not t.is_reinspection,
                # Receipts exist for pseudonymous draws (not for adjustments or /1 records).
                "receipts": r.algorithm_version == "suicha-draw/2" and r.kind != "adjustment"}
               for r, t in rows]
    return render_template("console/audit_draws.html", records=records)


@bp.route("/audit/records/<int:record_id>/receipts.csv")
@login_required(*RECEIPT_READERS)
def audit_receipts(record_id: int):
    """Every pool enterprise's receipt of one record (for printing with notices)."""
    rec = db.session.get(DrawRecord, record_id)
    if rec is None:
        abort(404)
    receipts = draw_public.task_receipts(rec, draws.full_record(rec))
    rows = [["任务编号", "单位名称", "统一社会信用代码", "回执码", "快照哈希"]]
    rows += [[r["task_no"], r["name"], r["uscc"], receipt_code(r["salt"]), r["snapshot_hash"]]
             for r in receipts]
    return Response(csv_text(rows), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=receipts-{record_id}.csv"})




add_nav("console.audit_draws", "监督核验", *RECORD_READERS)
