"""Registry import/export: round trips, all-or-nothing, row-numbered errors."""

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from server.extensions import db
from server.models import AuditLog, CheckItem, Enterprise, Expert, Inspector, ItemListVersion
from server.services.demo_data import load_demo
from server.services.registry_io import SPECS, ImportFailed, export_registry, import_registry
from shared.uscc import make_uscc

MODELS = {"enterprises": Enterprise, "inspectors": Inspector, "experts": Expert}


def _state(kind: str) -> list[dict]:
    """Every registry row as a dict of its spreadsheet columns, ordered by key."""
    attrs = [c.attr for c in SPECS[kind].columns]
    if kind == "items":
        latest = db.session.scalar(sa.select(sa.func.max(ItemListVersion.number)))
        rows = db.session.execute(sa.select(CheckItem).join(ItemListVersion).where(
            ItemListVersion.number == latest)).scalars()
    else:
        rows = db.session.execute(sa.select(MODELS[kind])).scalars()
    return sorted(({a: getattr(r, a) for a in attrs} for r in rows),
                  key=lambda r: SPECS[kind].key_of(r))


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["enterprises", "inspectors", "experts", "items"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_reimport_changes_nothing(ctx, kind, fmt):
    load_demo()
    before = _state(kind)
    audits = db.session.scalar(sa.select(sa.func.count(AuditLog.id)))
    data = export_registry(kind, f"{kind}.{fmt}")
    result = import_registry(kind, data, f"{kind}.{fmt}", "tester")
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == len(before) > 0
    assert _state(kind) == before
    assert db.session.scalar(sa.select(sa.func.count(AuditLog.id))) == audits
    if kind == "items":
        assert result.item_version == 1  # no new version for an unchanged list


def test_exported_file_into_an_empty_database_rebuilds_the_same_state(app, ctx, tmp_path):
    load_demo()
    files = {k: export_registry(k, f"{k}.xlsx") for k in SPECS}
    states = {k: _state(k) for k in SPECS}
    for model in (AuditLog, CheckItem, ItemListVersion, Enterprise, Expert):
        db.session.execute(sa.delete(model)) if model is not AuditLog else None
    db.session.execute(sa.text("DELETE FROM users"))
    db.session.execute(sa.delete(Inspector))
    db.session.commit()
    for kind, data in files.items():
        import_registry(kind, data, f"{kind}.xlsx", "tester")
    for kind in SPECS:
        assert _state(kind) == states[kind], kind


GOOD = ["甲化工有限公司", make_uscc("91140428MA0000001"), "危险化学品生产", "丹朱镇", "2024-03-01"]
HEAD = ["单位名称", "统一社会信用代码", "行业领域", "属地", "上次检查日期"]


def test_three_bad_rows_refuse_the_whole_file(ctx):
    load_demo()
    before = _state("enterprises")
    rows = [HEAD, GOOD]
    rows.append(["乙公司", "91140428MA00000019", "工贸", "鲍店镇", ""])            # row 3 bad USCC
    rows.append(["丙公司", make_uscc("91140428MA0000003"), "养殖业", "鲍店镇", ""])  # row 4
    rows.append(["丁公司", make_uscc("91140428MA0000004"), "工贸", "石哲镇", "2024-02-30"])  # 5
    rows.append(["戊公司", make_uscc("91140428MA0000005"), "冶金", "石哲镇", "2024年3月1日"])
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", xlsx(rows), "bad.xlsx", "tester")
    errors = failed.value.errors
    assert [e.split(":")[0] for e in errors] == ["第3行", "第4行", "第5行"]
    assert "校验位" in errors[0] and "养殖业" in errors[1] and "2024-02-30" in errors[2]
    assert _state("enterprises") == before


def test_header_problems_are_reported_before_rows(ctx):
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", xlsx([["单位名称", "颜色"], ["甲", "红"]]), "h.xlsx", "t")
    text = "\n".join(failed.value.errors)
    assert "未知列“颜色”" in text and "缺少必填列" in text and "统一社会信用代码" in text


def test_duplicate_key_in_one_file_names_both_rows(ctx):
    rows = [HEAD, GOOD, list(GOOD)]
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", xlsx(rows), "dup.xlsx", "t")
    assert failed.value.errors == ["第3行: B列“统一社会信用代码”：与第2行重复"]


def test_upsert_updates_and_audits_before_and_after(ctx):
    import_registry("enterprises", xlsx([HEAD, GOOD]), "a.xlsx", "alice")
    changed = list(GOOD)
    changed[3] = "鲍店镇"
    result = import_registry("enterprises", xlsx([HEAD, changed]), "b.xlsx", "bob")
    assert (result.created, result.updated) == (0, 1)
    log = db.session.execute(sa.select(AuditLog).order_by(AuditLog.id)).scalars().all()
    assert [(a.actor, a.action) for a in log] == [("alice", "create"), ("bob", "update")]
    assert log[1].before["street"] == "丹朱镇" and log[1].after["street"] == "鲍店镇"
    assert log[1].entity_key == GOOD[1] and log[1].source == "b.xlsx"


@pytest.mark.parametrize("cell, expected", [
    ("2024-03-01", "2024-03-01"), ("2024/3/1", "2024-03-01"), ("2024年3月1日", "2024-03-01")])
def test_date_formats_office_staff_use(ctx, cell, expected):
    import_registry("enterprises", xlsx([HEAD, GOOD[:4] + [cell]]), "d.xlsx", "t")
    assert db.session.scalar(sa.select(Enterprise.last_inspected)).isoformat() == expected


def test_csv_in_gb18030_and_lists_with_any_separator(ctx):
    import_registry("inspectors", _csv([
        ["姓名", "执法证号", "证件有效期", "执法领域", "回避单位", "在岗状态"],
        ["张三", "C001", "2030/12/31", "煤矿;工贸，冶金", GOOD[1], "在岗"],
    ], "gb18030"), "i.csv", "t")
    inspector = db.session.execute(sa.select(Inspector)).scalar_one()
    assert inspector.fields == ["coal_mine", "industry_trade", "metallurgy"]
    assert inspector.conflicts == [GOOD[1]]


def test_formula_cells_are_escaped_on_export_and_restored_on_import(ctx):
    evil = ["=HYPERLINK(\"http://x\")", make_uscc("91140428MA0000009"), "工贸", "@SUM(A1)", ""]
    import_registry("enterprises", _csv([HEAD, evil]), "f.csv", "t")
    exported = export_registry("enterprises", "e.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in exported and "'@SUM(A1)" in exported
    result = import_registry("enterprises", exported.encode(), "e.csv", "t")
    assert result.unchanged == 1
    assert db.session.scalar(sa.select(Enterprise.name)) == evil[0]


@pytest.mark.parametrize("data, name, fragment", [
    (b"not a zip", "x.xlsx", "不是有效的.xlsx表格"),
    (b"PK\x03\x04broken", "x.xlsx", "已损坏"),
    (b"a,b", "x.pdf", "不支持的文件类型"),
    (b"", "x.csv", "文件为空"),
])
def test_unreadable_files_get_a_clear_error(ctx, data, name, fragment):
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", data, name, "t")
    assert fragment in failed.value.errors[0]


def _csv(rows, encoding="utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)
