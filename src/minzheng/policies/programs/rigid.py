"""刚性支出困难家庭 (民政部 2024): not 低保, 低保边缘 or 特困; per-capita income below the local
previous-year per-capita disposable income; the property rules met; and the 12 months' rigid
spending (生活, 医疗, 教育, 残疾康复) above the local share of the family's income. Compared in
integers: spending × den > annual income × num; a family with no income and any rigid spending
is over any share. A status (for 专项救助), not a cash amount; valid up to 12 months.
"""

from datetime import date

import polars as pl

from minzheng.policies.programs import HOUSEHOLD, Program


def apply(frame: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    annual_income = pl.col("income_fen") * 12
    return (
        frame.with_columns(
            (
                ~pl.col("dibao_eligible")
                & ~pl.col("dibao_edge_eligible")
                & (pl.col("tekun_members") == 0)
            ).alias("rigid_not_other_assistance"),
            (annual_income < pl.col("rigid_disposable_income") * pl.col("members")).alias(
                "rigid_income_below_disposable"
            ),
            (
                (pl.col("rigid_expense_fen") > 0)
                & (
                    pl.col("rigid_expense_fen") * pl.col("rigid_expense_share_den")
                    > annual_income * pl.col("rigid_expense_share_num")
                )
            ).alias("rigid_expense_over_share"),
        )
        .with_columns(
            (
                (pl.col("members") > 0)
                & pl.col("assets_ok")
                & pl.col("rigid_not_other_assistance")
                & pl.col("rigid_income_below_disposable")
                & pl.col("rigid_expense_over_share")
            ).alias("rigid_eligible"),
        )
        .with_columns(
            pl.when(pl.col("rigid_eligible"))
            .then(pl.col("rigid_valid_months"))
            .otherwise(0)
            .alias("rigid_valid_months_due")
        )
    )


RIGID = Program(
    code="rigid",
    label="刚性支出困难家庭",
    level=HOUSEHOLD,
    stage=3,
    requires=("dibao_edge", "tekun"),
    references=("刚性支出困难家庭认定办法（民政部，2024）",),
    parameters=("rigid.disposable_income", "rigid.expense_share", "rigid.valid_months"),
    criteria={
        "rigid_not_other_assistance": "不属于低保、低保边缘家庭，家庭成员无特困人员",
        "rigid_income_below_disposable": "人均收入低于上年度当地居民人均可支配收入",
        "rigid_expense_over_share": "前12个月刚性支出占家庭总收入比例超过规定",
        "assets_ok": "家庭财产符合规定",
    },
    eligible="rigid_eligible",
    amount=None,
    apply=apply,
    versions=((date(2024, 1, 1), "rigid-2024.1"),),
)
