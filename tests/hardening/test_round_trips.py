"""Inputs that are accepted but must come back exactly as sent: emoji and rare CJK
characters in names, and spreadsheet formulas that must never reach an exported
cell as a formula (issue 7 catalogue, continued)."""

from __future__ import annotations

import io
import zipfile

from shared.uscc import make_uscc
from tests.hardening.world import fingerprint, upload

# -- inputs that are accepted, but must come back exactly as sent ------------------------

RARE = "𠀀㐀䶵𪚥企业😀🏭"  # CJK Ext-B/Ext-A (4-byte UTF-8), emoji


def test_emoji_and_rare_cjk_names_round_trip(world):
    w = world
    uscc = make_uscc("91130800MA0A00099")
    resp = w.client.post("/api/v1/enterprises", headers=w.admin, json={
        "name": RARE, "uscc": uscc, "industry": "hazchem_trading", "contact": "㐀先生😀"})
    assert resp.status_code == 201, resp.json
    got = w.client.get(f"/api/v1/enterprises/{uscc}", headers=w.admin).json
    assert got["name"] == RARE and got["contact"] == "㐀先生😀"
    found = w.client.get("/api/v1/enterprises", headers=w.admin, query_string={"q": "𠀀㐀"}).json
    assert [e["uscc"] for e in found["items"]] == [uscc]
    before = fingerprint(w.app)
    for fmt in ("xlsx", "csv"):
        data = w.client.get(f"/api/v1/registries/enterprises/export?format={fmt}",
                            headers=w.admin).data
        if fmt == "csv":
            assert RARE in data.decode("utf-8-sig")
        again = upload(w, f"e.{fmt}", data)
        assert again.status_code == 200 and again.json["unchanged"] >= 4, again.json
    assert fingerprint(w.app) == before  # the export re-imports to the very same rows


FORMULAS = ['=HYPERLINK("http://evil.example","点击领取")', "+1+1", "-2+3", "@SUM(A1)",
            "=cmd|' /C calc'!A0"]


def test_formula_injection_is_neutralised_in_exported_cells(world):
    from python_calamine import CalamineWorkbook

    w = world
    codes = []
    for n, formula in enumerate(FORMULAS):
        uscc = make_uscc(f"91130800MA0B{n:05d}")
        codes.append(uscc)
        resp = w.client.post("/api/v1/enterprises", headers=w.admin, json={
            "name": formula, "uscc": uscc, "industry": "hazchem_trading",
            "address": formula, "contact": formula})
        assert resp.status_code == 201, resp.json
    xlsx_bytes = w.client.get("/api/v1/registries/enterprises/export?format=xlsx",
                              headers=w.admin).data
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx_bytes)).get_sheet_by_index(
        0).to_python()
    csv_text = w.client.get("/api/v1/registries/enterprises/export?format=csv",
                            headers=w.admin).data.decode("utf-8-sig")
    cells = [str(c) for row in rows[1:] for c in row]
    for formula in FORMULAS:
        assert formula not in cells  # never a bare formula in a cell …
        assert "'" + formula in cells  # … but the text, quoted, so it still reads the same
        assert not any(line.startswith(formula) or f",{formula}" in line
                       for line in csv_text.splitlines())
    # xlsx cells hold strings, never formulas (no <f> elements in the sheet XML).
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert b"<f>" not in z.read(sheet) and b"<f " not in z.read(sheet)
    # Re-importing the export gives back the stored text exactly (apostrophe stripped).
    before = fingerprint(w.app)
    assert upload(w, "e.xlsx", xlsx_bytes).status_code == 200
    assert fingerprint(w.app) == before
    names = {e["uscc"]: e["name"] for e in w.client.get(
        "/api/v1/enterprises?per_page=500", headers=w.admin).json["items"]}
    assert [names[c] for c in codes] == FORMULAS
