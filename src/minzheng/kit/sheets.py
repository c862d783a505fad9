"""Reading an uploaded table — an .xlsx workbook, a .csv (UTF-8 or GBK) or a .parquet file —
into a Polars frame of text cells, with each row's spreadsheet number (ROW) and blank rows
dropped. The domains (registry import, department feeds, bank returns, work-plan targets) read
their uploads here and only then apply their own columns and checks.

Every cell is read as text: an ID number typed into Excel as a number has already lost digits,
and the domain's check should say so rather than a reader guessing. `_workbook_rows` is the one
place where an uploaded workbook is opened, through `kit.workbooks` (extent and size checked
before parsing, the parsing in a memory-limited child process).
"""

import csv
import datetime as dt
import io
from datetime import time

import polars as pl

from minzheng.kit.errors import Error
from minzheng.kit.workbooks import UnreadableFile, workbook_rows

ROW = "_row"  # the spreadsheet row number of each data row (the header is row 1)
# Cells of a row typed as numbers of 16+ digits: Excel keeps 15 significant digits, so an ID or
# bank account entered that way has already lost its tail. Present only when there are some.
LONG_NUMBERS = "_long_numbers"
MAX_ROWS = 100_000  # the rows a form upload (read_upload) may have


def read_upload(file_name: str, data: bytes) -> pl.DataFrame:
    """The first sheet of an .xlsx, or a .csv (UTF-8 with or without BOM, or GBK/GB18030), as a
    frame of text columns named by the header row, plus ROW; blank rows are dropped. At most
    MAX_ROWS rows."""
    suffix = file_name.lower().rsplit(".", 1)[-1]
    if suffix == "xlsx":
        rows = _workbook_rows(data, MAX_ROWS + 2)
    elif suffix == "csv":
        rows = list(csv.reader(io.StringIO(decode_csv(data))))
    else:
        raise UnreadableFile.of(Error.UPLOAD_TYPE)
    return _frame(rows)


def _workbook_rows(data: bytes, max_rows: int) -> list[list]:
    """The first sheet's cells, at most `max_rows` rows: the one place an upload is opened as
    a workbook."""
    return workbook_rows(data, max_rows)


def decode_csv(data: bytes) -> str:
    """A CSV's text: UTF-8 (with or without BOM), else GBK/GB18030."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile.of(Error.CSV_ENCODING) from None


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _frame(rows: list[list]) -> pl.DataFrame:
    if not rows:
        raise UnreadableFile.of(Error.EMPTY_FILE)
    if len(rows) > MAX_ROWS + 1:
        raise UnreadableFile.of(Error.TOO_MANY_ROWS, limit=MAX_ROWS)
    header = [(_text(h) or "").strip() for h in rows[0]]
    named = [(i, h) for i, h in enumerate(header) if h]
    repeated = sorted({h for _, h in named if header.count(h) > 1})
    if repeated:
        raise UnreadableFile.of(Error.REPEATED_COLUMNS, columns="、".join(repeated))
    body = rows[1:]
    columns, long_numbers = {}, [[] for _ in body]
    for i, h in named:
        cells = [r[i] if i < len(r) else None for r in body]
        for k, cell in enumerate(cells):
            if type(cell) is float and abs(cell) >= 1e15:
                long_numbers[k].append(h)
        columns[h] = pl.Series(h, [_text(cell) for cell in cells], pl.Utf8)
    if any(long_numbers):
        columns[LONG_NUMBERS] = pl.Series(LONG_NUMBERS, long_numbers, pl.List(pl.Utf8))
    frame = pl.DataFrame(columns).with_columns(
        pl.int_range(2, len(body) + 2, dtype=pl.Int64).alias(ROW)
    )
    cleaned = [blank_to_null(pl.col(h)).alias(h) for _, h in named]
    frame = frame.with_columns(cleaned) if cleaned else frame
    filled = [pl.col(h).is_not_null() for _, h in named]
    return frame.filter(pl.any_horizontal(filled)) if filled else frame.clear()


def blank_to_null(text: pl.Expr) -> pl.Expr:
    """The text without surrounding spaces; null when nothing is left."""
    stripped = text.str.strip_chars()
    return pl.when(stripped != "").then(stripped)


# ---- files of any length (department feeds): Polars reads them whole ------------------------


def read_large_csv(data: bytes) -> pl.DataFrame:
    """A CSV of any length (department files run to millions of rows, past read_upload's
    MAX_ROWS), UTF-8 or GBK, every cell as text; ROW first, blank rows dropped. The caller
    bounds the bytes."""
    text = decode_csv(data)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode()), infer_schema=False, truncate_ragged_lines=True
        )
    except pl.exceptions.NoDataError:
        raise UnreadableFile.of(Error.EMPTY_FILE) from None
    except pl.exceptions.PolarsError as exc:
        raise UnreadableFile.of(Error.CSV_UNREADABLE) from exc
    headers = [name.strip() for name in frame.columns]
    repeated = sorted({h for h in headers if h and headers.count(h) > 1})
    if repeated or any("_duplicated_" in name for name in frame.columns):
        columns = "、".join(repeated or frame.columns)
        raise UnreadableFile.of(Error.REPEATED_COLUMNS, columns=columns)
    frame = frame.select(
        pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(ROW),
        *(
            blank_to_null(pl.col(name)).alias(name.strip())
            for name in frame.columns
            if name.strip()
        ),
    )
    filled = [pl.col(name).is_not_null() for name in frame.columns if name != ROW]
    return frame.filter(pl.any_horizontal(filled)) if filled else frame


def read_parquet(data: bytes) -> pl.DataFrame:
    """A Parquet file's cells as text, the way read_upload reads spreadsheet cells; ROW first,
    blank rows dropped."""
    try:
        frame = pl.read_parquet(io.BytesIO(data))
        frame = frame.select(_as_text(name, dtype) for name, dtype in frame.schema.items())
    except pl.exceptions.PolarsError as exc:
        raise UnreadableFile.of(Error.PARQUET_UNREADABLE) from exc
    frame = frame.select(
        pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(ROW),
        *(blank_to_null(pl.col(name)) for name in frame.columns),
    )
    filled = [pl.col(name).is_not_null() for name in frame.columns if name != ROW]
    return frame.filter(pl.any_horizontal(filled)) if filled else frame


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    cell = pl.col(name)
    if dtype.is_float():  # 3.0 is the integer 3, as a spreadsheet shows it
        whole = cell.cast(pl.Int64, strict=False).cast(pl.Utf8)
        text = pl.when(cell == cell.floor()).then(whole).otherwise(cell.cast(pl.Utf8))
    elif dtype == pl.Boolean:
        text = pl.when(cell).then(pl.lit("是")).when(~cell).then(pl.lit("否"))
    elif dtype == pl.Datetime:
        midnight = cell.dt.time() == time()
        text = pl.when(midnight).then(cell.dt.date().cast(pl.Utf8)).otherwise(cell.cast(pl.Utf8))
    else:
        text = cell.cast(pl.Utf8)
    return text.alias(name.strip())
