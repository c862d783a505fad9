"""The facts every program reads: who is counted, ages, incomes and the assets test.

Members counted are the co-resident ones without a statutory exclusion (最低生活保障审核确认办法).
Monthly items are summed; annual items are summed once and divided by 12 once, rounding half up
to the fen, never rebuilt from rounded monthly values. Deductions (就业成本, 因残因病刚性支出)
come off the household's income when the local parameters allow them.
"""

from dataclasses import dataclass
from datetime import date

import polars as pl

from minzheng.kit.money import divide_half_up, monthly_fen
from minzheng.rules.steps import HOUSEHOLDS, PERSONS, Derive, Drop, Summarise

# Optional input columns and the value a missing one means.
PERSON_DEFAULTS = {
    "birth_date": pl.lit(None, pl.Date),
    "disability_category": pl.lit(""),
    "disability_grade": pl.lit(None, pl.Int8),
    "serious_illness": pl.lit(False),
    "employed": pl.lit(False),
    "father_situation": pl.lit("normal"),
    "mother_situation": pl.lit("normal"),
    "self_care_unable": pl.lit(None, pl.Int8),  # items failed of the 6-item assessment
    "support_mode": pl.lit("dispersed"),  # 特困/孤儿: dispersed (分散/散居) or centralised (集中)
    "long_term_care": pl.lit(True),  # 护理补贴: presumed for grades 1–2 unless recorded otherwise
    "work_injury_care": pl.lit(False),  # receives 工伤保险生活护理费
}
HOUSEHOLD_DEFAULTS = {
    "dibao_recipient": pl.lit(False),  # receives 低保 now (for 渐退)
    "medical_expense_fen": pl.lit(0, pl.Int64),  # self-paid 因残因病 spending, last 12 months
    "rigid_expense_fen": pl.lit(0, pl.Int64),  # 刚性支出, last 12 months
    "emergency_type": pl.lit(""),  # 临时救助: "urgent" (急难型) or "expense" (支出型)
    "emergency_cost_fen": pl.lit(0, pl.Int64),
}
ASSET_SCHEMA = {"household_id": pl.Int64, "kind": pl.Utf8, "value_fen": pl.Int64}
SUPPORTER_SCHEMA = {
    "household_id": pl.Int64,
    "supported_id": pl.Int64,
    "duty": pl.Utf8,
    "monthly_income_fen": pl.Int64,
    "condition": pl.Utf8,
}


@dataclass(frozen=True)
class Frames:
    households: pl.DataFrame  # household_id, region_code, area_type (+ HOUSEHOLD_DEFAULTS)
    persons: pl.DataFrame  # person_id, household_id, co_resident, exclusion (+ PERSON_DEFAULTS)
    incomes: pl.DataFrame  # person_id, household_id, period, amount_fen, excluded
    assets: pl.DataFrame | None = None  # household_id, kind, value_fen
    supporters: pl.DataFrame | None = None  # household_id, supported_id, condition


def with_defaults(frame: pl.DataFrame, defaults: dict) -> pl.DataFrame:
    missing = [expr.alias(name) for name, expr in defaults.items() if name not in frame.columns]
    return frame.with_columns(missing) if missing else frame


# 分类施保 classes: elderly, minors, severely disabled, seriously ill.
CLASSIFIED = (
    (pl.col("age") >= 60)
    | (pl.col("age") < 18)
    | pl.col("disability_grade").is_in([1, 2])
    | pl.col("serious_illness")
).fill_null(False)


def person_facts(as_of: date) -> tuple[pl.Expr, ...]:
    """Each person's age on `as_of` and whether he is counted as a member."""
    born = pl.col("birth_date")
    # Whole years between the dates written as YYYYMMDD numbers: the year's difference, less
    # one while this year's birthday is still to come.
    born_ymd = (
        born.dt.year().cast(pl.Int32) * 10000
        + born.dt.month().cast(pl.Int32) * 100
        + born.dt.day().cast(pl.Int32)
    )
    age = (as_of.year * 10000 + as_of.month * 100 + as_of.day - born_ymd) // 10000
    return (
        age.cast(pl.Int32).alias("age"),
        (pl.col("co_resident") & (pl.col("exclusion") == "")).alias("counted"),
    )


