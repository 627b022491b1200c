"""Files made by LibreOffice in every format an office uses: each imports
correctly, or is refused naming the row, the column and the cause – a code
stored as a number is never turned into a different code."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Enterprise
from server.services.registry_io import ImportFailed, import_registry, preview_registry

from .office_files import DIGITS, LETTERS, PHONES, convert_all

FORMATS = ["xlsx", "xls", "ods", "csv-utf8", "csv-bom", "csv-gb18030"]


@pytest.fixture(scope="module")
def office_files(tmp_path_factory):
    return convert_all(tmp_path_factory.mktemp("office"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_codes_import_exactly(ctx, office_files, fmt):
    path = office_files[(fmt, False)]
    preview = preview_registry("enterprises", path.read_bytes(), path.name)
    assert preview.header_rows == [2, 3]
    assert (preview.created, preview.changed) == (2, 0)
    assert set(preview.ignored_columns) == {"序号"}
    result = import_registry("enterprises", path.read_bytes(), path.name, "t",
                             expect=preview.token)
    assert (result.created, result.updated) == (2, 0)
    rows = {e.uscc: e for e in db.session.scalars(sa.select(Enterprise))}
    assert set(rows) == {LETTERS, DIGITS}
    assert rows[LETTERS].phone == PHONES and rows[LETTERS].contact == "张三"
    assert rows[LETTERS].street == "丹朱镇" and rows[LETTERS].industry == "coal_mine"
    assert rows[DIGITS].phone == "13800001111"
    assert rows[DIGITS].industry == "hazchem_production"


@pytest.mark.parametrize("fmt", FORMATS)
def test_numeric_codes_are_refused_naming_row_and_column(ctx, office_files, fmt):
    path = office_files[(fmt, True)]
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", path.read_bytes(), path.name, "t")
    [error] = failed.value.errors
    assert error.startswith("第5行: C列“社会信用代码”：")
    assert "保存为数字" in error and "文本" in error
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 0
