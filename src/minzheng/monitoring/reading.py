"""Reading one department file into validated, typed rows, checked against its feed's schema.

A file that cannot be this feed's (unreadable, missing or foreign columns, no rows) is refused
whole. Otherwise each bad row is quarantined with one Problem per bad cell, naming the row as
the user sees it in the spreadsheet, and the valid rows are kept. Everything is Polars
expressions over whole columns: department files run to millions of rows.
"""

import re
from dataclasses import dataclass
from datetime import date

import polars as pl

from minzheng.kit import sheets
from minzheng.kit.errors import ValidationFailed
from minzheng.kit.ids import as_excel_shows
from minzheng.kit.masking import mask_id_number
from minzheng.kit.money import yuan_text_to_fen
from minzheng.kit.sheets import LONG_NUMBERS, ROW, blank_to_null
from minzheng.monitoring import idframe
from minzheng.monitoring.errors import Error
from minzheng.monitoring.feeds import Column, Feed

DUPLICATE = "_duplicate"


class FeedRefused(ValidationFailed):
    """A file refused whole, with one of the FEED_* codes: the monthly run catches the class to
    skip the file and go on with the others."""


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet row (the header is row 1)
    column: str | None  # the column's code; None for a problem of the whole row (duplicate)
    reason: str
    masked_id: str


@dataclass(frozen=True)
class Read:
    frame: pl.DataFrame  # the valid rows only: _row, then each catalogue column, typed
    problems: tuple[Problem, ...]
    rows_total: int


def read_feed(feed: Feed, filename: str, content: bytes, today: date) -> Read:
    """A .csv, .xlsx or .parquet file, its headers the columns' Chinese labels or codes."""
    return validate(feed, load_raw(feed, filename, content), today)


def load_raw(feed: Feed, filename: str, content: bytes) -> pl.DataFrame:
    """The file's cells as text, columns named by code, with _row (the spreadsheet row)."""
    return _by_code(feed, _long_ids_as_excel_shows(feed, _load(filename, content)))


def _long_ids_as_excel_shows(feed: Feed, raw: pl.DataFrame) -> pl.DataFrame:
    """An ID number typed into Excel as a number has lost its last digits: its cell is
    rewritten as Excel shows it (3.30122E+17), so the ID check says Excel changed it
    (ID_EXCEL_MANGLED, as a CSV saved from such a sheet says) rather than that the check digit
    is wrong. Other long numbers are left to their column's check."""
    if LONG_NUMBERS not in raw.columns:
        return raw
    names = {name for c in feed.columns if c.type == "id_number" for name in (c.label, c.code)}
    headers = [h for h in raw.columns if re.sub(r"\s", "", h) in names]
    flagged = pl.col(LONG_NUMBERS).list.contains
    rewritten = [
        pl.when(flagged(h)).then(as_excel_shows(pl.col(h))).otherwise(pl.col(h)).alias(h)
        for h in headers
    ]
    return raw.with_columns(rewritten).drop(LONG_NUMBERS)


def _load(filename: str, content: bytes) -> pl.DataFrame:
    suffix = filename.lower().rsplit(".", 1)[-1]
    if suffix not in ("csv", "xlsx", "parquet"):
        raise FeedRefused.of(Error.FEED_FILE_TYPE)
    try:
        if suffix == "parquet":
            return sheets.read_parquet(content)
        if suffix == "csv":  # of any length: a department file runs to millions of rows
            return sheets.read_large_csv(content)
        raw = sheets.read_upload(filename, content)
    except ValidationFailed as exc:  # the reader's message, refusing the file as a feed
        raise FeedRefused.of(Error.FEED_UNREADABLE, reason=exc.message) from exc
    return raw  # with LONG_NUMBERS when some cells were numbers Excel cut to 15 digits


def _by_code(feed: Feed, raw: pl.DataFrame) -> pl.DataFrame:
    """Headers renamed to codes: a header is a column's label or code, spaces ignored."""
    codes = {name: c.code for c in feed.columns for name in (c.label, c.code)}
    renames: dict[str, str] = {}
    for header in raw.columns:
        code = codes.get(re.sub(r"\s", "", header))
        if header == ROW or code is None:
            continue
        if code in renames.values():
            column = feed.column(code)
            raise FeedRefused.of(Error.FEED_COLUMN_TWICE, label=column.label, column=column.code)
        renames[header] = code
    return raw.rename(renames)


