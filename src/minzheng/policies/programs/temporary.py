"""临时救助: 急难型 (an accident or sudden event: aid first, no means test) and 支出型 (a sudden
necessary expense that leaves the family below the 低保 line for the year).

Amount: the cost, capped at max_months × standard × members; for 支出型 also at what the family
needs to get back to the line (cost − (annual income − 12 × standard × members)). Amounts within
both the 小额 ceiling and small_months × standard × members may be approved by the township.
"""

from datetime import date

import polars as pl

from minzheng.policies.programs import HOUSEHOLD, ONCE, Program


def apply(frame: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    standard_months = pl.col("dibao_standard") * pl.col("members")
    cost = pl.col("emergency_cost_fen")
    urgent = pl.col("emergency_type") == "urgent"
    expense = pl.col("emergency_type") == "expense"
    year_line = standard_months * 12
    annual_income = pl.col("income_fen") * 12
    need = cost - (annual_income - year_line)
    amount = pl.min_horizontal(cost, pl.col("temporary_max_months") * standard_months)
    small_limit = pl.min_horizontal(
        pl.col("temporary_small_ceiling"), pl.col("temporary_small_months") * standard_months
    )
    return (
        frame.with_columns(
            ((urgent | expense) & (cost > 0)).alias("temporary_event"),
            (urgent | (annual_income - cost < year_line)).alias("temporary_hardship"),
        )
        .with_columns(
            (
                pl.col("temporary_event") & pl.col("temporary_hardship") & (pl.col("members") > 0)
            ).alias("temporary_eligible"),
        )
        .with_columns(
            pl.when(pl.col("temporary_eligible") & urgent)
            .then(amount)
            .when(pl.col("temporary_eligible"))
            .then(pl.min_horizontal(amount, need))
            .otherwise(0)
            .alias("temporary_amount_fen"),
        )
        .with_columns(
            (pl.col("temporary_eligible") & (pl.col("temporary_amount_fen") <= small_limit)).alias(
                "temporary_small"
            )
        )
    )


TEMPORARY = Program(
    code="temporary",
    paid=ONCE,
    label="临时救助",
    level=HOUSEHOLD,
    stage=3,
    references=(
        "社会救助暂行办法（国务院令第649号）第四十七条至第四十九条",
        "国务院关于全面建立临时救助制度的通知（国发〔2014〕47号）",
    ),
    parameters=(
        "dibao.standard",
        "temporary.max_months",
        "temporary.small_months",
        "temporary.small_ceiling",
    ),
    criteria={
        "temporary_event": "发生急难事件或突发必需支出",
        "temporary_hardship": "急难型；或支出后家庭全年收入低于低保标准",
        "temporary_small": "小额救助（乡镇可直接审批）",
    },
    eligible="temporary_eligible",
    amount="temporary_amount_fen",
    apply=apply,
    versions=((date(2014, 10, 24), "temporary-2014.47"),),
)
