"""What each case is owed in a payroll month: pure Polars over the cases and their settled lines.

Months are integers (year × 12 + month − 1). For a case, the months due run from its start
month — never before the county's first payroll of the program in Minzheng (the baseline:
earlier months were paid by the previous system), never before the month after the last one a
released line settled — to the payroll month, or to the month of its end (停发 and death: the
month itself is still paid), or to the month before its 渐退 ends. A suspended case is owed
nothing now; once resumed, the months of the suspension are paid back (恢复发放 follows a
verification that found the family still entitled; otherwise the case is ended).

The rate is the case's current amount from the month after its latest amount-changing 复核
(增发/减发), and the rate last paid before that. So a line holds this month's amount (regular),
back pay for unpaid months (补发), and an adjustment when a released payroll paid a month at the
old rate (the difference, plus or minus). A negative total pays nothing and carries the rest
into the next months (减发 by offset). Months a released line paid beyond the end of the
entitlement (or after the payee's death) are overpaid: they are to be recovered (追回). A
one-off grant (临时救助) is a case due in the month of its decision only.
"""

from datetime import date

import polars as pl

from minzheng.cases.readers import Status

ONE_OFF = frozenset({"temporary"})


def index_of(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_index(column: str) -> pl.Expr:
    day = pl.col(column)
    return (day.dt.year().cast(pl.Int32) * 12 + day.dt.month().cast(pl.Int32) - 1).alias(
        f"{column}_m"
    )


def month_date(index: pl.Expr) -> pl.Expr:
    return pl.date(index // 12, index % 12 + 1, 1)


SETTLED_SCHEMA = {"case_id": pl.Int64, "settled_m": pl.Int32, "last_monthly_fen": pl.Int64}
WINDOW_SCHEMA = {
    "case_id": pl.Int64,
    "period_m": pl.Int32,
    "first_m": pl.Int32,
    "monthly_fen": pl.Int64,
    "adjustment_fen": pl.Int64,
}


def entitlements(
    cases: pl.DataFrame, settled: pl.DataFrame, program: str, period_m: int, baseline_m: int
) -> pl.DataFrame:
    """The months due and their amounts before adjustments, one row per case."""
    frame = cases.with_columns(
        month_index("start_month"),
        month_index("taper_until"),
        month_index("ended_on"),
        month_index("decided_on"),
        month_index("reviewed_on"),
        month_index("died_on"),
    ).join(settled, on="case_id", how="left")
    if program in ONE_OFF:  # due in the month of the decision only
        frame = frame.with_columns(
            pl.col("decided_on_m").alias("start_month_m"), pl.col("decided_on_m").alias("end_m")
        )
    else:
        frame = frame.with_columns(
            pl.when(pl.col("status") == Status.ENDED).then(pl.col("ended_on_m")).alias("end_m")
        )
    start, current = pl.col("start_month_m"), pl.col("amount_fen")
    has_review = pl.col("reviewed_on_m").is_not_null() & (pl.col("reviewed_on_m") + 1 >= start)
    eff = pl.when(has_review).then(pl.col("reviewed_on_m") + 1).otherwise(start)
    hi = pl.min_horizontal(pl.lit(period_m), pl.col("end_m"), pl.col("taper_until_m") - 1)
    frame = frame.with_columns(
        has_review.alias("has_review"),
        eff.alias("eff_m"),
        pl.max_horizontal(start, pl.lit(baseline_m), pl.col("settled_m") + 1).alias("lo"),
        pl.when(pl.col("status") == Status.SUSPENDED).then(-1).otherwise(hi).alias("hi"),
        pl.when(pl.col("settled_m").is_not_null() & (pl.col("settled_m") < eff))
        .then(pl.col("last_monthly_fen"))
        .otherwise(current)
        .alias("prior_fen"),
    )
    lo, hi, eff = pl.col("lo"), pl.col("hi"), pl.col("eff_m")
    months = (hi - lo + 1).clip(lower_bound=0)
    due_now = (lo <= period_m) & (hi >= period_m)
    rate_now = pl.when(eff <= period_m).then(current).otherwise(pl.col("prior_fen"))
    frame = frame.with_columns(
        months.alias("months"),
        (pl.min_horizontal(hi, eff - 1) - lo + 1).clip(0).alias("prior_months"),
        pl.when(due_now).then(rate_now).otherwise(0).alias("regular_fen"),
        pl.when(due_now).then(rate_now).otherwise(current).alias("monthly_fen"),
    )
    owed = (
        pl.col("prior_months").clip(upper_bound=pl.col("months")) * pl.col("prior_fen")
        + (pl.col("months") - pl.col("prior_months").clip(upper_bound=pl.col("months"))) * current
    )
    died = pl.when(pl.col("household_case").not_()).then(pl.col("died_on_m"))
    paid_until = pl.min_horizontal(pl.col("end_m"), pl.col("taper_until_m") - 1, died)
    return frame.with_columns(
        (owed - pl.col("regular_fen")).alias("back_pay_fen"),
        pl.when(pl.col("months") > 0).then(lo).otherwise(period_m).alias("first_m"),
        paid_until.alias("paid_until_m"),  # null: no end; a suspension is no end
        (pl.col("taper_until_m").is_not_null() & due_now).alias("tapering"),
    )


def needing_window(entitled: pl.DataFrame) -> pl.DataFrame:
    """Cases whose settled lines must be read again, and from which month: a released line
    paid a month at a rate since changed, or paid beyond the entitlement's end."""
    adjust = pl.col("has_review") & (pl.col("settled_m") >= pl.col("eff_m"))
    overpaid = pl.col("settled_m") > pl.col("paid_until_m")
    since = pl.min_horizontal(
        pl.when(adjust).then(pl.col("eff_m")), pl.when(overpaid).then(pl.col("paid_until_m") + 1)
    )
    return entitled.filter(adjust | overpaid).select("case_id", since.alias("since_m"))


def corrections(entitled: pl.DataFrame, window: pl.DataFrame) -> pl.DataFrame:
    """Per case: the adjustment owed for months already paid at another rate, and what was
    paid beyond the entitlement's end."""
    rows = window.join(
        entitled.select("case_id", "amount_fen", "eff_m", "has_review", "paid_until_m"),
        on="case_id",
    )
    period, first = pl.col("period_m"), pl.col("first_m")
    rerated = (
        pl.min_horizontal(period, "paid_until_m") - pl.max_horizontal(first, "eff_m") + 1
    ).clip(lower_bound=0)
    beyond = (
        pl.when(pl.col("paid_until_m").is_not_null())
        .then(period - pl.max_horizontal(first, pl.col("paid_until_m") + 1) + 1)
        .otherwise(0)
        .clip(lower_bound=0)
    )
    carried = pl.when(period >= pl.col("eff_m")).then(pl.col("adjustment_fen")).otherwise(0)
    adjustment = (pl.col("amount_fen") - pl.col("monthly_fen")) * rerated - carried
    return rows.group_by("case_id").agg(
        pl.when(pl.col("has_review")).then(adjustment).otherwise(0).sum().alias("owed_fen"),
        (pl.col("monthly_fen") * beyond).sum().alias("overpaid_fen"),
    )


LINE_COLUMNS = [
    "case_id",
    "beneficiary_id",
    "household_id",
    "region_code",
    "monthly_fen",
    "months",
    "first_month",
    "regular_fen",
    "back_pay_fen",
    "adjustment_fen",
    "care_fen",
    "amount_fen",
    "overpaid_fen",
    "tapering",
]


def lines(
    entitled: pl.DataFrame,
    corrected: pl.DataFrame,
    recovered: pl.DataFrame,
    care: pl.DataFrame,
) -> pl.DataFrame:
    """One line per case that is owed something, paid back, or overpaid.

    `recovered`: case_id, recovered_fen (overpayments already registered for recovery);
    `care`: support_mode, care_band, care_monthly_fen (特困's care part, others empty)."""
    frame = (
        entitled.join(corrected, on="case_id", how="left")
        .join(recovered, on="case_id", how="left")
        .join(care, on=["support_mode", "care_band"], how="left")
        .with_columns(
            pl.col("owed_fen", "overpaid_fen", "recovered_fen", "care_monthly_fen").fill_null(0)
        )
    )
    before = pl.col("regular_fen") + pl.col("back_pay_fen")
    total = before + pl.col("owed_fen")
    frame = frame.with_columns(
        pl.when(total < 0).then(-before).otherwise(pl.col("owed_fen")).alias("adjustment_fen"),
        total.clip(lower_bound=0).alias("line_fen"),
        (pl.col("overpaid_fen") - pl.col("recovered_fen")).clip(0).alias("outstanding_fen"),
        pl.min_horizontal("regular_fen", "care_monthly_fen").alias("care_fen"),
        month_date(pl.col("first_m")).alias("first_month"),
    )
    keep = (
        (pl.col("line_fen") > 0) | (pl.col("adjustment_fen") != 0) | (pl.col("outstanding_fen") > 0)
    )
    return (
        frame.filter(keep & pl.col("beneficiary_id").is_not_null())
        .drop("amount_fen", "overpaid_fen")
        .rename({"line_fen": "amount_fen", "outstanding_fen": "overpaid_fen"})
        .select(LINE_COLUMNS)
        .sort("case_id")
    )
