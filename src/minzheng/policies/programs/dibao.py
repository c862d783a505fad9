"""最低生活保障 (低保), 低保边缘家庭 and 单人户 (单独提出申请).

低保: the counted members' monthly income below standard × n, and the assets test; the amount is
the 差额 standard × n − income in integer fen (never (standard − income/n) × n, which rounds
wrongly: 632 × 3 − 1894 = 2, not 3), plus the 分类施保 extra per elderly, minor, severely disabled
or seriously ill member where the local share is not zero. A recipient whose income has risen
above the line but stays under the 低保边缘 line gets a 渐退 period instead of a stop.
"""

from datetime import date

import polars as pl

from minzheng.kit.money import divide_half_up
from minzheng.policies.programs import HOUSEHOLD, MONTHLY, PERSON, Program

REFERENCES = (
    "社会救助暂行办法（国务院令第649号）第九条、第十二条",
    "最低生活保障审核确认办法（民发〔2021〕57号）",
)
VERSIONS = ((date(2014, 5, 1), "dibao-2014"), (date(2021, 7, 1), "dibao-2021.1"))

line = pl.col("dibao_standard") * pl.col("members")
under_edge_line = pl.col("income_fen") * pl.col("dibao_edge_multiplier_den") < (
    line * pl.col("dibao_edge_multiplier_num")
)


def apply_dibao(frame: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    eligible = pl.col("dibao_has_members") & pl.col("assets_ok") & pl.col("dibao_below_standard")
    per_member_extra = divide_half_up(
        pl.col("dibao_standard") * pl.col("dibao_classified_share_num"),
        pl.col("dibao_classified_share_den"),
    )
    frame = frame.with_columns(
        (pl.col("members") > 0).alias("dibao_has_members"),
        line.alias("dibao_line_fen"),
        (pl.col("income_fen") < line).alias("dibao_below_standard"),
    ).with_columns(eligible.alias("dibao_eligible"))
    paid = pl.col("dibao_eligible")
    return (
        frame.with_columns(
            pl.when(paid).then(line - pl.col("income_fen")).otherwise(0).alias("dibao_gap_fen"),
            pl.when(paid)
            .then(pl.col("classified_members") * per_member_extra)
            .otherwise(0)
            .alias("dibao_classified_fen"),
        )
        .with_columns(
            (pl.col("dibao_gap_fen") + pl.col("dibao_classified_fen")).alias("dibao_amount_fen"),
            (pl.col("dibao_recipient") & ~paid & under_edge_line & pl.col("assets_ok")).alias(
                "dibao_taper"
            ),
        )
        .with_columns(
            pl.when(pl.col("dibao_taper"))
            .then(pl.col("dibao_taper_months"))
            .otherwise(0)
            .alias("dibao_taper_months_due")
        )
    )


def apply_edge(frame: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    return frame.with_columns(under_edge_line.alias("dibao_edge_below_line")).with_columns(
        (
            pl.col("dibao_has_members")
            & pl.col("assets_ok")
            & ~pl.col("dibao_eligible")
            & pl.col("dibao_edge_below_line")
        ).alias("dibao_edge_eligible")
    )


def apply_single(frame: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """单人户: in a 低保边缘 family, an adult without work who is severely disabled (grade 1–2, or
    grade 3 intellectual/mental) or seriously ill is assessed on his own income alone."""
    grade = pl.col("disability_grade")
    severe = grade.is_in([1, 2]) | (
        (grade == 3) & pl.col("disability_category").is_in(["intellectual", "mental"])
    )
    qualifies = (
        pl.col("dibao_edge_eligible")
        & pl.col("counted")
        & (pl.col("age") >= 18)
        & ~pl.col("employed")
        & (severe | pl.col("serious_illness"))
    ).fill_null(False)
    own_below = pl.col("own_income_fen") < pl.col("dibao_standard")
    return (
        frame.with_columns(
            qualifies.alias("dibao_single_qualifies"),
            own_below.alias("dibao_single_below_standard"),
        )
        .with_columns(
            (qualifies & own_below).alias("dibao_single_eligible"),
        )
        .with_columns(
            pl.when(pl.col("dibao_single_eligible"))
            .then(pl.col("dibao_standard") - pl.col("own_income_fen"))
            .otherwise(0)
            .alias("dibao_single_amount_fen")
        )
    )


DIBAO = Program(
    code="dibao",
    paid=MONTHLY,
    label="最低生活保障",
    level=HOUSEHOLD,
    stage=1,
    references=REFERENCES,
    parameters=(
        "dibao.standard",
        "dibao.edge_multiplier",
        "dibao.classified_share",
        "dibao.taper_months",
    ),
    criteria={
        "dibao_has_members": "有计入的共同生活家庭成员",
        "dibao_below_standard": "家庭月收入低于低保标准 × 人数",
        "assets_ok": "家庭财产符合规定",
        "classified_members": "分类施保人数（老年人、未成年人、重度残疾人、重病患者）",
        "dibao_taper": "收入超过标准但低于低保边缘线的在保家庭，给予渐退期",
    },
    eligible="dibao_eligible",
    amount="dibao_amount_fen",
    apply=apply_dibao,
    versions=VERSIONS,
)
DIBAO_EDGE = Program(
    code="dibao_edge",
    label="低保边缘家庭",
    level=HOUSEHOLD,
    stage=1,
    requires=("dibao",),
    references=("最低生活保障审核确认办法（民发〔2021〕57号）", "国办发〔2023〕39号"),
    parameters=("dibao.standard", "dibao.edge_multiplier"),
    criteria={
        "dibao_eligible": "符合低保（符合的不再认定为低保边缘）",
        "dibao_edge_below_line": "家庭月收入低于低保标准 × 倍数 × 人数",
        "assets_ok": "家庭财产符合规定",
    },
    eligible="dibao_edge_eligible",
    amount=None,
    apply=apply_edge,
    versions=((date(2021, 7, 1), "dibao-edge-2021.1"),),
)
DIBAO_SINGLE = Program(
    code="dibao_single",
    granted=None,  # assessed within a 低保 case for one person of the household
    label="低保单人户（单独提出申请）",
    level=PERSON,
    stage=2,
    requires=("dibao_edge",),
    references=(
        "最低生活保障审核确认办法（民发〔2021〕57号）第十条",
        "民发〔2022〕83号（成年无业重度残疾人参照单人户）",
    ),
    parameters=("dibao.standard",),
    criteria={
        "dibao_single_qualifies": "低保边缘家庭中成年无业的重度残疾人或重病患者",
        "dibao_single_below_standard": "本人月收入低于低保标准",
    },
    eligible="dibao_single_eligible",
    amount="dibao_single_amount_fen",
    apply=apply_single,
    versions=((date(2021, 7, 1), "dibao-single-2022.1"),),
)
