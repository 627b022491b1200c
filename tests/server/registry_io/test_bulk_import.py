"""The bulk path of a registry import (issue 19 #7): columns parsed once, rows
written by executemany or COPY, audit entries built as JSON text – with the
same records, audit entries and preview tokens as one row at a time would give."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import AuditLog, Enterprise
from server.services.registry_io import (
    ImportFailed,
    ImportStale,
    import_registry,
    preview_registry,
)
from server.services.registry_io.applying import json_objects
from server.services.registry_io.specs import ENTERPRISES
from shared.enums import Industry
from shared.uscc import make_uscc

HEAD = ["单位名称", "统一社会信用代码", "行业领域", "属地", "联系电话", "黑名单", "特殊作业",
        "许可证有效期", "经营状态"]


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEAD, *rows])
    return out.getvalue().encode()


def _rows(n: int, seed: int = 7) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append([f"企业{i}有限公司", make_uscc(f"91140428MA{i:07d}"),
                     rng.choice(["煤矿", "工贸", "冶金"]), rng.choice(["丹朱镇", "鲍店镇", ""]),
                     rng.choice(["", "0355-8123456", f"139{i:08d}"]), rng.choice("是否"),
                     rng.choice(["", "有限空间", "动火、有限空间"]),
                     rng.choice(["", "2027-03-01", f"2028年1月{i % 28 + 1}日"]),
                     rng.choice(["", "停产"])])
    return rows


def test_audit_json_holds_every_value_as_the_record_has_it():
    columns = {
        "name": ["甲\"公司\\", "乙\n公司", "100%", "\u0000控制\u2028"],
        "phone": [None, "0355-8123456", None, "1"],
        "blacklisted": [True, False, True, False],
        "special_work": [[], ["有限空间"], ["动火", "有限空间"], []],
        "license_expiry": [date(2027, 3, 1), None, date(2027, 3, 1), date(2000, 1, 31)],
    }
    texts = json_objects(columns)
    for i, text in enumerate(texts):
        row = {k: v[i].isoformat() if isinstance(v[i], date) else v[i]
               for k, v in columns.items()}
        assert json.loads(text) == row
        assert list(json.loads(text)) == list(columns)  # in the spreadsheet's column order


def test_a_shuffled_file_stores_each_row_under_its_own_code(ctx):
    rows = _rows(300)
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    result = import_registry("enterprises", _csv(shuffled), "e.csv", "tester")
    assert (result.created, result.updated, result.unchanged) == (300, 0, 0)
    stored = {e.uscc: e for e in db.session.scalars(sa.select(Enterprise))}
    for name, uscc, industry, street, phone, black, special, expiry, status in rows:
        e = stored[uscc]
        assert e.name == name and e.street == (street or None) and e.phone == (phone or None)
        assert e.industry == Industry.parse(industry).value
        assert e.blacklisted is (black == "是")
        assert e.special_work == [p for p in special.split("、") if p]
        assert (e.license_expiry is None) == (expiry == "")
        assert e.status == ("suspended" if status == "停产" else "active")
        assert e.created_at is not None and e.updated_at == e.created_at
    # One audit entry per new record, its "after" the record as imported.
    audits = {a.entity_key: a for a in db.session.scalars(
        sa.select(AuditLog).where(AuditLog.entity == "enterprise"))}
    assert len(audits) == 300
    first = audits[rows[0][1]]
    assert first.action == "create" and first.before is None and first.source == "e.csv"
    assert first.after["name"] == rows[0][0] and first.after["uscc"] == rows[0][1]
    assert set(first.after) == {c.attr for c in ENTERPRISES.columns}
    expiry = stored[rows[0][1]].license_expiry
    assert first.after["license_expiry"] == (expiry.isoformat() if expiry else None)


def test_every_bad_cell_of_a_column_is_named_with_its_row(ctx):
    rows = _rows(40)
    rows[5][1] = rows[5][1][:-1] + ("0" if rows[5][1][-1] != "0" else "1")   # check character
    rows[17][2] = "养殖业"                                                    # unknown industry
    rows[23][2] = "养殖业"
    rows[31][7] = "2027-02-30"
    rows[36][1] = rows[2][1]                                                  # duplicate code
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", _csv(rows), "bad.csv", "tester")
    errors = failed.value.errors
    assert [e.split(":")[0] for e in errors] == ["第7行", "第19行", "第25行", "第33行", "第38行"]
    assert "B列“统一社会信用代码”" in errors[0] and "校验位" in errors[0]
    assert "C列“行业领域”" in errors[1] and "养殖业" in errors[2]
    assert "H列“许可证有效期”" in errors[3] and "2027-02-30" in errors[3]
    assert errors[4] == "第38行: B列“统一社会信用代码”：与第4行重复"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 0


@pytest.mark.parametrize("change", ["create", "update", "delete"])
def test_a_touched_record_changed_after_the_preview_makes_it_stale(ctx, change):
    rows = _rows(20)
    import_registry("enterprises", _csv(rows[:10]), "first.csv", "tester")
    data = _csv(rows[5:15])  # five known records, five new ones
    token = preview_registry("enterprises", data, "second.csv").token
    if change == "create":   # someone else creates one of the five new records
        import_registry("enterprises", _csv(rows[12:13]), "other.csv", "other")
    elif change == "update":
        db.session.execute(sa.update(Enterprise).where(Enterprise.uscc == rows[6][1])
                           .values(phone="0355-1111111"))
        db.session.commit()
    else:
        db.session.execute(sa.delete(Enterprise).where(Enterprise.uscc == rows[7][1]))
        db.session.commit()
    with pytest.raises(ImportStale):
        import_registry("enterprises", data, "second.csv", "tester", expect=token)


def test_a_record_the_file_does_not_touch_may_change_in_between(ctx):
    rows = _rows(20)
    import_registry("enterprises", _csv(rows[:10]), "first.csv", "tester")
    data = _csv(rows[5:15])
    preview = preview_registry("enterprises", data, "second.csv")
    assert (preview.created, preview.unchanged) == (5, 5)
    db.session.execute(sa.update(Enterprise).where(Enterprise.uscc == rows[0][1])
                       .values(phone="0355-1111111"))
    db.session.commit()
    result = import_registry("enterprises", data, "second.csv", "tester", expect=preview.token)
    assert (result.created, result.updated, result.unchanged) == (5, 0, 5)


def _indexes() -> dict[str, list]:
    inspector = sa.inspect(db.session.connection())
    return {table: sorted((i["name"], i["column_names"], bool(i["unique"]))
                          for i in inspector.get_indexes(table))
            for table in ("enterprises", "audit_log")}


def test_a_first_load_leaves_every_index_in_place(ctx):
    """On SQLite a first load builds the plain indexes after the rows (bulk.py):
    they must all be back, and a failed import must leave them as they were."""
    before = _indexes()
    assert before["enterprises"] and before["audit_log"]
    rows = _rows(10_500)
    result = import_registry("enterprises", _csv(rows), "big.csv", "tester")
    assert result.created == 10_500
    assert _indexes() == before
    # The indexes are used and hold every row.
    by_name = db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)
                                .where(Enterprise.name >= "企业"))
    assert by_name == 10_500
    assert db.session.scalar(sa.select(Enterprise.uscc).where(
        Enterprise.name == rows[7_777][0])) == rows[7_777][1]


def test_a_first_load_that_fails_after_its_rows_changes_nothing(ctx, monkeypatch):
    from server.services.registry_io import applying

    before = _indexes()
    real = applying.bulk_insert

    def fail_on_audit(table, columns, **kw):
        if table.name == "audit_log":
            raise RuntimeError("disk full")
        return real(table, columns, **kw)

    monkeypatch.setattr(applying, "bulk_insert", fail_on_audit)
    with pytest.raises(RuntimeError):
        import_registry("enterprises", _csv(_rows(10_500)), "big.csv", "tester")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 0
    assert _indexes() == before
