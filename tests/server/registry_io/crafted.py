"""Hand-made spreadsheet files whose few bytes describe an enormous sheet."""

from __future__ import annotations

import io
import zipfile

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="rels" ContentType="application/'
       'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
       '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
       'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
       '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
       'officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
         'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_BOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
         'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
         '</sheets></workbook>')
_BOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
              'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
              '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
              'Target="worksheets/sheet1.xml"/></Relationships>')
_SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
          'openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>')


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx(rows_xml: str | bytes) -> bytes:
    body = rows_xml if isinstance(rows_xml, bytes) else rows_xml.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        head, tail = _SHEET.split("{}")
        z.writestr("xl/worksheets/sheet1.xml", head.encode() + body + tail.encode())
    return out.getvalue()


def corner_cells() -> bytes:
    """A1 and XFD1048576: the dense rectangle is 17 billion cells."""
    return xlsx(f'<row r="1">{cell("A1", "单位名称")}</row>'
                f'<row r="1048576">{cell("XFD1048576", "x")}</row>')


def many_rows(n: int, *, referenced: bool = False) -> bytes:
    """n rows of one cell: without references (allowed) they are identical and
    a few KB expand to n rows."""
    if referenced:
        return xlsx(b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c>'
                             b'</row>' % (i, i) for i in range(1, n + 1)))
    return xlsx(b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * n)


def wide_positional(rows: int, width: int) -> bytes:
    """One row of ``width`` unreferenced cells, then ``rows`` rows of one cell."""
    wide = b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * width + b"</row>"
    return xlsx(wide + b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * rows)


def ods_repeated(rows: int, columns: int) -> bytes:
    """An OpenDocument sheet with one filled cell repeated rows × columns times."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="S">'
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="string">'
        '<text:p>x</text:p></table:table-cell></table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