_amount, _period = pl.col("amount_fen"), pl.col("period")
# A person's own income: monthly items and annual items summed apart (a household sums its
# members' annual items before dividing once).
OWN_INCOME = Summarise(
    "incomes",
    PERSONS,
    "person_id",
    (
        pl.when(_period == "monthly").then(_amount).otherwise(0).alias("monthly_fen"),
        pl.when(_period == "annual").then(_amount).otherwise(0).alias("annual_fen"),
    ),
    where=~pl.col("excluded"),
    name="own_income",
)
OWN_INCOME_FEN = monthly_fen(pl.col("monthly_fen"), pl.col("annual_fen")).alias("own_income_fen")

# A recorded legal supporter able to fulfil the duty: for a named member, or for the household.
_able = pl.col("condition") == "able"
SUPPORTERS = (
    Summarise(
        "supporters",
        PERSONS,
        "supported_id",
        (pl.lit(1).alias("named_supporters"),),
        where=_able & pl.col("supported_id").is_not_null(),
        into="person_id",
        name="named_supporters",
    ),
    Summarise(
        "supporters",
        PERSONS,
        "household_id",
        (pl.lit(1).alias("household_supporters"),),
        where=_able & pl.col("supported_id").is_null(),
        name="household_supporters",
    ),
    Derive(
        PERSONS,
        (
            ((pl.col("named_supporters") > 0) | (pl.col("household_supporters") > 0)).alias(
                "recorded_able_supporter"
            ),
        ),
        "recorded_able_supporter",
    ),
    Drop(PERSONS, ("named_supporters", "household_supporters")),
)

# Households: members counted (and how many employed or in a 分类施保 class) and the gross
# monthly income of the counted members, in one pass over persons; the assets table summed.
COUNTED_MEMBERS = (
    Summarise(
        PERSONS,
        HOUSEHOLDS,
        "household_id",
        (
            pl.lit(1).alias("members"),
            pl.col("employed").alias("employed_members"),
            CLASSIFIED.alias("classified_members"),
            pl.col("monthly_fen").alias("members_monthly_fen"),
            pl.col("annual_fen").alias("members_annual_fen"),
        ),
        where=pl.col("counted"),
        name="counted_members",
    ),
    Derive(
        HOUSEHOLDS,
        (
            monthly_fen(pl.col("members_monthly_fen"), pl.col("members_annual_fen")).alias(
                "gross_income_fen"
            ),
        ),
        "gross_income",
    ),
    Drop(HOUSEHOLDS, ("members_monthly_fen", "members_annual_fen")),
)
_kind = pl.col("kind")
ASSET_SUMS = Summarise(
    "assets",
    HOUSEHOLDS,
    "household_id",
    (
        pl.when(_kind.is_in(["deposit", "securities"]))
        .then(pl.col("value_fen"))
        .otherwise(0)
        .alias("deposits_fen"),
        (_kind == "vehicle").alias("vehicles"),
        (_kind == "real_estate").alias("dwellings"),
        (_kind == "business").alias("businesses"),
    ),
    name="asset_sums",
)


def assessed_income(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Income after the deductions the local parameters allow (never below zero)."""
    employment = pl.col("employed_members") * divide_half_up(
        pl.col("dibao_standard") * pl.col("dibao_employment_cost_share_num"),
        pl.col("dibao_employment_cost_share_den"),
    )
    medical = (
        pl.when(pl.col("dibao_deduct_medical") == 1)
        .then(monthly_fen(pl.lit(0), pl.col("medical_expense_fen")))
        .otherwise(0)
    )
    deduction = employment + medical
    return frame.with_columns(deduction.alias("deduction_fen")).with_columns(
        (pl.col("gross_income_fen") - pl.col("deduction_fen"))
        .clip(lower_bound=0)
        .alias("income_fen")
    )


def assets_test(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The property rules: deposits per capita, vehicles, dwellings, businesses."""
    deposits_ok = pl.col("deposits_fen") <= (
        pl.col("dibao_assets_deposit_months") * pl.col("dibao_standard") * pl.col("members")
    )
    return frame.with_columns(
        deposits_ok.alias("assets_deposits_ok"),
        (pl.col("vehicles") <= pl.col("dibao_assets_vehicles_allowed")).alias("assets_vehicles_ok"),
        (pl.col("dwellings") <= pl.col("dibao_assets_dwellings_allowed")).alias(
            "assets_dwellings_ok"
        ),
        (pl.col("businesses") <= pl.col("dibao_assets_businesses_allowed")).alias(
            "assets_businesses_ok"
        ),
    ).with_columns(
        pl.all_horizontal(
            "assets_deposits_ok",
            "assets_vehicles_ok",
            "assets_dwellings_ok",
            "assets_businesses_ok",
        ).alias("assets_ok")
    )
