"""The one writer of every export (CSV and Excel): whatever a user typed reaches a spreadsheet
as text, never as a formula. A text cell that starts like a formula (=, +, -, @, tab, carriage
return) gets a leading apostrophe (OWASP "CSV injection"), a negative number written as text
too ("-2" could be the start of "-2+cmd|…"): amounts are written as numbers or unsigned. CSV
is UTF-8 with a BOM so that Excel shows Chinese."""

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value as a spreadsheet may safely hold it (non-text values are unchanged)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence]]]) -> bytes:
    """A workbook of (sheet title, rows) in order, written as it streams (write-only)."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        for row in rows:
            sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
