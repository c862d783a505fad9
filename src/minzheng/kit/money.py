"""Money is Decimal yuan with 2 places; batch frames use integer fen. Round once, by parameter.
The conversions between yuan and fen live here, for values and for Polars columns."""

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import polars as pl

from minzheng.kit.errors import Error

CENT = Decimal("0.01")
YUAN = Decimal("1")

# Local rules differ ("round up to the yuan", "to the fen"): the mode is a parameter value.
ROUNDING_MODES = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "up": ROUND_CEILING,
    "down": ROUND_FLOOR,
    "truncate": ROUND_DOWN,
}
UNITS = {"fen": CENT, "yuan": YUAN}


def to_money(value: Decimal | int | str) -> Decimal:
    """Exact conversion of an input amount to Decimal yuan; floats are refused (they lie)."""
    if isinstance(value, float):
        raise TypeError("金额不能使用浮点数，请使用 Decimal、整数或字符串。")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except ArithmeticError:
        raise Error.BAD_AMOUNT.error(value=repr(value)) from None
    if not amount.is_finite():
        raise Error.BAD_AMOUNT.error(value=repr(value))
    return amount


def round_money(amount: Decimal, mode: str = "half_up", unit: str = "fen") -> Decimal:
    """Round once, at the end of a computation, to the fen or the yuan, with a named mode."""
    if mode not in ROUNDING_MODES:
        raise ValueError(f"unknown rounding mode {mode!r}; one of {sorted(ROUNDING_MODES)}")
    if unit not in UNITS:
        raise ValueError(f"unknown rounding unit {unit!r}; one of {sorted(UNITS)}")
    rounded = amount.quantize(UNITS[unit], rounding=ROUNDING_MODES[mode])
    return rounded.quantize(CENT)


def yuan_to_fen(amount: Decimal) -> int:
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} yuan is not a whole number of fen; round it first")
    return int(fen)


def truncated_fen(amount: Decimal) -> int:
    """Whole fen of a yuan amount, places past the fen cut off (toward zero). This is how the
    payments and the monitoring inputs read a 元 parameter, whose published values may have
    4 places; the rules engine rounds such a value half-even instead (rules/bindings.py). For
    an amount of 2 places it is yuan_to_fen."""
    return int(amount * 100)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


def format_fen(fen: int) -> str:
    """Integer fen as yuan with thousands separators, without the unit: 123450 → 1,234.50."""
    return f"{fen_to_yuan(fen):,}"


def format_yuan(amount: Decimal) -> str:
    """Display form used on screens and documents: 1,234.50 元."""
    return f"{amount.quantize(CENT):,} 元"


def yuan_text_to_fen(text: pl.Expr) -> pl.Expr:
    """A column of checked yuan texts (digits, optional thousands commas, at most 2 decimals:
    "1,234.5") as integer fen (123450), for frames of millions of rows. The caller checks the
    grammar first; a text of more than 2 decimals would be misread."""
    digits = text.str.replace_all(",", "", literal=True)
    point = digits.str.find(".", literal=True)
    decimals = digits.str.len_bytes() - point - 1
    scale = pl.when(point.is_null()).then(100).when(decimals == 1).then(10).otherwise(1)
    return digits.str.replace(".", "", literal=True).cast(pl.Int64, strict=False) * scale


# ---- integer fen in Polars expressions (rules, payments) -------------------------------------


def divide_half_up(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator ÷ denominator rounded half up, in integers (both non-negative)."""
    return (numerator * 2 + denominator) // (denominator * 2)


def monthly_fen(monthly: pl.Expr, annual: pl.Expr) -> pl.Expr:
    """A monthly amount plus an annual one ÷ 12 rounded half up, in fen."""
    return monthly + (annual * 2 + 12) // 24


def percent(part: int, whole: int) -> Decimal | None:
    """part of whole in per cent, one place, half up; None of nothing."""
    if not whole:
        return None
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
