"""Money is Decimal yuan with 2 places; batch frames use integer fen. Round once, by parameter."""

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from minzheng.kit.errors import ValidationFailed

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
        raise ValidationFailed(f"金额格式不正确：{value!r}") from None
    if not amount.is_finite():
        raise ValidationFailed(f"金额格式不正确：{value!r}")
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


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


def format_yuan(amount: Decimal) -> str:
    """Display form used on screens and documents: 1,234.50 元."""
    return f"{amount.quantize(CENT):,} 元"
