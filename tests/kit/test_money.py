from decimal import Decimal

import polars as pl
import pytest

from minzheng.kit.errors import Error
from minzheng.kit.money import (
    fen_to_yuan,
    format_fen,
    format_yuan,
    round_money,
    to_money,
    truncated_fen,
    yuan_text_to_fen,
    yuan_to_fen,
)
from tests.refusals import refused


@pytest.mark.parametrize(
    ("case", "amount", "mode", "unit", "expected"),
    [
        ("half up to fen", "10.005", "half_up", "fen", "10.01"),
        ("half even to fen", "10.005", "half_even", "fen", "10.00"),
        ("up to yuan", "1010.01", "up", "yuan", "1011.00"),
        ("down to yuan", "1010.99", "down", "yuan", "1010.00"),
        ("truncate negative", "-3.999", "truncate", "fen", "-3.99"),
    ],
)
def test_round_money_by_mode_and_unit(case, amount, mode, unit, expected):
    assert round_money(Decimal(amount), mode, unit) == Decimal(expected)


def test_round_money_refuses_unknown_mode():
    with pytest.raises(ValueError, match="unknown rounding mode"):
        round_money(Decimal("1"), "bankers")


def test_to_money_parses_text_and_refuses_floats():
    assert to_money(" 1,234.50 ") == Decimal("1234.50")
    with pytest.raises(TypeError):
        to_money(1.1)
    with refused(Error.BAD_AMOUNT):
        to_money("一百")


def test_fen_conversions_are_exact():
    assert yuan_to_fen(Decimal("930.50")) == 93050
    assert fen_to_yuan(93050) == Decimal("930.50")
    with pytest.raises(ValueError):
        yuan_to_fen(Decimal("0.001"))
    assert format_yuan(Decimal("1234.5")) == "1,234.50 元"


def test_truncated_fen_cuts_places_past_the_fen_where_yuan_to_fen_refuses():
    assert truncated_fen(Decimal("930.50")) == yuan_to_fen(Decimal("930.50")) == 93050
    assert truncated_fen(Decimal("1200.0099")) == 120000
    assert truncated_fen(Decimal("-0.019")) == -1


def test_format_fen_shows_yuan_with_separators_and_no_unit():
    assert [format_fen(f) for f in (123450, 5, 0, -100)] == ["1,234.50", "0.05", "0.00", "-1.00"]


def test_yuan_text_to_fen_reads_separators_and_one_or_two_decimals():
    texts = pl.Series(["1,234.5", "1500", "0.05", "007", "1,200,000.00", None])
    fen = pl.select(yuan_text_to_fen(pl.lit(texts))).to_series()
    assert fen.to_list() == [123450, 150000, 5, 700, 120000000, None]
