"""Names and numbers for the monitoring benchmark's input: persons' Chinese names, 公民身份号码
(clean, and in the forms department files carry them), the strangers who appear in department
files without being in the registry, and the registration numbers of vehicles, real estate and
businesses. Vectorised: whole columns, no Python call per row.
"""

from datetime import date

import numpy as np
import polars as pl

from minzheng.registry import synthetic_tables as tables

PROVINCES = {  # 2-digit code → the character on plates and certificates
    pair[:2]: pair[2:]
    for pair in "11京 12津 13冀 14晋 15蒙 21辽 22吉 23黑 31沪 32苏 33浙 34皖 35闽 36赣 37鲁 "
    "41豫 42鄂 43湘 44粤 45桂 46琼 50渝 51川 52贵 53云 54藏 61陕 62甘 63青 64宁 65新".split()
}
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]  # 2^(17-i) mod 11
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O, as on Chinese plates
_PLATE_CHARS = "0123456789" + _PLATE_LETTERS
_DIGITS, _FULLWIDTH = list("0123456789"), list("０１２３４５６７８９")
PERSON_COLUMNS = [  # what the feeds know of a registry person or a stranger
    "person_id",
    "household_id",
    "id_number",
    "name",
    "sex",
    "birth_date",
    "age",
    "county",
    "urban",
    "employed",
    "disability_category",
    "disability_grade",
    "serious_illness",
    "student_status",
    "recipient",
]
_AGES = np.arange(96)
_AGE_WEIGHTS = np.exp(-np.clip(_AGES - 55, 0, None) / 12)  # flat, then falling after 55


def chinese_names(rng: np.random.Generator, count: int) -> pl.Series:
    """Surname (common ones more often) and one or two given-name characters."""
    weights = np.asarray(tables.SURNAME_WEIGHTS) / sum(tables.SURNAME_WEIGHTS)
    surname = pl.Series(tables.SURNAMES).gather(rng.choice(len(tables.SURNAMES), count, p=weights))
    chars = pl.Series(tables.GIVEN_NAME_CHARS)
    first, second = (chars.gather(rng.integers(0, len(chars), count)) for _ in range(2))
    second = pl.select(pl.when(pl.Series(rng.random(count) < 0.75)).then(second)).to_series()
    return (surname + first + second.fill_null("")).rename("name")


