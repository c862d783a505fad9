"""公民身份号码 checks as Polars expressions, for department files of millions of rows.

The same semantics as `kit.ids.normalize_id_number` and `parse_id_number` (the property test in
tests/monitoring/test_idframe.py keeps them equal), without a Python call per row: the check
character comes from a base-13 parse (13 ≡ 2 mod 11, which is how stdnum computes the GB 11643
weights), and the birthplace from a table of valid (region code, birth year) pairs built once
from stdnum's own data.
"""

from datetime import date, timedelta
from functools import cache

import polars as pl
from stdnum import numdb

# The messages of kit.ids.parse_id_number, in the order it checks.
LENGTH = "身份证号码应为18位（或旧版15位），实际为{}位。"
CHARACTERS = "身份证号码只能包含数字，最后一位可以是 X。"
CHECK = "身份证号码校验位不正确，请核对是否录入有误。"
BIRTH_INVALID = "身份证号码中的出生日期无效。"
BIRTH_FUTURE = "身份证号码中的出生日期晚于今天。"
BIRTHPLACE = "身份证号码前6位不是有效的行政区划代码。"

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

    A null number gives null: a blank cell is the caller's to report. Pass a column (give
    normalised() its own with_columns first): the number is read several times, and Polars
    would compute a nested expression again for each."""
    length = number.str.len_chars()
    # In base 36 the last character reads 0-9 or 33 for X.
    last = number.str.slice(17, 1).str.to_integer(base=36, strict=False)
    expected = _check_value(number.str.slice(0, 17)).replace(10, 33)
    # The first 14 digits as one integer: region code, then the birth date as yyyymmdd.
    head = number.str.slice(0, 14).cast(pl.Int64, strict=False)
    born = head % 100_000_000
    return (
        pl.when(length != 18)
        .then(pl.format(LENGTH, length))
        .when(~number.str.contains("^[0-9]{17}[0-9X]$"))
        .then(pl.lit(CHARACTERS))
        .when(last != expected)
        .then(pl.lit(CHECK))
        .when(~_is_date(born))
        .then(pl.lit(BIRTH_INVALID))
        .when(born > int(today.strftime("%Y%m%d")))
        .then(pl.lit(BIRTH_FUTURE))
        .when(~_birthplace_known(head // 100_000_000, born // 10_000))
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


def _birthplace_known(region: pl.Expr, year: pl.Expr) -> pl.Expr:
    low, high = _year_bounds()
    key = region * 10_000 + year.clip(low, high)
    return key.is_in(birthplaces()["key"].implode())


@cache
def birthplaces() -> pl.DataFrame:
    """Every (6-digit code, birth year) that stdnum's get_birth_place accepts, as
    key = code·10000 + year, for years clipped to the span where the answer can change.

    A county is valid for a year when its entry is undated or the year falls in its
    [start-end] range; a code whose entry names no county is never valid."""
    low, high = _year_bounds()
    years = pl.DataFrame({"year": pl.int_range(low, high + 1, eager=True)})
    return (
        _county_spans()
        .join(years, how="cross")
        .filter(
            (pl.col("start").is_null() | (pl.col("year") >= pl.col("start")))
            & (pl.col("end").is_null() | (pl.col("year") <= pl.col("end")))
        )
        .select((pl.col("code").cast(pl.Int64) * 10_000 + pl.col("year")).alias("key"))
        .unique()
        .sort("key")
    )


@cache
def _year_bounds() -> tuple[int, int]:
    """Before the first dated change and after the last, every year answers alike."""
    spans = _county_spans()
    dated = pl.concat([spans["start"], spans["end"]]).drop_nulls()
    return int(dated.min()) - 1, int(dated.max()) + 1


@cache
def _county_spans() -> pl.DataFrame:
    """code, start, end (null = open) of each county entry, read the way stdnum reads it."""
    database = numdb.get("cn/loc")
    rows = []
    for code in _candidate_codes(database):
        info = {k: v for _, props in database.info(code) for k, v in props.items()}
        if "county" in info:  # else stdnum finds the province only and refuses the code
            rows.extend((code, *_span(county)) for county in info["county"].split(","))
    schema = {"code": pl.Utf8, "start": pl.Int64, "end": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _span(county: str) -> tuple[int | None, int | None]:
    if not county.startswith("["):
        return None, None
    start, end = county[1:].split("]")[0].split("-")
    return (int(start) if start else None), (int(end) if end else None)


def _candidate_codes(database) -> set[str]:
    """The 6-digit codes the data file can answer: a province (2) then a county (4)."""
    codes = set()
    for _, low, high, _, counties in database.prefixes:
        for province in range(int(low), int(high) + 1):
            for _, c_low, c_high, _, _ in counties:
                for county in range(int(c_low), int(c_high) + 1):
                    codes.add(f"{province:02d}{county:04d}")
    return codes
