"""Hostile uploads, built at test time (nothing binary is committed): each is (file name, bytes)
of what a careless or malicious user could send to any upload path."""

import io
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook(rows_xml, *, dimension: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """An .xlsx written part by part, so that a test controls every byte of the sheet's XML;
    `rows_xml` is a string or an iterable of strings (streamed into the zip)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_SHEET_HEAD.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for part in [rows_xml] if isinstance(rows_xml, str) else rows_xml:
                sheet.write(part.encode())
            sheet.write(b"</sheetData></worksheet>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sparse() -> bytes:
    """Two cells, A1 and XFD1048576: 1.6 KB that a densifying reader turns into 512 GiB."""
    return workbook(
        f'<row r="1">{_cell("A1", "x")}</row><row r="1048576">{_cell("XFD1048576", "y")}</row>',
        dimension="A1:XFD1048576",
    )


def wide() -> bytes:
    """One row reaching the last column, XFD1."""
    return workbook(f'<row r="1">{_cell("A1", "x")}{_cell("XFD1", "y")}</row>')


def lying_dimension() -> bytes:
    """Ordinary cells under a dimension that claims the whole sheet."""
    return workbook(f'<row r="1">{_cell("A1", "姓名")}</row>', dimension="A1:XFD1048576")


def bomb(rows: int = 3_000_000) -> bytes:
    """Rows past any limit, each numbered (the probe's was 5.9 MB with 3 million rows)."""
    header = f'<row r="1">{_cell("A1", "姓名")}{_cell("B1", "身份证号")}</row>'
    body = (
        f'<row r="{n}">{_cell(f"A{n}", "张三")}{_cell(f"B{n}", "110105194912310021")}</row>'
        for n in range(2, rows + 2)
    )
    return workbook(_chunks([header], body))


def deflate_bomb() -> bytes:
    """A member that inflates a thousandfold: one huge run of spaces inside the sheet."""
    return workbook(f'<row r="1">{_cell("A1", "x")}</row>' + " " * 30_000_000)


def _chunks(first: list[str], rest, size: int = 10_000):
    yield from first
    batch = []
    for part in rest:
        batch.append(part)
        if len(batch) == size:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def not_a_zip() -> bytes:
    return b"PK\x03\x04 this is not really a workbook" + bytes(range(256))


def traversal_names() -> bytes:
    """A workbook carrying members named to escape a folder if anyone ever extracted it."""
    return workbook(
        f'<row r="1">{_cell("A1", "x")}</row>',
        extra={"../../etc/evil.xml": b"<x/>", "/abs/evil.xml": b"<x/>"},
    )


def formulas() -> bytes:
    """Formula cells with cached values: the reader keeps the value, never the formula."""
    rows = (
        f'<row r="1">{_cell("A1", "姓名")}{_cell("B1", "备注")}</row>'
        '<row r="2"><c r="A2" t="str"><f>HYPERLINK("http://evil","x")</f><v>张三</v></c>'
        '<c r="B2" t="str"><f>1+1</f><v>2</v></c></row>'
    )
    return workbook(rows)


def entity_expansion() -> bytes:
    """A billion-laughs DOCTYPE inside the sheet's XML."""
    doctype = (
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
        '<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in [
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ]:
            archive.writestr(name, text)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            doctype
            + _SHEET_HEAD[len('<?xml version="1.0" encoding="UTF-8"?>') :]
            + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&g;</t></is></c></row>'
            "</sheetData></worksheet>",
        )
    return buffer.getvalue()


def csv_utf16() -> bytes:
    return "姓名,身份证号\n张三,110105194912310021\n".encode("utf-16")


def csv_gbk() -> bytes:
    return "姓名,身份证号\n张三,110105194912310021\n".encode("gbk")


def csv_binary() -> bytes:
    return bytes(range(256)) * 40
