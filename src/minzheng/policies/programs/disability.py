"""残疾人两项补贴: 困难残疾人生活补贴 and 重度残疾人护理补贴, amounts by grade.

Interaction rules (国发〔2015〕52号): both may be received together; children receiving 孤儿/
事实无人抚养儿童 support get no 生活补贴 but may get the 护理补贴; people receiving 特困供养 or
工伤保险生活护理费 get neither. The subsidies are not counted as 低保 family income (the income
item is marked excluded when recorded).
"""

from datetime import date

import polars as pl

from minzheng.policies.programs import MONTHLY, PERSON, Program

REFERENCES = (
    "国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见（国发〔2015〕52号）",
)
VERSIONS = ((date(2016, 1, 1), "disability-2015.52"),)

grade = pl.col("disability_grade")
not_excluded = ~pl.col("tekun_eligible") & ~pl.col("work_injury_care")


def apply_living(frame: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    poor = (
        pl.col("dibao_eligible")
        | pl.col("dibao_single_eligible")
        | (pl.col("dibao_edge_eligible") & (pl.col("disability_living_covers_edge") == 1))
    )
    eligible = (
        grade.is_between(1, 4).fill_null(False)
        & poor
        & not_excluded
        & ~pl.col("child_allowance_eligible")
    )
    amount = (
        pl.when(grade <= 2)
        .then(pl.col("disability_living_severe"))
        .otherwise(pl.col("disability_living_other"))
    )
    return frame.with_columns(
        grade.is_between(1, 4).fill_null(False).alias("disability_certified"),
        poor.alias("disability_in_low_income_family"),
        eligible.alias("disability_living_eligible"),
    ).with_columns(
        pl.when(eligible).then(amount).otherwise(0).alias("disability_living_amount_fen")
    )


def apply_nursing(frame: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    mental = pl.col("disability_category").is_in(["intellectual", "mental"])
    covered = (grade <= 2) | (
        (pl.col("disability_nursing_covers_grade34_mental") == 1) & mental & grade.is_between(3, 4)
    )
    eligible = covered.fill_null(False) & pl.col("long_term_care") & not_excluded
    amount = (
        pl.when(grade == 1)
        .then(pl.col("disability_nursing_grade1"))
        .otherwise(pl.col("disability_nursing_grade2"))
    )
    return frame.with_columns(
        covered.fill_null(False).alias("disability_severe"),
        eligible.alias("disability_nursing_eligible"),
    ).with_columns(
        pl.when(eligible).then(amount).otherwise(0).alias("disability_nursing_amount_fen")
    )


LIVING = Program(
    code="disability_living",
    paid=MONTHLY,
    label="困难残疾人生活补贴",
    level=PERSON,
    stage=2,
    requires=("dibao_single", "tekun"),
    references=REFERENCES,
    parameters=(
        "disability.living_severe",
        "disability.living_other",
        "disability.living_covers_edge",
    ),
    criteria={
        "disability_certified": "持有残疾人证（一至四级）",
        "disability_in_low_income_family": "低保家庭成员（或单人户低保；地方扩面时含低保边缘）",
        "tekun_eligible": "特困人员（不享受）",
        "work_injury_care": "领取工伤保险生活护理费（不享受）",
        "child_allowance_eligible": "享受孤儿、事实无人抚养儿童保障（不享受生活补贴）",
    },
    eligible="disability_living_eligible",
    amount="disability_living_amount_fen",
    apply=apply_living,
    versions=VERSIONS,
)
NURSING = Program(
    code="disability_nursing",
    paid=MONTHLY,
    label="重度残疾人护理补贴",
    level=PERSON,
    stage=2,
    requires=("tekun",),
    references=REFERENCES,
    parameters=(
        "disability.nursing_grade1",
        "disability.nursing_grade2",
        "disability.nursing_covers_grade34_mental",
    ),
    criteria={
        "disability_severe": "一、二级残疾（地方扩面时含三、四级智力、精神残疾）",
        "long_term_care": "需要长期照护",
        "tekun_eligible": "特困人员（不享受）",
        "work_injury_care": "领取工伤保险生活护理费（不享受）",
    },
    eligible="disability_nursing_eligible",
    amount="disability_nursing_amount_fen",
    apply=apply_nursing,
    versions=VERSIONS,
)
