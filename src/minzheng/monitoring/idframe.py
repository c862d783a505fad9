"""公民身份号码 checks as Polars expressions, for department files of millions of rows.

The same semantics as `kit.ids.normalize_id_number` and `parse_id_number` (the property test in
tests/monitoring/test_idframe.py keeps them equal), without a Python call per row: the check
character comes from a base-13 parse (13 ≡ 2 mod 11, which is how stdnum computes the GB 11643
weights). As in kit.ids, the birthplace check is the province only: the 6-digit code is the one
in force when the number was issued, never checked against its history at the birth date.
"""

from datetime import date, timedelta
from functools import cache

import polars as pl

from minzheng.kit.errors import Error
from minzheng.kit.ids import EXCEL_SCIENTIFIC, PROVINCES

# The messages of kit.ids.parse_id_number, in the order it checks.
MISSING = Error.ID_MISSING.text()
EXCEL_MANGLED = Error.ID_EXCEL_MANGLED.text()
LENGTH = Error.ID_LENGTH.text(length="{}")
CHARACTERS = Error.ID_CHARACTERS.text()
CHECK = Error.ID_CHECKSUM.text()
BIRTH_INVALID = Error.ID_BIRTH_DATE.text()
BIRTH_FUTURE = Error.ID_BIRTH_FUTURE.text()
BIRTHPLACE = Error.ID_REGION.text()

# str.split() in Python also splits on the information separators \x1c-\x1f.
_SPACES = r"[\s\x1c-\x1f]"
_FULLWIDTH = list("０１２３４５６７８９ｘＸ")
_ASCII = list("0123456789XX")


def normalised(raw: pl.Expr) -> pl.Expr:
    """Spaces removed, full-width digits and x made ASCII, upper case, 15 digits upgraded."""
    return raw.map_batches(_normalised, return_dtype=pl.Utf8)


def _normalised(raw: pl.Series) -> pl.Series:
    """Stage by stage on a frame: as one nested expression Polars computed each inner stage
    again for every use (10 million numbers took 15 s; staged, 2 s). Most numbers in a
    department file are already clean, so the costly string rewrites run on a column that is
    null except where needed (Polars skips nulls almost for free)."""
    n = pl.col("n")
    dirty = n.str.contains("[^0-9X]")
    cleaned = pl.when(dirty).then(n).str.replace_all(_SPACES, "")
    cleaned = cleaned.str.replace_many(_FULLWIDTH, _ASCII).str.to_uppercase()
    # Old 15-digit numbers (issued before 1999) all have births in the 1900s.
    old = pl.when((n.str.len_bytes() == 15) & n.str.contains("^[0-9]{15}$")).then(n)
    body = pl.col("body")
    check = _check_value(body)
    upgraded = body + pl.when(check == 10).then(pl.lit("X")).otherwise(check.cast(pl.Utf8))
    return (
        raw.cast(pl.Utf8)
        .to_frame("n")
        .with_columns(pl.when(dirty).then(cleaned).otherwise(n).alias("n"))
        .with_columns((old.str.slice(0, 6) + pl.lit("19") + old.str.slice(6)).alias("body"))
        .select(pl.when(body.is_not_null()).then(upgraded).otherwise(n).alias(raw.name))
        .to_series()
    )


def _check_value(body: pl.Expr) -> pl.Expr:
    """The GB 11643 check value (0-10, 10 written X) of 17 digits: (1 - 2·int(body, 13)) mod
    11, as stdnum computes it (13 ≡ 2 mod 11 gives the weights 2^k mod 11). 17 base-13
    digits stay below 2^63, so the parse cannot overflow."""
    remainder = body.str.to_integer(base=13, strict=False) % 11
    return (1 + 9 * remainder) % 11  # 9 ≡ -2 (mod 11) keeps every term positive


def from_body(body: pl.Expr) -> pl.Expr:
    """The 18-character number whose first 17 digits are `body` (text): its check appended."""
    value = _check_value(body)
    check = pl.when(value == 10).then(pl.lit("X")).otherwise(value.cast(pl.Utf8))
    return pl.concat_str(body, check)


def problem(number: pl.Expr, today: date) -> pl.Expr:
    """On a normalised number: the reason it is invalid (Chinese), or null when it is valid.

    A null number gives null: a blank cell is the caller's to report (with MISSING); an empty
    text (a cell of characters the normalisation removes) is MISSING too, never "0位". Pass a
    column (give normalised() its own with_columns first): the number is read several times,
    and Polars would compute a nested expression again for each."""
    length = number.str.len_chars()
    # In base 36 the last character reads 0-9 or 33 for X.
    last = number.str.slice(17, 1).str.to_integer(base=36, strict=False)
    expected = _check_value(number.str.slice(0, 17)).replace(10, 33)
    # The first 14 digits as one integer: region code, then the birth date as yyyymmdd.
    head = number.str.slice(0, 14).cast(pl.Int64, strict=False)
    born = head % 100_000_000
    return (
        pl.when(length == 0)
        .then(pl.lit(MISSING))
        .when(number.str.contains(EXCEL_SCIENTIFIC))
        .then(pl.lit(EXCEL_MANGLED))
        .when(length != 18)
        .then(pl.format(LENGTH, length))
        .when(~number.str.contains("^[0-9]{17}[0-9X]$"))
        .then(pl.lit(CHARACTERS))
        .when(last != expected)
        .then(pl.lit(CHECK))
        .when(~_is_date(born))
        .then(pl.lit(BIRTH_INVALID))
        .when(born > int(today.strftime("%Y%m%d")))
        .then(pl.lit(BIRTH_FUTURE))
        .when(~(head // 1_000_000_000_000).is_in(_provinces()))
        .then(pl.lit(BIRTHPLACE))
        .otherwise(pl.lit(None, pl.Utf8))
    )


def _is_date(yyyymmdd: pl.Expr) -> pl.Expr:
    """Whether an integer yyyymmdd is a calendar date (year 1 or later, as Python's date).

    Integer arithmetic costs a fraction of parsing ten million strings as dates."""
    year, month_day = yyyymmdd // 10_000, yyyymmdd % 10_000
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return month_day.is_in(_month_days()) & (year >= 1) & ((month_day != 229) | leap)


@cache
def _month_days() -> list[int]:
    """Every mmdd of a leap year, 101 to 1231."""
    day, days = date(2000, 1, 1), []
    while day.year == 2000:
        days.append(day.month * 100 + day.day)
        day += timedelta(days=1)
    return days


@cache
def _provinces() -> list[int]:
    return sorted(int(code) for code in PROVINCES)
