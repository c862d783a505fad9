"""The indicator catalogue: which department facts or registry dates raise a warning, for whom,
how severe, and by when it must be handled.

Each indicator is a Polars function of the period's inputs that returns the persons it flags
with what raised it (`detail`, JSON text). Thresholds and deadlines are parameters
(policies/parameters/monitoring/). The database run and the benchmark call the same functions.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

RED, ORANGE, YELLOW = "red", "orange", "yellow"
RECIPIENTS, MONITORED = "recipients", "monitored"  # receiving aid now; everyone in the registry
DETAIL = {"person_id": pl.Int64}  # nothing flagged


@dataclass(frozen=True)
class Inputs:
    """What the indicators read for one period (YYYY-MM): `facts[feed]` has person_id, source
    ("file:row") and the feed's typed value columns; `persons` the registry (person_id,
    household_id, region_code, birth_date, disability_grade, employed, monthly_income_fen,
    counted); `recipients` (person_id, program); `cases` (person_id, program, taper_until,
    next_review_on); `assets` (household_id, kind, registration); `household_lines`
    (household_id, line_fen: the 低保 standard × counted members)."""

    period: str
    facts: dict[str, pl.DataFrame]
    persons: pl.DataFrame
    recipients: pl.DataFrame
    cases: pl.DataFrame
    assets: pl.DataFrame
    household_lines: pl.DataFrame
    medical_threshold_fen: int

    @property
    def month(self) -> tuple[date, date]:
        year, month = map(int, self.period.split("-"))
        following = date(year + month // 12, month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(following.toordinal() - 1)

    def fact(self, feed: str) -> pl.DataFrame | None:
        frame = self.facts.get(feed)
        return frame if frame is not None and frame.height else None


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    severity: str
    population: str
    source: str  # the feed, or 民政 for the registry's own dates
    action: str  # what the township or village is asked to do
    detect: Callable[[Inputs], pl.DataFrame]


def _detail(frame: pl.DataFrame, **extra: pl.Expr) -> pl.DataFrame:
    """The flagged rows: person_id and what raised it (every other column, JSON in the end)."""
    return frame.with_columns(**extra) if extra else frame


def _of(persons: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """The registry rows of the persons in `rows`: joins then hash thousands, not millions."""
    return persons.filter(pl.col("person_id").is_in(rows["person_id"].implode()))


def _from_feed(feed: str, keep: Callable[[pl.DataFrame, Inputs], pl.DataFrame] | None = None):
    def detect(inputs: Inputs) -> pl.DataFrame:
        facts = inputs.fact(feed)
        if facts is None:
            return pl.DataFrame(schema=DETAIL)
        return _detail(keep(facts, inputs) if keep else facts)

    return detect


def _earners(facts: pl.DataFrame, inputs: Inputs) -> pl.DataFrame:
    earning = (
        _of(inputs.persons, facts).filter(pl.col("monthly_income_fen") > 0).select("person_id")
    )
    return facts.join(earning, on="person_id", how="semi")


def _medical(facts: pl.DataFrame, inputs: Inputs) -> pl.DataFrame:
    return facts.filter(pl.col("self_paid") >= inputs.medical_threshold_fen)


def _new_severe(facts: pl.DataFrame, inputs: Inputs) -> pl.DataFrame:
    known = _of(inputs.persons, facts).select(
        "person_id", pl.col("disability_grade").alias("_known")
    )
    severe = facts.join(known, on="person_id", how="left").filter(
        (pl.col("grade") <= 2) & (pl.col("_known").is_null() | (pl.col("_known") > 2))
    )
    return severe.drop("_known")


def _undeclared(kind: str, column: str):
    """Facts whose registration is not among the household's declared assets of that kind."""

    def keep(facts: pl.DataFrame, inputs: Inputs) -> pl.DataFrame:
        homes = _of(inputs.persons, facts).select("person_id", "household_id")
        declared = inputs.assets.filter(pl.col("kind") == kind).select(
            "household_id", pl.col("registration").alias(column)
        )
        with_home = facts.join(homes, on="person_id", how="inner")
        return with_home.join(declared, on=["household_id", column], how="anti").drop(
            "household_id"
        )

    return keep


def _income_over_line(inputs: Inputs) -> pl.DataFrame:
    """Department income (税务 and 人社 wages and pensions) of a household's members above its
    低保 line: flagged on each member with such income."""
    parts = []
    if (tax := inputs.fact("income_tax")) is not None:
        parts.append(tax.select("person_id", pl.col("income").alias("fen"), "source"))
    if (work := inputs.fact("employment")) is not None:
        paid = pl.col("wage").fill_null(0) + pl.col("pension").fill_null(0)
        parts.append(
            work.select("person_id", paid.alias("fen"), "source").filter(pl.col("fen") > 0)
        )
    if not parts:
        return pl.DataFrame(schema=DETAIL)
    income = pl.concat(parts).join(
        _of(inputs.persons, pl.concat(parts)).select("person_id", "household_id"),
        on="person_id",
        how="inner",
    )
    totals = income.group_by("household_id").agg(pl.col("fen").sum().alias("household_income_fen"))
    over = totals.join(inputs.household_lines, on="household_id", how="inner").filter(
        pl.col("household_income_fen") > pl.col("line_fen")
    )
    flagged = income.join(over, on="household_id", how="inner").rename({"fen": "income_fen"})
    return _detail(flagged.drop("household_id"))


def _turning(age: int):
    def detect(inputs: Inputs) -> pl.DataFrame:
        first, last = inputs.month
        born = pl.col("birth_date")
        birthday = pl.date(born.dt.year() + age, born.dt.month(), 1)
        reached = inputs.persons.filter(birthday == pl.date(first.year, first.month, 1))
        return _detail(reached.select("person_id", "birth_date"), age=pl.lit(age))

    return detect


