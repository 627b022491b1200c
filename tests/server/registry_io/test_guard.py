"""Files that describe an enormous sheet are refused before anything is
allocated, with a clear Chinese error, and the server stays up (issue 16 #9).

Before the guard, the first file made the reader ask for 512 GiB and abort
the whole process (SIGABRT): this test process would not survive it."""

from __future__ import annotations

import io
import subprocess

import pytest
from openpyxl import Workbook

from server.services.registry_io import ImportFailed, import_registry
from server.services.registry_io.guard import MAX_COLUMNS, MAX_ROWS
from shared.enums import Role

from .crafted import corner_cells, many_rows, ods_repeated, wide_positional
from .office_files import soffice


def test_corner_cells_file_is_tiny_and_refused_through_the_api(ctx, client, auth):
    data = corner_cells()
    assert len(data) < 2000
    office = auth(Role.DISPATCHER)
    resp = client.post("/api/v1/registries/enterprises/import/preview", headers=office,
                       data={"file": (io.BytesIO(data), "bomb.xlsx")})
    assert resp.status_code == 422
    assert "16384列" in resp.json["errors"]["rows"][0]
    assert client.get("/healthz").status_code == 200
    # The same bytes under another name, and as a plan table.
    resp = client.post("/api/v1/plans/import", headers=office,
                       data={"file": (io.BytesIO(data), "plan.xls")})
    assert resp.status_code == 422 and "列" in resp.json["errors"]["rows"][0]


@pytest.mark.parametrize("referenced", [False, True])
def test_a_small_file_that_expands_to_a_million_rows_is_refused(ctx, referenced):
    data = many_rows(1_000_000, referenced=referenced)
    assert len(data) < (6_000_000 if referenced else 200_000)
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", data, "many.xlsx", "t")
    assert failed.value.errors == [f"表格超过{MAX_ROWS:,}行数据，请分成几个文件导入"]


def test_unreferenced_cells_are_placed_as_the_reader_places_them(ctx):
    # 150,000 rows under a row 16,000 cells wide: 2.4 billion cells if allocated.
    data = wide_positional(150_000, 16_000)
    assert len(data) < 100_000
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", data, "wide.xlsx", "t")
    assert failed.value.errors == [
        f"表格有{MAX_COLUMNS + 1}列，超过上限{MAX_COLUMNS}列，请删除多余的列"]


def test_opendocument_repeats_are_counted(ctx):
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", ods_repeated(1_048_576, 16384), "r.ods", "t")
    assert "列" in failed.value.errors[0]
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", ods_repeated(1_000_000, 3), "r.ods", "t")
    assert "行数据" in failed.value.errors[0]


def test_csv_is_read_with_a_bound(ctx):
    data = ("单位名称,统一社会信用代码,行业领域\n" + "x,y,z\n" * (MAX_ROWS + 20)).encode()
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", data, "big.csv", "t")
    assert failed.value.errors == [f"表格超过{MAX_ROWS:,}行数据，请分成几个文件导入"]


def test_excel_97_file_with_far_cells_is_refused_before_reading(ctx, tmp_path):
    """A1 and IV65536 saved by LibreOffice as .xls: 5.6 KB, and 1 GB in the reader."""
    book = Workbook()
    book.active["A1"], book.active["IV65536"] = "单位名称", "x"
    book.save(tmp_path / "corner.xlsx")
    profile = (tmp_path / "lo").as_uri()
    subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "xls", "--outdir", str(tmp_path),
                    str(tmp_path / "corner.xlsx")], check=True, capture_output=True, timeout=180)
    data = (tmp_path / "corner.xls").read_bytes()
    assert len(data) < 20_000
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", data, "corner.xls", "t")
    assert failed.value.errors == [
        f"表格有256列，超过上限{MAX_COLUMNS}列，请删除多余的列"]


@pytest.mark.parametrize("chunk", [256, 257, 331, 4096])
def test_far_cells_cut_at_a_chunk_edge_are_still_found(monkeypatch, chunk):
    """The sheet XML is scanned in chunks: a far reference or an unreferenced
    cell cut in two at a chunk's edge must be seen whole in the next one."""
    from server.services.registry_io import guard

    from .crafted import cell

    monkeypatch.setattr(guard, "_CHUNK", chunk)
    near = "".join(f'<row r="{i}">{cell(f"A{i}", "x")}{cell(f"B{i}", "y")}</row>'
                   for i in range(1, 60))
    head = '<worksheet><sheetData>'
    for far, extent in [(cell("AB7", "x"), (99_999, 28)), (cell("C1234567", "x"), (1_234_567, 26)),
                        (cell("XFD1048576", "x"), (1_048_576, 16384))]:
        for at in range(0, len(near) - 100, 97):  # the far cell at many offsets
            xml = (head + near[:near.index("<row", at)] + f'<row r="99">{far}</row>'
                   + near[near.index("<row", at):] + "</sheetData></worksheet>").encode()
            assert guard._referenced(io.BytesIO(xml)) == (extent, True), (far, at)
    # A cell without a reference anywhere: an unusual sheet, measured another way.
    for at in range(0, len(near) - 100, 97):
        xml = (head + near[:near.index("<row", at)] + '<row><c t="inlineStr"><is><t>x</t>'
               '</is></c></row>' + near[near.index("<row", at):] + "</sheetData>").encode()
        assert guard._referenced(io.BytesIO(xml))[1] is False, at
    assert guard._referenced(io.BytesIO((head + near + "</sheetData>").encode())) == (
        (99_999, 26), True)
