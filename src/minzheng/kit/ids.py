"""公民身份号码 (GB 11643-1999): normalisation, 15→18 upgrade, validation and derived facts.

Checks: present, not Excel's scientific notation, length, digits, check character (stdnum's
`cn.ric`), a real birth date not in the future, and a known province. The 6-digit address code
is NOT checked against its history: the code is the one in force when the number was issued,
so someone born before a county was created carries the county's code (110118 密云区 dates from
2015, yet a child born there in 2010 and first registered in 2016 has it). This module adds the
normalisation bureaus need for their messy spreadsheets and Chinese error messages that say
which part is wrong.
"""

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from minzheng.kit.errors import Error, ValidationFailed

MALE, FEMALE = "M", "F"
_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")
# The 34 province-level codes (GB/T 2260): what stdnum's cn/loc.dat lists as provinces.
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
# A number Excel stored as a number and wrote back in scientific notation: 1.10105E+17,
# 1,10105E+17 (a comma decimal), 1.10105e17. Matched on the normalised text (upper case, no
# spaces); the same pattern serves Polars.
EXCEL_SCIENTIFIC = r"^[0-9]+([.,][0-9]+)?E\+?[0-9]+$"
_EXCEL_SCIENTIFIC = re.compile(EXCEL_SCIENTIFIC)


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F": odd sequence digit = male
    region_prefix: str  # 6-digit 区划 code of the birthplace at the time of issue

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)


class InvalidIdNumber(ValidationFailed):
    """Raised with one of the kit's ID_* codes; callers catch the class, tests check the code."""

    code = "invalid_id_number"


def normalize_id_number(raw: str) -> str:
    """Trim spaces, full-width digits and a lower-case x; upgrade a 15-digit number to 18."""
    number = "".join(str(raw).split()).translate(_FULLWIDTH).upper()
    if len(number) == 15 and number.isdigit():
        number = upgrade_15_to_18(number)
    return number


def upgrade_15_to_18(number15: str) -> str:
    """Old 15-digit numbers (issued before 1999) all have births in the 1900s."""
    body = number15[:6] + "19" + number15[6:]
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check char


def is_excel_mangled(normalised: str) -> bool:
    """Whether a normalised number is Excel's scientific notation of a number it stored."""
    return _EXCEL_SCIENTIFIC.match(normalised) is not None


def as_excel_shows(digits: pl.Expr) -> pl.Expr:
    """The digits of a long number Excel stored as a number (its 15 significant digits and
    zeros, as a workbook reader gets them) written as Excel shows the cell: 330122197005060000
    → 3.30122E+17. A reader that knows a cell was such a number rewrites it this way, so the ID
    check says Excel changed it (ID_EXCEL_MANGLED) rather than that the check digit is wrong."""
    mantissa = digits.str.slice(1, 5).str.strip_chars_end("0")
    decimals = pl.when(mantissa != "").then(pl.lit(".") + mantissa).otherwise(pl.lit(""))
    exponent = (digits.str.len_chars() - 1).cast(pl.Utf8)
    return digits.str.slice(0, 1) + decimals + pl.lit("E+") + exponent


def parse_id_number(raw: str | None, *, today: dt.date | None = None) -> IdNumber:
    """Validate and decompose an ID number, or raise InvalidIdNumber naming what is wrong."""
    number = normalize_id_number("" if raw is None else raw)
    if not number:
        raise InvalidIdNumber.of(Error.ID_MISSING)
    if is_excel_mangled(number):
        raise InvalidIdNumber.of(Error.ID_EXCEL_MANGLED)
    if len(number) != 18:
        raise InvalidIdNumber.of(Error.ID_LENGTH, length=len(number))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber.of(Error.ID_CHARACTERS)
    if number[17] != ric.calc_check_digit(number):
        raise InvalidIdNumber.of(Error.ID_CHECKSUM)
    try:
        birth_date = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise InvalidIdNumber.of(Error.ID_BIRTH_DATE) from None
    if birth_date > (today or dt.date.today()):
        raise InvalidIdNumber.of(Error.ID_BIRTH_FUTURE)
    if number[:2] not in PROVINCES:  # never the code's history at the birth date (see above)
        raise InvalidIdNumber.of(Error.ID_REGION)
    sex = MALE if int(number[16]) % 2 == 1 else FEMALE
    return IdNumber(number=number, birth_date=birth_date, sex=sex, region_prefix=number[:6])


def is_valid_id_number(raw: str | None) -> bool:
    try:
        parse_id_number(raw)
    except InvalidIdNumber:
        return False
    return True


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on `day`; someone born on 29 February turns a year older on 1 March."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)