def _case_date(column: str):
    def detect(inputs: Inputs) -> pl.DataFrame:
        first, last = inputs.month
        due = inputs.cases.filter(pl.col(column).is_between(first, last))
        return _detail(due.select("person_id", "case_number", "program", column))

    return detect


CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "recipient_died",
        "救助对象死亡",
        RED,
        RECIPIENTS,
        "deaths",
        "核实后停发并重新核定家庭救助",
        _from_feed("deaths"),
    ),
    Indicator(
        "earner_died",
        "家庭主要收入成员死亡",
        ORANGE,
        MONITORED,
        "deaths",
        "入户了解家庭生活状况，符合条件的及时救助",
        _from_feed("deaths", _earners),
    ),
    Indicator(
        "medical_high",
        "医疗费用个人自付超过预警线",
        RED,
        MONITORED,
        "medical",
        "入户核实，符合条件的给予临时救助或纳入低保、刚性支出困难家庭",
        _from_feed("medical", _medical),
    ),
    Indicator(
        "new_severe_disability",
        "新增重度残疾",
        ORANGE,
        MONITORED,
        "disability",
        "核实残疾情况，落实两项补贴、分类施保",
        _from_feed("disability", _new_severe),
    ),
    Indicator(
        "unemployed",
        "家庭成员失业登记",
        YELLOW,
        MONITORED,
        "employment",
        "了解就业和收入变化，必要时救助或就业帮扶",
        _from_feed("employment", lambda f, i: f.filter(pl.col("status") == "unemployed")),
    ),
    Indicator(
        "imprisoned",
        "救助对象服刑或强制隔离戒毒",
        RED,
        RECIPIENTS,
        "detention",
        "核实后依规调整救助（服刑期间不计入家庭人口）",
        _from_feed("detention", lambda f, i: f.filter(pl.col("kind").is_in(["prison", "rehab"]))),
    ),
    Indicator(
        "vehicle_acquired",
        "救助对象名下有未申报的机动车",
        ORANGE,
        RECIPIENTS,
        "vehicles",
        "核查车辆情况，不符合财产条件的停发",
        _from_feed("vehicles", _undeclared("vehicle", "plate")),
    ),
    Indicator(
        "real_estate_acquired",
        "救助对象名下有未申报的不动产",
        ORANGE,
        RECIPIENTS,
        "real_estate",
        "核查房产情况，不符合财产条件的停发",
        _from_feed("real_estate", _undeclared("real_estate", "certificate")),
    ),
    Indicator(
        "business_registered",
        "救助对象名下有未申报的市场主体",
        ORANGE,
        RECIPIENTS,
        "businesses",
        "核查经营情况和收入",
        _from_feed("businesses", _undeclared("business", "credit_code")),
    ),
    Indicator(
        "income_over_standard",
        "部门收入数据超过低保线",
        ORANGE,
        RECIPIENTS,
        "income_tax",
        "核对家庭收入，超过标准的减发、渐退或停发",
        _income_over_line,
    ),
    Indicator(
        "disaster_victim",
        "家庭受灾",
        ORANGE,
        MONITORED,
        "disaster",
        "入户了解受灾情况，给予临时救助",
        _from_feed("disaster"),
    ),
    Indicator(
        "moved_out",
        "救助对象户籍迁出",
        YELLOW,
        RECIPIENTS,
        "hukou_moves",
        "核实居住情况，办理救助关系转移或停发",
        _from_feed("hukou_moves", lambda f, i: f.filter(pl.col("direction") == "out")),
    ),
    Indicator(
        "age_60", "救助对象年满60周岁", YELLOW, RECIPIENTS, "民政", "调整分类施保", _turning(60)
    ),
    Indicator("age_80", "年满80周岁", YELLOW, MONITORED, "民政", "落实高龄津贴", _turning(80)),
    Indicator(
        "child_18",
        "救助对象年满18周岁",
        YELLOW,
        RECIPIENTS,
        "民政",
        "孤儿、事实无人抚养儿童基本生活费到期处理；重新核定家庭救助",
        _turning(18),
    ),
    Indicator(
        "taper_ending",
        "渐退期届满",
        YELLOW,
        RECIPIENTS,
        "民政",
        "渐退期满停发或重新核定",
        _case_date("taper_until"),
    ),
    Indicator(
        "review_due",
        "复核到期",
        YELLOW,
        RECIPIENTS,
        "民政",
        "按期开展复核",
        _case_date("next_review_on"),
    ),
)
BY_CODE = {i.code: i for i in CATALOGUE}


def detect_all(inputs: Inputs) -> pl.DataFrame:
    """Every indicator's flagged persons in its population: indicator, severity, person_id,
    household_id, region_code, detail — one row per indicator and person."""
    receiving = inputs.recipients.select("person_id").unique()
    found = []
    for indicator in CATALOGUE:
        flagged = indicator.detect(inputs).unique("person_id", keep="first", maintain_order=True)
        if indicator.population == RECIPIENTS:
            flagged = flagged.join(receiving, on="person_id", how="semi")
        # JSON only for the rows kept, and in Polars: a million rows of json.dumps take seconds.
        detail = pl.struct(pl.exclude("person_id")).struct.json_encode()
        found.append(
            flagged.select(
                "person_id",
                (detail if flagged.width > 1 else pl.lit("{}")).alias("detail"),
                pl.lit(indicator.code).alias("indicator"),
                pl.lit(indicator.severity).alias("severity"),
            )
        )
    flagged = pl.concat(found)
    homes = _of(inputs.persons, flagged).select("person_id", "household_id", "region_code")
    return flagged.join(homes, on="person_id", how="inner").select(
        "indicator", "severity", "person_id", "household_id", "region_code", "detail"
    )
