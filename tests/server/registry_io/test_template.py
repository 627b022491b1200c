"""The downloadable template: the importer's headers, code columns as text, so
a code typed into it comes back exactly; notes in Chinese."""

from __future__ import annotations

import io

import sqlalchemy as sa
from openpyxl import load_workbook

from server.extensions import db
from server.models import Enterprise
from server.services.registry_io import SPECS, import_registry
from shared.enums import Role
from shared.uscc import make_uscc


def test_template_filled_in_imports_and_keeps_codes_exact(ctx, client, auth):
    resp = client.get("/api/v1/registries/enterprises/template", headers=auth(Role.DISPATCHER))
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in SPECS["enterprises"].columns]
    code_col = headers.index("统一社会信用代码") + 1
    assert sheet.cell(2, code_col).number_format == "@"
    notes = {row[0].value: row[2].value for row in book["填写说明"].iter_rows(min_row=2)
             if row[0].value}
    assert "煤矿" in notes["行业领域"] and "文本格式" in notes["统一社会信用代码"]
    code = make_uscc("91140428224538323")  # all digits: would be a number cell
    sheet.cell(2, 1, "甲煤业有限公司")
    sheet.cell(2, code_col, code)
    sheet.cell(2, headers.index("行业领域") + 1, "煤矿")
    out = io.BytesIO()
    book.save(out)
    result = import_registry("enterprises", out.getvalue(), "filled.xlsx", "t")
    assert result.created == 1
    assert db.session.scalar(sa.select(Enterprise.uscc)) == code
    page = client.get("/console/registries/enterprises/template.xlsx")
    assert page.status_code in (200, 302)