def id_numbers(county: pl.Series, birth: pl.Series, sequence: np.ndarray) -> pl.Series:
    """18-character numbers: birthplace, birth date, 3-digit sequence (odd: male), and the
    GB 11643 check character of the 17 digits."""
    ymd = birth.dt.strftime("%Y%m%d").cast(pl.Int64).to_numpy()
    body = county.cast(pl.Int64).to_numpy() * 10**11 + ymd * 1000 + sequence
    total = sum((body // 10 ** (16 - i)) % 10 * w for i, w in enumerate(_ID_WEIGHTS))
    check = pl.Series(list("10X98765432")).gather(total % 11)
    return pl.Series(body).cast(pl.Utf8).str.zfill(17) + check


def age_on(birth: pl.Expr, day: date) -> pl.Expr:
    """Completed years on `day` (kit.ids.age_on on a column)."""
    before_birthday = birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32) > (
        day.month * 100 + day.day
    )
    return (day.year - birth.dt.year() - before_birthday.cast(pl.Int32)).cast(pl.Int32)


def student_status(age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The registry's student_status by age: nearly all children at school, some 15–17 in
    vocational school, under half of 18–22 at college."""
    u = rng.random(len(age))
    older = np.where(u < 0.62, "senior", np.where(u < 0.95, "vocational", ""))
    return np.select(
        [age < 3, age < 6, age < 12, age < 15, age < 18, age < 23],
        [np.full(len(age), ""), np.where(u < 0.85, "preschool", ""), "primary", "junior"]
        + [older, np.where(u < 0.45, "college", "")],
        "",
    )


def strangers(rng: np.random.Generator, count: int, counties: list[str], as_of: date):
    """People born in other counties than the registry's, so no number is a registry person's;
    the same columns as the registry persons the feeds draw from (never recipients)."""
    age = rng.choice(_AGES, count, p=_AGE_WEIGHTS / _AGE_WEIGHTS.sum())
    days = np.floor((age + rng.random(count)) * 365.2425).astype("timedelta64[D]")
    male = rng.random(count) < 0.5
    frame = pl.DataFrame(
        {
            "county": np.asarray(counties)[rng.integers(0, len(counties), count)],
            "birth_date": np.datetime64(as_of, "D") - days,
            "sequence": rng.integers(0, 499, count) * 2 + np.where(male, 1, 2),
            "sex": np.where(male, "M", "F"),
        }
    )
    numbers = id_numbers(frame["county"], frame["birth_date"], frame["sequence"].to_numpy())
    frame = frame.with_columns(id_number=numbers).unique("id_number", maintain_order=True)
    n = frame.height
    age = frame.select(age_on(pl.col("birth_date"), as_of)).to_series().to_numpy()
    return (
        frame.drop("sequence")
        .with_columns(
            person_id=pl.lit(None, pl.Int64),
            household_id=pl.lit(None, pl.Int64),
            name=chinese_names(rng, n),
            age=pl.Series(age, dtype=pl.Int32),
            urban=pl.Series(rng.random(n) < 0.6),
            employed=pl.Series((age >= 18) & (age < 60) & (rng.random(n) < 0.7)),
            disability_category=pl.lit(""),
            disability_grade=pl.lit(None, pl.Int8),
            serious_illness=pl.Series(rng.random(n) < 0.01 + 0.04 * (age >= 60)),
            student_status=pl.Series(student_status(age, rng)),
            recipient=pl.lit(False),
        )
        .select(PERSON_COLUMNS)
    )


def as_sent(numbers: pl.Series, rng: np.random.Generator, messy: float, invalid: float):
    """Numbers as a department types them: most clean, `messy` in forms that normalise to the
    same number (lower-case x, spaces, full-width digits, 15 digits), `invalid` wrong."""
    u = rng.random(len(numbers))
    bad = np.flatnonzero(u < invalid)
    odd = np.flatnonzero((u >= invalid) & (u < invalid + messy))
    sent = numbers.clone()
    sent.scatter(odd, _messy(numbers.gather(odd), rng))
    return sent.scatter(bad, _invalid(numbers.gather(bad), rng))


def _messy(numbers: pl.Series, rng: np.random.Generator) -> pl.Series:
    number, form = pl.col("n"), pl.col("form")
    expression = (
        pl.when((form == 0) & number.str.ends_with("X"))
        .then(number.str.to_lowercase())
        .when(form <= 1)
        .then(pl.lit(" ") + number + pl.lit(" "))
        .when(form == 2)
        .then(number.str.replace_many(_DIGITS, _FULLWIDTH))
        .when(number.str.slice(6, 2) == "19")  # old 15-digit numbers: births in the 1900s only
        .then(number.str.slice(0, 6) + number.str.slice(8, 9))
        .otherwise(number + pl.lit("\u3000"))
    )
    frame = pl.DataFrame({"n": numbers, "form": rng.integers(0, 4, len(numbers))})
    return frame.select(expression).to_series()


def _invalid(numbers: pl.Series, rng: np.random.Generator) -> pl.Series:
    """A wrong check character (half), or one character missing or too many."""
    number, kind = pl.col("n"), pl.col("kind")
    last = number.str.slice(17, 1)
    value = pl.when(last == "X").then(10).otherwise(last.cast(pl.Int64, strict=False))
    wrong = (value + pl.col("shift")) % 11  # shift 1–10: never the right character
    wrong_check = number.str.slice(0, 17) + pl.when(wrong == 10).then(pl.lit("X")).otherwise(
        wrong.cast(pl.Utf8)
    )
    expression = (
        pl.when(kind == 0)
        .then(number.str.slice(0, 17))
        .when(kind == 1)
        .then(number + pl.col("shift").cast(pl.Utf8).str.slice(0, 1))
        .otherwise(wrong_check)
    )
    n = len(numbers)
    frame = pl.DataFrame(
        {"n": numbers, "kind": rng.integers(0, 4, n), "shift": rng.integers(1, 11, n)}
    )
    return frame.select(expression).to_series()


def registration(kind: str) -> pl.Expr:
    """The registration number of a vehicle, real estate or business (an asset kind), from the
    columns serial (unique per kind), county and registered_on."""
    serial, county = pl.col("serial"), pl.col("county")
    if kind == "vehicle":
        return _plates(serial, county)
    if kind == "real_estate":
        return _certificates(serial, county, pl.col("registered_on").dt.year())
    return _credit_codes(serial, county)


def _plates(serial: pl.Expr, county: pl.Expr) -> pl.Expr:
    """号牌号码 such as 苏E7K305: the province's character, a letter, a letter or digit and four
    digits; distinct serials below 8,160,000 give distinct plates."""
    count = len(_PLATE_LETTERS) * len(_PLATE_CHARS) * 10_000
    shuffled = (serial * 1_000_003 + 424_242) % count  # a bijection: 1,000,003 is coprime
    letter = _char(shuffled % len(_PLATE_LETTERS), _PLATE_LETTERS)
    rest = shuffled // len(_PLATE_LETTERS)
    second = _char(rest % len(_PLATE_CHARS), _PLATE_CHARS)
    digits = (rest // len(_PLATE_CHARS)).cast(pl.Utf8).str.zfill(4)
    return pl.concat_str([_province(county), letter, second, digits])


def _certificates(serial: pl.Expr, county: pl.Expr, year: pl.Expr) -> pl.Expr:
    """不动产权证号 such as 苏(2019)不动产权第0012345号."""
    number = serial.cast(pl.Utf8).str.zfill(7)
    return pl.concat_str([_province(county), pl.lit("("), year.cast(pl.Utf8), pl.lit(")")]) + (
        pl.lit("不动产权第") + number + pl.lit("号")
    )


def _credit_codes(serial: pl.Expr, county: pl.Expr) -> pl.Expr:
    """统一社会信用代码 of an individual business (92…): county code and a serial."""
    body = serial.cast(pl.Utf8).str.zfill(9)
    return pl.lit("92") + county + body + (serial % 10).cast(pl.Utf8)


def _province(county: pl.Expr) -> pl.Expr:
    return county.str.slice(0, 2).replace_strict(PROVINCES, default="京", return_dtype=pl.Utf8)


def _char(index: pl.Expr, alphabet: str) -> pl.Expr:
    return index.replace_strict(dict(enumerate(alphabet)), return_dtype=pl.Utf8)
