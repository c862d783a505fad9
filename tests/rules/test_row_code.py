"""The one-household executor's compiler: every supported expression gives, row for row, what
Polars gives — nulls, Kleene logic, zero divisors and window sums included."""

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minzheng.rules.plan import traced
from minzheng.rules.row_code import Unsupported, row_predicate, row_step, row_values

SCHEMA = {
    "g": pl.Int64,
    "a": pl.Int64,
    "b": pl.Int64,
    "p": pl.Boolean,
    "q": pl.Boolean,
    "s": pl.Utf8,
    "d": pl.Date,
}
a, b, p, q, s, d = (pl.col(name) for name in "abpqsd")
ROW_EXPRESSIONS = {
    "arithmetic": (a * b + a - 3).alias("arithmetic"),
    "floor division, zero divisor": (a // b).alias("floor_division"),
    "modulus, zero divisor": (a % b).alias("modulus"),
    "negative floor": ((a - 50) // 7).alias("negative_floor"),
    "negate": (-a).alias("negate"),
    "comparisons": ((a < b) | (a >= 10) & (b != 0)).alias("comparisons"),
    "kleene and": (p & q).alias("kleene_and"),
    "kleene or": (p | q).alias("kleene_or"),
    "not": (~p).alias("not"),
    "string equality": (s == "x").alias("string_equality"),
    "is_in": s.is_in(["x", "y"]).alias("is_in"),
    "is_in integers": a.is_in([1, 2, 3]).fill_null(False).alias("is_in_integers"),
    "is_between": a.is_between(2, 8).alias("is_between"),
    "any_horizontal": pl.any_horizontal(p, q, a > 5).alias("any_horizontal"),
    "all_horizontal": pl.all_horizontal(p, q).alias("all_horizontal"),
    "min_horizontal": pl.min_horizontal(a, b, pl.lit(7)).alias("min_horizontal"),
    "max_horizontal": pl.max_horizontal(a, b).alias("max_horizontal"),
    "clip": (a - b).clip(lower_bound=0).alias("clip"),
    "fill_null": a.fill_null(b).fill_null(0).alias("fill_null"),
    "cast": p.cast(pl.Int32).alias("cast"),
    "when chain": pl.when(p).then(a).when(q).then(pl.lit(0, pl.Int64)).otherwise(b).alias("when"),
    "when without otherwise": pl.when(a > 3).then(pl.lit("big")).alias("when_null"),
    "dates": (d.dt.year() * 10000 + d.dt.month().cast(pl.Int32) * 100 + d.dt.day()).alias("ymd"),
    "null checks": (a.is_null() | b.is_not_null()).alias("null_checks"),
    "window sum": (p.cast(pl.Int32).sum().over("g") - p.cast(pl.Int32)).alias("others"),
    "date literal": (d < pl.lit(date(2000, 1, 1))).alias("date_literal"),
}
ints = st.one_of(st.none(), st.integers(-20, 20))
bools = st.one_of(st.none(), st.booleans())
rows = st.lists(
    st.fixed_dictionaries(
        {
            "g": st.integers(0, 3),
            "a": ints,
            "b": ints,
            "p": bools,
            "q": bools,
            "s": st.sampled_from([None, "x", "y", "z"]),
            "d": st.one_of(st.none(), st.dates(date(1930, 1, 1), date(2030, 12, 31))),
        }
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(rows)
def test_row_expressions_equal_polars(data):
    expected = pl.DataFrame(data, schema=SCHEMA).with_columns(ROW_EXPRESSIONS.values())
    computed = [dict(row) for row in data]
    row_step(tuple(ROW_EXPRESSIONS.values()), "step")(computed)
    for name in expected.columns:
        assert [r[name] for r in computed] == expected[name].to_list(), name


@settings(max_examples=60, deadline=None)
@given(rows)
def test_row_values_equal_polars(data):
    values = (a.cast(pl.Int64).fill_null(0), (p & q).alias("pq"), pl.lit(1).alias("one"))
    expected = pl.DataFrame(data, schema=SCHEMA).select(values).rows()
    assert [row_values(values, "values")(r) for r in data] == expected


@settings(max_examples=60, deadline=None)
@given(rows)
def test_a_filter_keeps_the_rows_polars_keeps(data):
    kept = (p | (a > 0)) & ~q.fill_null(False)
    expected = pl.DataFrame(data, schema=SCHEMA).filter(kept).rows(named=True)
    assert [r for r in data if row_predicate(kept, "keep")(r)] == expected


def test_a_step_reads_the_rows_as_they_were_before_it():
    rows = [{"a": 1, "b": 10}]
    row_step(((pl.col("b") * 2).alias("a"), (pl.col("a") + 1).alias("b")), "swap")(rows)
    assert rows == [{"a": 20, "b": 2}]


@pytest.mark.parametrize(
    ("label", "expression", "message"),
    [
        ("string slice", pl.col("s").str.slice(0, 2), "StringExpr"),
        ("mean", pl.col("a").mean().over("g"), "sum().over()"),
        ("true division", pl.col("a") / pl.col("b"), "TrueDivide"),
    ],
)
def test_an_unsupported_expression_is_refused_at_compile_time(label, expression, message):
    with pytest.raises(Unsupported, match=message.replace("(", r"\(").replace(")", r"\)")):
        row_step((expression.alias("x"),), "step")


def test_rule_code_may_only_add_columns():
    with pytest.raises(TypeError, match="只能用 with_columns"):
        traced("persons", lambda frame: frame.filter(pl.col("a") > 1), "filtering")
    steps = traced("persons", lambda f: f.with_columns(x=pl.lit(1)).with_columns([pl.lit(2)]), "n")
    assert [[e.meta.output_name() for e in step.columns] for step in steps] == [["x"], ["literal"]]