def validate(feed: Feed, raw: pl.DataFrame, today: date) -> Read:
    """raw: text columns named by code, plus _row. Refuses the file whole (FeedRefused) or
    returns its valid rows typed, with a Problem for each bad cell and duplicate row."""
    check_file(feed, raw.columns, raw.height)
    # One lazy query, parse and duplicates together: as fast as it gets on millions of rows.
    checked = mark_duplicates(feed, _parsed(feed, raw, today)).collect()
    return Read(
        frame=valid_rows(feed, checked),
        problems=problems_of(feed, checked),
        rows_total=raw.height,
    )


def check_file(feed: Feed, columns: list[str], rows: int) -> None:
    """What refuses a file whole: missing or foreign columns, no rows."""
    _check_columns(feed, columns)
    if not rows:
        raise FeedRefused.of(Error.FEED_EMPTY)


def parse_rows(feed: Feed, raw: pl.DataFrame, today: date) -> pl.DataFrame:
    """Each row's typed values and the reason each bad cell is bad (_reason_<code>). No row
    depends on another, so any split of the rows gives the same result (the Spark runner)."""
    return _parsed(feed, raw, today).collect()


def _parsed(feed: Feed, raw: pl.DataFrame, today: date) -> pl.LazyFrame:
    absent = [pl.lit(None, pl.Utf8).alias(c.code) for c in feed.columns if c.code not in raw]
    cells = (
        raw.lazy()
        .with_columns(absent)
        .select(ROW, *(blank_to_null(pl.col(c.code)) for c in feed.columns))
    )
    # Stage by stage, so a cleaned or normalised column is computed once and then reused.
    ids = [c.code for c in feed.columns if c.type == "id_number"]
    cells = cells.with_columns(idframe.normalised(pl.col(code)).alias(code) for code in ids)
    return cells.select(ROW, *(e for c in feed.columns for e in _checked(c, today)))


def mark_duplicates(feed: Feed, parsed: pl.DataFrame | pl.LazyFrame):
    """The duplicate reason on each later row of a key: needs every row of a key together."""
    return parsed.with_columns(_duplicate(feed))


def _check_columns(feed: Feed, columns: list[str]) -> None:
    codes = {c.code for c in feed.columns}
    missing = [c for c in feed.columns if c.required and c.code not in columns]
    unknown = [name for name in columns if name not in codes and name != ROW]
    parts = []
    if missing:
        parts.append("缺少必填列：" + "、".join(f"{c.label}（{c.code}）" for c in missing))
    if unknown:
        parts.append("有本数据源未定义的列：" + "、".join(unknown))
    if parts:
        raise FeedRefused.of(
            Error.FEED_COLUMNS,
            problems="；".join(parts),
            department=feed.department,
            feed=feed.label,
        )


def _reason(code: str) -> str:
    return f"_reason_{code}"


def _checked(column: Column, today: date) -> tuple[pl.Expr, pl.Expr]:
    """The typed value (null when blank or bad) and the reason it is bad (null when fine)."""
    text = pl.col(column.code)
    if column.type == "id_number":
        value, reason = text, idframe.problem(text, today)
    else:
        value, reason = _PARSERS[column.type](column, text)
    if column.required:
        # A blank ID number says so in kit.ids' words (ID_MISSING), as every ID check does.
        missing = pl.lit(
            idframe.MISSING if column.type == "id_number" else f"缺少必填项：{column.label}"
        )
        reason = pl.when(text.is_null()).then(missing).otherwise(reason)
    return value.alias(column.code), reason.alias(_reason(column.code))


