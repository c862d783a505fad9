"""高龄津贴: age bands from the local starting age, 90 and 100; universal unless the locality
limits it to low-income elderly people (低保, 低保边缘 or 特困). The age is read from the birth
date (from the ID number), so the allowance can be granted without an application (免申即享).
"""

from datetime import date

import polars as pl

from minzheng.policies.programs import BOTH, MONTHLY, PERSON, Program


def apply(frame: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    age = pl.col("age")
    old_enough = (age >= pl.col("elderly_min_age")).fill_null(False)
    low_income = pl.col("dibao_eligible") | pl.col("dibao_edge_eligible") | pl.col("tekun_eligible")
    means_ok = (pl.col("elderly_means_tested") == 0) | low_income
    amount = (
        pl.when(age >= 100)
        .then(pl.col("elderly_amount_100"))
        .when(age >= 90)
        .then(pl.col("elderly_amount_90"))
        .otherwise(pl.col("elderly_amount_80"))
    )
    return frame.with_columns(
        old_enough.alias("elderly_old_enough"),
        means_ok.alias("elderly_means_ok"),
        (old_enough & means_ok).alias("elderly_eligible"),
    ).with_columns(
        pl.when(pl.col("elderly_eligible")).then(amount).otherwise(0).alias("elderly_amount_fen")
    )


ELDERLY = Program(
    code="elderly",
    granted=BOTH,  # 免申即享: the age is in the registry; applied for where it is not
    paid=MONTHLY,
    label="高龄津贴",
    level=PERSON,
    stage=2,
    requires=("dibao_edge", "tekun"),
    references=("老年人权益保障法 第三十三条",),
    parameters=(
        "elderly.min_age",
        "elderly.amount_80",
        "elderly.amount_90",
        "elderly.amount_100",
        "elderly.means_tested",
    ),
    criteria={
        "age": "周岁年龄",
        "elderly_old_enough": "达到起始年龄",
        "elderly_means_ok": "普惠，或属低收入老年人（低保、低保边缘、特困）",
    },
    eligible="elderly_eligible",
    amount="elderly_amount_fen",
    apply=apply,
    versions=((date(2013, 7, 1), "elderly-2012"),),
)
