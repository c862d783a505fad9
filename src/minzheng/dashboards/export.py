"""The monthly statistics as an Excel workbook laid out like a 民政统计 report: a merged title
row, the reporting unit and month, two merged header rows, the lines, and the notes. Nothing in
a cell depends on when the file is made, so a closed month exports the same cells every time
(the digest of its figures is printed at the foot). Its cells go through the export writer's
`neutralise`: a region's name, as a clerk typed it, never runs as a formula."""

import io
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from minzheng.dashboards.tables import Section, Table
from minzheng.kit.exports import neutralise

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
MONEY = "#,##0.00"
FIXED_TIME = datetime(2000, 1, 1)  # the workbook's own metadata: no "now" anywhere in the file


def workbook(table: Table) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _sheet(book, table, table.summary, "汇总")
    for section in table.sections:
        _sheet(book, table, section, section.label[:31])
    book.properties.creator = "Minzheng"
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def status_line(table: Table) -> str:
    if table.provisional:
        return "数据状态：本月尚未关账，为临时数据，关账后以关账数据为准"
    closed = timezone.localtime(table.closed_at).strftime("%Y-%m-%d %H:%M")
    return f"数据状态：已于 {closed} 关账"


def _sheet(book: Workbook, table: Table, section: Section, name: str) -> None:
    sheet = book.create_sheet(name)
    width = sum(span for _label, span in section.header.groups)
    month = f"{table.month.year}年{table.month.month}月"
    subject = "" if not section.program else f"（{section.label}）"
    _merged(sheet, 1, width, f"{table.title}{subject}", Font(bold=True, size=16))
    _merged(sheet, 2, width, f"统计月份：{month}　　填报单位：{table.region.name}", None)
    _merged(sheet, 3, width, status_line(table), None)
    _header(sheet, section, 4)
    for index, line in enumerate(section.lines, start=6):
        for column, value in enumerate([line.label, *line.cells], start=1):
            cell = sheet.cell(row=index, column=column, value=neutralise(value))
            cell.border = BOX
            if 8 <= column <= 10:
                cell.number_format = MONEY
            if line.total:
                cell.font = Font(bold=True)
    foot = 6 + len(section.lines) + 1
    _merged(sheet, foot, width, f"校验码（SHA-256）：{table.digest}", Font(size=9))
    _merged(sheet, foot + 1, width, NOTE, Font(size=9))
    sheet.column_dimensions["A"].width = 22
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.freeze_panes = "B6"


NOTE = (
    "说明：在保指月末正在发放（已批准、发放月份已到、未终止、未暂停）；人数为共同生活的家庭成员；"
    "本月新增为本月起发放的户数，本月退出为本月终止的户数；临时救助为本月批准的户次和金额。"
)


def _merged(sheet, row: int, width: int, text: str, font) -> None:
    sheet.cell(row=row, column=1, value=neutralise(text))
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = sheet.cell(row=row, column=1)
    cell.alignment = CENTRE if row == 1 else Alignment(horizontal="left", wrap_text=True)
    if font is not None:
        cell.font = font


def _header(sheet, section: Section, top: int) -> None:
    """Two rows: a single column spans both; a group spans its columns over 合计/城市/农村."""
    column, under = 1, iter(section.header.columns)
    for label, span in section.header.groups:
        sheet.cell(row=top, column=column, value=label)
        if span == 1:
            sheet.merge_cells(
                start_row=top, start_column=column, end_row=top + 1, end_column=column
            )
        else:
            sheet.merge_cells(
                start_row=top, start_column=column, end_row=top, end_column=column + span - 1
            )
            for offset in range(span):
                sheet.cell(row=top + 1, column=column + offset, value=next(under))
        column += span
    for row in (top, top + 1):
        for index in range(1, column):
            cell = sheet.cell(row=row, column=index)
            cell.alignment, cell.border, cell.font = CENTRE, BOX, Font(bold=True)
