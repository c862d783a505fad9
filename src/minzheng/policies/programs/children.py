"""孤儿 and 事实无人抚养儿童 基本生活费: a combinatorial rule over the two parents' situations.

孤儿: under 18 and both parents dead or declared missing (失去父母、查找不到生父母).
事实无人抚养儿童: under 18, not an orphan, and each parent either dead/missing or in one of the
de-facto situations (重残, 重病, 服刑在押/强制隔离戒毒, 失联, 被撤销监护资格, 被遣送出境) — at least
one parent in such a situation. The registry records a situation once verified (the 6-month
durations for prison and lost contact are checked when it is recorded).
"""

from datetime import date

import polars as pl

from minzheng.policies.programs import MONTHLY, PERSON, Program

GONE = ("dead", "missing")
DE_FACTO = (
    "severe_disability",
    "serious_illness",
    "in_prison",
    "lost_contact",
    "guardianship_revoked",
    "deported",
)


def apply(frame: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    father, mother = pl.col("father_situation"), pl.col("mother_situation")
    minor = (pl.col("age") < 18).fill_null(False)
    orphan = minor & father.is_in(GONE) & mother.is_in(GONE)
    absent = list(GONE + DE_FACTO)
    de_facto = (
        minor
        & ~orphan
        & father.is_in(absent)
        & mother.is_in(absent)
        & (father.is_in(DE_FACTO) | mother.is_in(DE_FACTO))
    )
    centralised = pl.col("support_mode") == "centralised"
    orphan_amount = (
        pl.when(centralised)
        .then(pl.col("children_orphan_centralised"))
        .otherwise(pl.col("children_orphan_dispersed"))
    )
    return frame.with_columns(
        minor.alias("child_minor"),
        orphan.alias("orphan_eligible"),
        de_facto.alias("de_facto_child_eligible"),
    ).with_columns(
        (pl.col("orphan_eligible") | pl.col("de_facto_child_eligible")).alias(
            "child_allowance_eligible"
        ),
        pl.when(pl.col("orphan_eligible"))
        .then(orphan_amount)
        .when(pl.col("de_facto_child_eligible"))
        .then(pl.col("children_de_facto"))
        .otherwise(0)
        .alias("child_allowance_fen"),
    )


CHILD_ALLOWANCE = Program(
    code="child_allowance",
    paid=MONTHLY,
    label="孤儿、事实无人抚养儿童基本生活费",
    level=PERSON,
    stage=2,
    references=(
        "国务院办公厅关于加强孤儿保障工作的意见（国办发〔2010〕54号）",
        "关于进一步加强事实无人抚养儿童保障工作的意见（民发〔2019〕62号）",
    ),
    parameters=("children.orphan_dispersed", "children.orphan_centralised", "children.de_facto"),
    criteria={
        "child_minor": "未满18周岁",
        "orphan_eligible": "孤儿：父母双方均死亡或宣告失踪",
        "de_facto_child_eligible": (
            "事实无人抚养儿童：父母双方均无法履行抚养义务（至少一方重残、重病、服刑、失联等）"
        ),
    },
    eligible="child_allowance_eligible",
    amount="child_allowance_fen",
    apply=apply,
    versions=((date(2010, 11, 16), "orphan-2010"), (date(2020, 1, 1), "children-2019.62")),
)
