"""A file with some of the columns changes only those (issue 16 #1): exported
enterprises cut down to four columns keep every phone, address, 属地, blacklist
and status; inspectors and experts keep their 回避单位."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from server.extensions import db
from server.models import AuditLog, Enterprise, Expert, Inspector
from server.services.demo_data import load_demo
from server.services.registry_io import export_registry, import_registry, preview_registry
from tests.server import factories

KEEP = ["单位名称", "统一社会信用代码", "行业领域", "信用风险分类"]


def _state(model) -> dict:
    rows = db.session.execute(sa.select(model)).scalars().all()
    skip = {"updated_at", "_sa_instance_state"}
    return {r.id: {k: v for k, v in vars(r).items() if k not in skip} for r in rows}


def _cut(data: bytes, keep: list[str]) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    idx = [rows[0].index(h) for h in keep]
    out = io.StringIO()
    csv.writer(out).writerows([[r[i] for i in idx] for r in rows])
    return out.getvalue().encode()


def test_four_exported_columns_change_nothing_else(ctx):
    load_demo()
    blacklisted = db.session.scalars(sa.select(Enterprise).limit(2)).all()
    for e in blacklisted:
        e.blacklisted, e.status = True, "suspended"
    db.session.commit()
    before = _state(Enterprise)
    assert sum(1 for e in before.values() if e["phone"]) > 100
    data = _cut(export_registry("enterprises", "e.csv"), KEEP)
    preview = preview_registry("enterprises", data, "four.csv")
    assert (preview.created, preview.changed, preview.unchanged) == (0, 0, len(before))
    assert "联系电话" in preview.absent_columns and "黑名单" in preview.absent_columns
    result = import_registry("enterprises", data, "four.csv", "t", expect=preview.token)
    assert (result.created, result.updated) == (0, 0)
    db.session.expire_all()
    assert _state(Enterprise) == before


def test_a_changed_column_changes_that_column_only(ctx):
    load_demo()
    before = _state(Enterprise)
    rows = list(csv.reader(io.StringIO(
        export_registry("enterprises", "e.csv").decode("utf-8-sig"))))
    col = rows[0].index("信用风险分类")
    rows[1][col] = "D" if rows[1][col] != "D" else "A"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    data = _cut(out.getvalue().encode("utf-8"), KEEP)
    preview = preview_registry("enterprises", data, "one.csv")
    assert preview.changed == 1 and [f[0] for f in preview.changes[0].fields] == ["信用风险分类"]
    import_registry("enterprises", data, "one.csv", "t", expect=preview.token)
    db.session.expire_all()
    after = _state(Enterprise)
    changed = [i for i in before if before[i] != after[i]]
    assert len(changed) == 1
    diff = {k for k in before[changed[0]] if before[changed[0]][k] != after[changed[0]][k]}
    assert diff == {"credit_class"}
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.source == "one.csv")).one()
    assert set(entry.before) == set(entry.after) == {"credit_class"}


def test_inspectors_and_experts_keep_their_conflicts(ctx):
    conflict = factories.make_enterprise().uscc
    inspector = factories.make_inspector(conflicts=[conflict], street="丹朱镇")
    expert = Expert(name="王工", organization="省安科院", specialty="化工", phone="13900000000",
                    conflicts=[conflict])
    db.session.add(expert)
    db.session.commit()
    inspectors = (f"姓名,执法证号,证件有效期,执法领域\n{inspector.name}（改）,{inspector.cert_no},"
                  "2031-12-31,工贸\n").encode()
    import_registry("inspectors", inspectors, "i.csv", "t")
    experts = "姓名,单位,专业\n王工,省安科院,危险化学品\n".encode()
    import_registry("experts", experts, "x.csv", "t")
    db.session.expire_all()
    got = db.session.get(Inspector, inspector.id)
    assert got.name.endswith("（改）") and got.conflicts == [conflict] and got.street == "丹朱镇"
    got = db.session.get(Expert, expert.id)
    assert got.specialty == "危险化学品" and got.conflicts == [conflict]
    assert got.phone == "13900000000"
