"""No spreadsheet the server writes holds a live formula (outside test finding 9).

An enterprise named ``=HYPERLINK(…)`` became a formula cell in the console's
Excel export while the public CSV escaped it. Every writer now takes its cells
from server/sheets.py; this test downloads each kind of file with such names in
the data and reads it back the way Excel would.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from shared.enums import Role
from tests.server import factories as f

EVIL = ['=HYPERLINK("http://evil.example","点击")', "+1+1", "@SUM(1,2)", "-2+3", "=1+1"]

XLSX = [
    "/console/registries/enterprises?export=xlsx",
    "/console/registries/enterprises/export.xlsx",
    "/api/v1/registries/enterprises/export?format=xlsx",
]
CSV = [
    "/console/registries/enterprises/export.csv",
    "/api/v1/registries/enterprises/export?format=csv",
]


@pytest.fixture
def evil(app, client):
    with app.app_context():
        for name in EVIL:
            f.make_enterprise(name=name)
    return EVIL


def _login(app, client):
    with app.app_context():
        f.make_user(Role.DISPATCHER, username="sheets", password="password123")
    client.get("/console/login")
    with client.session_transaction() as s:
        token = s["csrf"]
    resp = client.post("/console/login", data={"username": "sheets", "password": "password123",
                                               "csrf_token": token})
    assert resp.status_code == 302


@pytest.mark.parametrize("url", XLSX)
def test_xlsx_exports_hold_no_formula(app, client, auth, evil, url):
    _login(app, client)
    resp = client.get(url, headers=auth(Role.ADMIN) if url.startswith("/api") else {})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    book = load_workbook(io.BytesIO(resp.data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    formulas = [c.value for c in cells if c.data_type == "f"]
    assert not formulas
    texts = {str(c.value).lstrip("'") for c in cells if c.value is not None}
    assert set(evil) <= texts  # the names are there, as text


@pytest.mark.parametrize("url", CSV)
def test_csv_exports_escape_formula_characters(app, client, auth, evil, url):
    _login(app, client)
    resp = client.get(url, headers=auth(Role.ADMIN) if url.startswith("/api") else {})
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert {"'" + name for name in evil} <= set(cells)


def test_the_dashboard_workbook_holds_no_formula(app, client, evil):
    _login(app, client)
    resp = client.get("/console/dashboard.xlsx")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data))
    assert not [c for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
