"""特困人员救助供养: the three conditions, and the 供养标准 = basic living + care band.

1. 无劳动能力: aged 60 or over, under 16, or a disability on the list in force — the 2021 list
   (民发〔2021〕43号) adds grade-3 intellectual/mental, grade-2 physical and grade-1 visual to the
   2016 one (民发〔2016〕178号).
2. 无生活来源: own income below the 低保 standard and the property rules met.
3. 无履行能力的义务人: no able legal supporter — neither a recorded supporter outside the household
   whose condition is "able", nor a co-resident adult of working age without a listed disability.
Children who qualify for 孤儿/事实无人抚养儿童 support receive that instead (不重复保障).
Care band by the 6-item self-care assessment: 0 items failed 全自理, 1–3 半护理, 4–6 全护理;
a person not yet assessed is counted 全自理 until assessed.
"""

from datetime import date

import polars as pl

from minzheng.kit.money import divide_half_up, monthly_fen
from minzheng.policies.programs import MONTHLY, PERSON, Program

LIST_2016 = {"intellectual": 2, "mental": 2, "physical": 1}  # category → worst grade listed
LIST_2021 = {"intellectual": 3, "mental": 3, "physical": 2, "visual": 1}
LIST_2021_FROM = date(2021, 7, 1)


def disability_on_list(as_of: date) -> pl.Expr:
    listed = LIST_2021 if as_of >= LIST_2021_FROM else LIST_2016
    grade, category = pl.col("disability_grade"), pl.col("disability_category")
    return pl.any_horizontal(
        [(category == name) & (grade <= worst) for name, worst in listed.items()]
    ).fill_null(False)


def no_labour_capacity(as_of: date) -> pl.Expr:
    age = pl.col("age")
    return ((age >= 60) | (age < 16)).fill_null(False) | disability_on_list(as_of)


def able_adult(as_of: date) -> pl.Expr:
    """A counted member of working age (18–59) whose disability is not on the list."""
    return (
        pl.col("counted") & pl.col("age").is_between(18, 59) & ~disability_on_list(as_of)
    ).fill_null(False)


def household_sums(as_of: date) -> tuple[pl.Expr, ...]:
    return (able_adult(as_of).alias("tekun_able_adults"),)


def able_supporter(as_of: date) -> pl.Expr:
    """A recorded able supporter, or another member who is an able adult: both are legal
    supporters able to fulfil the duty."""
    others = pl.col("tekun_able_adults") - able_adult(as_of).cast(pl.Int64)
    return pl.col("recorded_able_supporter") | (others > 0)


def apply(frame: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    frame = frame.with_columns(
        no_labour_capacity(as_of).alias("tekun_no_labour_capacity"),
        ((pl.col("own_income_fen") < pl.col("dibao_standard")) & pl.col("assets_ok")).alias(
            "tekun_no_income"
        ),
        (~able_supporter(as_of)).alias("tekun_no_able_supporter"),
    )
    eligible = (
        (pl.col("exclusion") == "")
        & pl.col("tekun_no_labour_capacity")
        & pl.col("tekun_no_income")
        & pl.col("tekun_no_able_supporter")
        & ~pl.col("child_allowance_eligible")
    )
    basic = divide_half_up(
        pl.col("dibao_standard") * pl.col("tekun_basic_multiplier_num"),
        pl.col("tekun_basic_multiplier_den"),
    )
    return (
        frame.with_columns(eligible.alias("tekun_eligible"), _care_band().alias("tekun_care_band"))
        .with_columns(
            pl.when(pl.col("tekun_eligible")).then(basic).otherwise(0).alias("tekun_basic_fen"),
            pl.when(pl.col("tekun_eligible"))
            .then(monthly_fen(pl.lit(0), _care_annual()))
            .otherwise(0)
            .alias("tekun_care_fen"),
        )
        .with_columns(
            (pl.col("tekun_basic_fen") + pl.col("tekun_care_fen")).alias("tekun_amount_fen")
        )
    )


def _care_band() -> pl.Expr:
    failed = pl.col("self_care_unable").fill_null(0)
    return (
        pl.when(failed >= 4)
        .then(pl.lit("full"))
        .when(failed >= 1)
        .then(pl.lit("partial"))
        .otherwise(pl.lit("self"))
    )


def _care_annual() -> pl.Expr:
    mode = (
        pl.when(pl.col("support_mode") == "centralised")
        .then(pl.lit("centralised"))
        .otherwise(pl.lit("dispersed"))
    )
    expression = pl.lit(0, pl.Int64)
    for support in ("dispersed", "centralised"):
        for band in ("full", "partial", "self"):
            expression = (
                pl.when((mode == support) & (pl.col("tekun_care_band") == band))
                .then(pl.col(f"tekun_care_{support}_{band}"))
                .otherwise(expression)
            )
    return expression


TEKUN = Program(
    code="tekun",
    paid=MONTHLY,
    label="特困人员救助供养",
    level=PERSON,
    stage=2,
    requires=("child_allowance",),
    references=(
        "社会救助暂行办法（国务院令第649号）第十四条、第十五条",
        "特困人员认定办法（民发〔2021〕43号）",
    ),
    parameters=(
        "dibao.standard",
        "tekun.basic_multiplier",
        *(
            f"tekun.care.{m}_{b}"
            for m in ("dispersed", "centralised")
            for b in ("full", "partial", "self")
        ),
    ),
    criteria={
        "tekun_no_labour_capacity": "无劳动能力（60周岁以上、未满16周岁或所列残疾等级）",
        "tekun_no_income": "无生活来源（本人收入低于低保标准且财产符合规定）",
        "tekun_no_able_supporter": "无法定义务人或义务人无履行能力",
        "child_allowance_eligible": "享受孤儿、事实无人抚养儿童保障（不重复认定）",
        "tekun_care_band": "照料护理档次（全自理、半护理、全护理）",
    },
    eligible="tekun_eligible",
    amount="tekun_amount_fen",
    apply=apply,
    household_sums=household_sums,
    versions=((date(2016, 10, 10), "tekun-2016.178"), (LIST_2021_FROM, "tekun-2021.43")),
)