def _text(column: Column, text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    return text, pl.lit(None, pl.Utf8)


def _bad(text: pl.Expr, ok: pl.Expr, message: str) -> pl.Expr:
    return pl.when(text.is_not_null() & ~ok.fill_null(False)).then(pl.lit(message))


def _date(column: Column, text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """YYYY-MM-DD, YYYY/MM/DD (month and day may have one digit) or YYYYMMDD. A year before
    1900 is a typing error in these feeds (and Polars would accept the year 0)."""
    dashed = text.str.replace_all("/", "-", literal=True)
    value = (
        pl.when(text.str.contains(r"^\d{8}$"))
        .then(text.str.to_date("%Y%m%d", strict=False))
        .when(dashed.str.contains(r"^\d{4}-\d{1,2}-\d{1,2}$"))
        .then(dashed.str.to_date("%Y-%m-%d", strict=False))
    )
    ok = value.dt.year() >= 1900
    formats = "应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD"
    return pl.when(ok).then(value), _bad(text, ok, f"{column.label}不是有效的日期（{formats}）")


# Yuan: thousands separated by commas or not, at most 2 decimals, at most 15 digits before the
# point (so hundredths fit an Int64 with room to add them up).
_AMOUNT = r"^(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,15})(?:\.\d{1,2})?$"


def _money(column: Column, text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    ok = text.str.contains(_AMOUNT)
    negative = text.str.starts_with("-") & text.str.slice(1).str.contains(_AMOUNT)
    reason = (
        pl.when(negative)
        .then(pl.lit(f"{column.label}不能为负数"))
        .otherwise(_bad(text, ok, f"{column.label}不是有效的金额（元，最多两位小数）"))
    )
    return pl.when(ok).then(yuan_text_to_fen(text)), reason


def _decimal(column: Column, text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The same grammar as money, kept as canonical text: 0085.50 → 85.5, 1,200.00 → 1200."""
    ok = text.str.contains(_AMOUNT)
    value = yuan_text_to_fen(pl.when(ok).then(text))  # in hundredths, as yuan are in fen
    fraction = value % 100
    decimals = (
        pl.when(fraction == 0)
        .then(pl.lit(""))
        .when(fraction % 10 == 0)
        .then(pl.lit(".") + (fraction // 10).cast(pl.Utf8))
        .otherwise(pl.lit(".") + fraction.cast(pl.Utf8).str.zfill(2))
    )
    canonical = (value // 100).cast(pl.Utf8) + decimals
    message = f"{column.label}应为不小于0、最多两位小数的数"
    return canonical, _bad(text, ok, message)


def _integer(column: Column, text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    value = pl.when(text.str.contains(r"^[+-]?\d{1,18}$")).then(text.cast(pl.Int64, strict=False))
    ok = value.is_not_null()
    if column.min is not None:
        ok &= value >= column.min
    if column.max is not None:
        ok &= value <= column.max
    if column.min is not None and column.max is not None:
        expected = f"{column.min}到{column.max}之间的整数"
    elif column.min is not None:
        expected = f"不小于{column.min}的整数"
    elif column.max is not None:
        expected = f"不大于{column.max}的整数"
    else:
        expected = "整数"
    return pl.when(ok).then(value), _bad(text, ok, f"{column.label}应为{expected}")


def _choice(column: Column, text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The file may hold the label (是) or the stored code (yes)."""
    accepted = {**{code: code for code in column.choices.values()}, **column.choices}
    value = text.replace_strict(accepted, default=None, return_dtype=pl.Utf8)
    message = f"{column.label}应为以下之一：{'、'.join(column.choices)}"
    return value, _bad(text, value.is_not_null(), message)


_PARSERS = {
    "text": _text,
    "date": _date,
    "money": _money,
    "decimal": _decimal,
    "integer": _integer,
    "choice": _choice,
}


def _duplicate(feed: Feed) -> pl.Expr:
    """The first row with the same key, on each later row; only rows whose key cells are
    valid take part (an invalid key is reported as such)."""
    keyed = pl.all_horizontal(
        pl.col(code).is_not_null() & pl.col(_reason(code)).is_null() for code in feed.key
    )
    # Whether a row is keyed depends on its key cells only, so a group is keyed or not as a
    # whole, and the plain minimum is its first keyed row (twice as fast as a masked one).
    first = pl.col(ROW).min().over(feed.key)
    labels = "、".join(feed.column(code).label for code in feed.key)
    repeated = keyed & (first < pl.col(ROW))
    message = pl.format(f"与第{{}}行重复（{labels}）", first)
    return pl.when(repeated).then(message).alias(DUPLICATE)


def reasons(feed: Feed) -> list[str]:
    return [_reason(c.code) for c in feed.columns] + [DUPLICATE]


def valid_rows(feed: Feed, checked: pl.DataFrame) -> pl.DataFrame:
    fine = pl.all_horizontal(pl.col(name).is_null() for name in reasons(feed))
    return checked.filter(fine).select(ROW, *(c.code for c in feed.columns))


def problems_of(feed: Feed, checked: pl.DataFrame) -> tuple[Problem, ...]:
    """One Problem per bad cell, by row and then column order; the duplicate comes last."""
    columns = [*(c.code for c in feed.columns), None]
    long = pl.concat(
        checked.lazy()
        .select(
            ROW,
            pl.lit(order, pl.Int64).alias("order"),
            pl.col(name).alias("reason"),
            pl.col("id_number"),
        )
        .filter(pl.col("reason").is_not_null())
        for order, name in enumerate(reasons(feed))
    )
    rows = long.sort(ROW, "order").collect().iter_rows()
    return tuple(
        Problem(row, columns[order], reason, mask_id_number(number))
        for row, order, reason, number in rows
    )
