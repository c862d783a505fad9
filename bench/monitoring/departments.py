"""Department files for the monitoring benchmark: one frame per feed of the catalogue
(monitoring/feeds.yaml), headed by its column codes, every cell text as a department sends it.

Most rows are registry persons, chosen the way each department sees them (deaths among the
old, enrolment among pupils, detention among young men …), with recipients over-represented
where poverty and the event go together, so that every indicator fires; a fifth are strangers.
Then the blemishes of real files: ID numbers in messy forms or invalid, a name that is not
the registry's, malformed cells, a few repeated keys. Dates are YYYY-MM-DD, money yuan with two
decimals, choices their Chinese labels, a blank cell null.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import names
import numpy as np
import polars as pl

from minzheng.monitoring import feeds

SHARES = {
    "medical": 0.25,
    "employment": 0.20,
    "income_tax": 0.15,
    "housing_fund": 0.10,
    "enrolment": 0.10,
    "real_estate": 0.08,
    "disability": 0.05,
    "vehicles": 0.04,
    "businesses": 0.02,
    "hukou_moves": 0.005,
    "deaths": 0.003,
    "disaster": 0.001,
    "detention": 0.001,
}
STRANGERS = 0.2  # rows of people outside the registry
MESSY_ID, INVALID_ID, OTHER_NAME = 0.01, 0.001, 0.0005
MALFORMED, DUPLICATE = 0.0005, 0.0001
UNDECLARED = 0.05  # of an asset feed's registry rows: registered, never declared
BAD_CELLS = {
    "date": ["2025-02-30", "2025-13-01", "2025.6.31", "六月上旬"],
    "choice": ["未知", "其他", "-"],
    "integer": ["5", "二级"],
    "decimal": ["约90", "90平米"],
}
SCHOOLS = {"preschool": "幼儿园", "primary": "小学", "junior": "中学", "senior": "高级中学"}
UNIVERSITIES = "北京大学 南京大学 四川大学 山东大学 郑州大学 湖南师范大学 广西大学 兰州大学".split()
DISASTERS = (
    ["洪涝", "风雹", "台风", "干旱", "地震", "低温冷冻", "山体滑坡"],
    [5, 3, 2, 2, 1, 1, 1],
)
VEHICLES = (
    ["小型轿车", "小型普通客车", "轻型普通货车", "普通二轮摩托车", "三轮汽车"],
    [5, 3, 1, 2, 1],
)
TRADES = "便利店 餐馆 五金店 理发店 养殖场 农资店 服装店 修车铺 水果店 建材店".split()
MONTHLY_TAX = (  # 综合所得 monthly withholding: taxable fen up to, rate %, quick deduction fen
    [300_000, 1_200_000, 2_500_000, 3_500_000, 5_500_000, 8_000_000, 2**62],
    [3, 10, 20, 25, 30, 35, 45],
    [0, 21_000, 141_000, 266_000, 441_000, 716_000, 1_516_000],
)


@dataclass(frozen=True)
class Sources:
    people: pl.DataFrame  # registry persons: identity, attributes and `recipient`
    strangers: pl.DataFrame  # the same columns, for people outside the registry
    assets: pl.DataFrame  # declared: kind, serial, registration, registered_on, owner_id
    counties: dict[str, str]  # 6-digit code → name, for schools and 迁往或迁自地区
    as_of: date  # the period's last day


def write_all(sources: Sources, total: int, rng: np.random.Generator, workdir: Path) -> dict:
    written = {}
    for code, rows in row_counts(total).items():
        frame = department_file(code, sources, rows, rng)
        frame.write_parquet(workdir / f"feed_{code}.parquet")
        written[code] = frame.height
        print(f"  feed_{code}: {frame.height:,} rows", file=sys.stderr, flush=True)
    return written


def row_counts(total: int) -> dict[str, int]:
    counts = {code: int(total * share) for code, share in SHARES.items()}
    counts["medical"] += total - sum(counts.values())
    return counts


def department_file(code: str, sources: Sources, rows: int, rng: np.random.Generator):
    feed = feeds.feed(code)
    repeated = round(rows * DUPLICATE)
    text = _malformed(feed, _as_text(feed, BUILDERS[code](sources, rows - repeated, rng), rng), rng)
    text = pl.concat([text, text[rng.integers(0, max(text.height, 1), repeated)]])
    return text[rng.permutation(text.height)]  # the department's order, not ours


def pick(frame: pl.DataFrame, count: int, weight: pl.Expr, rng: np.random.Generator):
    """`count` rows without replacement, each with odds ∝ `weight` (0: never; pl.col("u") is a
    fresh uniform draw), in frame order: exponential keys, the smallest win (Efraimidis and
    Spirakis)."""
    drawn = frame.with_columns(u=pl.Series(rng.random(frame.height)))
    w = drawn.with_columns(w=weight.cast(pl.Float64).fill_null(0))["w"].to_numpy()
    keys = np.full(len(w), np.inf)
    keys[w > 0] = rng.exponential(size=int((w > 0).sum())) / w[w > 0]
    count = min(count, int((w > 0).sum()))
    if count == 0:
        return frame.clear()
    return frame[np.sort(np.argpartition(keys, count - 1)[:count])]


def _persons(s: Sources, rows: int, weight: pl.Expr, rng, ours: int | None = None, theirs=None):
    """Registry persons (1 − STRANGERS of the rows unless `ours` says) and strangers, each ∝
    their weight (`theirs`, else the same)."""
    ours = round(rows * (1 - STRANGERS)) if ours is None else ours
    registry = pick(s.people, ours, weight, rng)
    others = pick(s.strangers, rows - registry.height, weight if theirs is None else theirs, rng)
    return pl.concat([registry, others.select(registry.columns)], how="vertical_relaxed")


# ---- typed values -----------------------------------------------------------------------------


def days_before(as_of: date, low: int, high: int, n: int, rng) -> pl.Series:
    days = rng.integers(low, high + 1, n).astype("timedelta64[D]")
    return pl.Series(np.datetime64(as_of, "D") - days)


def _in_period(s: Sources, n: int, rng) -> pl.Series:
    return days_before(s.as_of, 0, s.as_of.day - 1, n, rng)


def _fen(rng, median_yuan, sigma: float, n: int) -> np.ndarray:
    return np.rint(rng.lognormal(np.log(median_yuan), sigma, n) * 100).astype(np.int64)


def _choose(rng, values: list, weights: list, n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return np.asarray(values)[rng.choice(len(values), n, p=p / p.sum())]


def _blank(values, share: float, rng) -> pl.Series:
    """Null (a blank cell) in `share` of the rows."""
    values = values if isinstance(values, pl.Series) else pl.Series(values)
    return pl.select(pl.when(pl.Series(rng.random(len(values)) >= share)).then(values)).to_series()


def _two_decimals(hundredths: pl.Expr) -> pl.Expr:
    whole, cents = hundredths // 100, (hundredths % 100).cast(pl.Utf8).str.zfill(2)
    return whole.cast(pl.Utf8) + pl.lit(".") + cents


def _odds(condition: pl.Expr, odds: float) -> pl.Expr:
    return pl.when(condition).then(odds).otherwise(1.0)


# ---- the feeds --------------------------------------------------------------------------------


def _deaths(s: Sources, rows: int, rng) -> pl.DataFrame:
    mortality = ((pl.col("age") - 75).clip(-40, 25) / 9).exp()
    who = _persons(s, rows, mortality * _odds(pl.col("recipient"), 2.0), rng)
    return who.with_columns(died_on=_in_period(s, who.height, rng))


def _hukou_moves(s: Sources, rows: int, rng) -> pl.DataFrame:
    who = _persons(s, rows, _odds(pl.col("age").is_between(18, 45), 4.0), rng)
    n, places = who.height, pl.Series(list(s.counties.values()))
    return who.with_columns(
        moved_on=_in_period(s, n, rng),
        direction=_choose(rng, ["in", "out"], [45, 55], n),
        region=_blank(places.gather(rng.integers(0, len(places), n)), 0.1, rng),
    )


def _detention(s: Sources, rows: int, rng) -> pl.DataFrame:
    adult = pl.col("age").is_between(18, 60).cast(pl.Float64)
    weight = adult * _odds(pl.col("sex") == "M", 6.0) * _odds(pl.col("recipient"), 3.0)
    who = _persons(s, rows, weight, rng)
    n = who.height
    kind = _choose(rng, ["prison", "detention", "rehab"], [45, 40, 15], n)
    days = np.where(kind == "prison", rng.integers(180, 3650, n), rng.integers(5, 16, n))
    days = np.where(kind == "rehab", 730, days)
    started = np.datetime64(s.as_of, "D") - rng.integers(0, 181, n).astype("timedelta64[D]")
    ends = pl.Series(started + days.astype("timedelta64[D]"))
    return who.with_columns(
        kind=kind, started_on=pl.Series(started), ends_on=_blank(ends, 0.1, rng)
    )


def _medical(s: Sources, rows: int, rng) -> pl.DataFrame:
    ill, disabled = pl.col("serious_illness"), pl.col("disability_category") != ""
    weight = 1 + pl.col("age") / 30 + 5 * ill.cast(pl.Float64) + 2 * disabled.cast(pl.Float64)
    who = _persons(s, rows, weight, rng)
    n = who.height
    major = who["serious_illness"].to_numpy() | (rng.random(n) < 0.03)
    total = np.where(major, _fen(rng, 40_000, 0.9, n), _fen(rng, 1500, 1.2, n))
    self_paid = np.rint(total * rng.uniform(0.15, 0.45, n)).astype(np.int64)
    return who.with_columns(
        total=total,
        self_paid=self_paid,
        major_illness=_blank(np.where(major, "yes", "no"), 0.05, rng),
    )


def _disability(s: Sources, rows: int, rng) -> pl.DataFrame:
    """The registry's certificates, a few upgraded to grade 1–2 this month, and some new ones."""
    known = pl.col("disability_category") != ""
    new = (pl.col("u") < 0.003) & (pl.col("age") >= 40)
    who = _persons(s, rows, (known | new).cast(pl.Float64), rng, theirs=pl.lit(1.0))
    n = who.height
    categories = ["physical", "visual", "hearing", "speech", "intellectual", "mental", "multiple"]
    existing = (who["disability_category"] != "").to_numpy()
    grade = who["disability_grade"].fill_null(4).to_numpy()
    upgraded = existing & (grade >= 3) & (rng.random(n) < 0.03)
    fresh = upgraded | (~existing & who["person_id"].is_not_null().to_numpy())
    drawn = rng.choice(4, n, p=[0.15, 0.25, 0.3, 0.3]) + 1
    grade = np.where(upgraded, rng.integers(1, 3, n), np.where(existing, grade, drawn))
    issued = pl.select(
        pl.when(pl.Series(fresh))
        .then(_in_period(s, n, rng))
        .otherwise(days_before(s.as_of, 60, 5500, n, rng))
    ).to_series()
    category = np.where(existing, who["disability_category"], _choose(rng, categories, [1] * 7, n))
    return who.with_columns(category=category, grade=grade, issued_on=issued)


def _employment(s: Sources, rows: int, rng) -> pl.DataFrame:
    """Mostly the employed and the retired; some lose their job. Recipients' wages and pensions
    are small (odd jobs, rural pensions), as their means test found."""
    working = pl.col("age").is_between(16, 75).cast(pl.Float64)
    weight = working * _odds(pl.col("employed"), 3.0) * _odds(pl.col("recipient"), 0.5)
    who = _persons(s, rows, weight, rng)
    n, u = who.height, rng.random(who.height)
    age, employed = who["age"].to_numpy(), who["employed"].to_numpy()
    retired = (age >= 60) | ((who["sex"].to_numpy() == "F") & (age >= 55))
    status = np.select(
        [retired & ~employed, employed & (u < 0.04), employed & (u < 0.06), ~employed & (u < 0.15)],
        ["retired", "unemployed", "public_post", "unemployed"],
        "employed",
    )
    urban, poor = who["urban"].to_numpy(), who["recipient"].to_numpy()
    wage = np.where(status == "public_post", _fen(rng, 2000, 0.1, n), 0)
    median = np.where(poor, 1200, np.where(urban, 4500, 3000))
    wage = np.where(status == "employed", _fen(rng, median, 0.45, n), wage)
    median = np.where(urban & ~poor, 3000, 250)
    pension = np.where(status == "retired", _fen(rng, median, 0.35, n), 0)
    days = np.where(status == "unemployed", rng.integers(0, 180, n), rng.integers(30, 7300, n))
    since = pl.Series(np.datetime64(s.as_of, "D") - days.astype("timedelta64[D]"))
    return who.with_columns(
        status=status,
        since=_blank(since, 0.05, rng),
        wage=pl.Series(wage).replace(0, None),
        pension=pl.Series(pension).replace(0, None),
    )


def _income_tax(s: Sources, rows: int, rng) -> pl.DataFrame:
    adult = pl.col("age").is_between(18, 65).cast(pl.Float64)
    weight = adult * pl.when(pl.col("employed")).then(4.0).otherwise(0.3)
    who = _persons(s, rows, weight * _odds(pl.col("recipient"), 0.3), rng)
    n = who.height
    median = np.where(who["urban"].to_numpy(), 5500.0, 3500.0)
    median = np.where(who["recipient"].to_numpy(), 1800.0, median)  # odd jobs, often above 1,000
    income = _fen(rng, median, 0.6, n)
    taxable = np.maximum(income - 500_000, 0)
    bracket = np.searchsorted(MONTHLY_TAX[0], taxable)
    rate, deduction = np.asarray(MONTHLY_TAX[1])[bracket], np.asarray(MONTHLY_TAX[2])[bracket]
    return who.with_columns(income=income, tax=np.maximum(taxable * rate // 100 - deduction, 0))


def _housing_fund(s: Sources, rows: int, rng) -> pl.DataFrame:
    working = (pl.col("age").is_between(18, 65) & pl.col("employed")).cast(pl.Float64)
    weight = (working * _odds(pl.col("urban"), 3.0) + 0.01) * _odds(pl.col("recipient"), 0.2)
    who = _persons(s, rows, weight, rng)
    n = who.height
    base = np.maximum(_fen(rng, 5000, 0.5, n), 200_000)
    rate = _choose(rng, [5, 7, 8, 10, 12], [3, 2, 1, 1, 3], n)
    return who.with_columns(base=base, contribution=base * rate * 2 // 100)


def _enrolment(s: Sources, rows: int, rng) -> pl.DataFrame:
    who = _persons(s, rows, (pl.col("student_status") != "").cast(pl.Float64), rng)
    n = who.height
    stage = who["student_status"].replace("college", "higher")
    county = who["county"].replace_strict(s.counties, default="")
    number = pl.lit("第") + pl.Series(rng.integers(1, 9, n)).cast(pl.Utf8)
    school = (
        pl.when(stage == "vocational")
        .then(county + pl.lit("职业技术学校"))
        .when(stage == "higher")
        .then(pl.Series(UNIVERSITIES).gather(rng.integers(0, len(UNIVERSITIES), n)))
        .otherwise(county + number + stage.replace_strict(SCHOOLS, default=""))
    )
    status = _choose(
        rng, ["enrolled", "suspended", "dropped_out", "graduated"], [955, 10, 5, 30], n
    )
    return who.with_columns(stage=stage, school=pl.select(school).to_series(), status=status)


def _disaster(s: Sources, rows: int, rng) -> pl.DataFrame:
    """Rural people of three stricken counties, and some scattered elsewhere."""
    stricken = s.people["county"].unique().sort().sample(3, seed=int(rng.integers(2**31)))
    weight = _odds(pl.col("county").is_in(stricken.implode()) & ~pl.col("urban"), 1000.0)
    who = _persons(s, rows, weight, rng)
    n = who.height
    return who.with_columns(
        disaster=_choose(rng, *DISASTERS, n),
        occurred_on=_in_period(s, n, rng),
        loss=_blank(_fen(rng, 3000, 1.0, n), 0.2, rng),
    )


def _registered(kind: str):
    """Vehicles, real estate or businesses: the registry's declared ones (most of the
    registry rows), new ones of registry persons never declared, and strangers' ones."""

    def build(s: Sources, rows: int, rng) -> pl.DataFrame:
        ours = round(rows * (1 - STRANGERS))
        new = round(ours * UNDECLARED)
        assets = s.assets.filter(pl.col("kind") == kind)
        count = min(assets.height, ours - new)
        declared = assets[np.sort(rng.choice(assets.height, count, replace=False))].select(
            pl.col("owner_id").alias("person_id"), "serial", "registration", "registered_on"
        )
        declared = declared.join(s.people, on="person_id", maintain_order="left")
        adult = pl.col("age").is_between(20, 70)
        owners = _persons(s, rows - declared.height, adult, rng, new)
        owners = owners.with_columns(
            serial=pl.int_range(assets.height, assets.height + owners.height, dtype=pl.Int64),
            registered_on=days_before(s.as_of, 0, 300, owners.height, rng),
        ).with_columns(registration=names.registration(kind))
        who = pl.concat([declared.select(owners.columns), owners], how="vertical_relaxed")
        return _DETAILS[kind](who, s, rng)

    return build


def _vehicle(who: pl.DataFrame, s: Sources, rng) -> pl.DataFrame:
    kinds = _choose(rng, *VEHICLES, who.height)
    return who.rename({"registration": "plate"}).with_columns(vehicle_type=_blank(kinds, 0.05, rng))


def _real_estate(who: pl.DataFrame, s: Sources, rng) -> pl.DataFrame:
    area = pl.Series(np.rint(rng.lognormal(np.log(90), 0.35, who.height) * 100).astype(np.int64))
    area = pl.select(_two_decimals(pl.lit(area))).to_series()
    return who.rename({"registration": "certificate"}).with_columns(area=_blank(area, 0.05, rng))


def _business(who: pl.DataFrame, s: Sources, rng) -> pl.DataFrame:
    trade = pl.Series(TRADES).gather(rng.integers(0, len(TRADES), who.height))
    county = pl.col("county").replace_strict(s.counties, default="")
    title = county + pl.col("name").str.slice(0, 1) + pl.lit("记") + trade
    return who.rename({"registration": "credit_code"}).with_columns(business_name=title)


_DETAILS = {"vehicle": _vehicle, "real_estate": _real_estate, "business": _business}
BUILDERS: dict[str, Callable[[Sources, int, np.random.Generator], pl.DataFrame]] = {
    "deaths": _deaths,
    "hukou_moves": _hukou_moves,
    "detention": _detention,
    "medical": _medical,
    "disability": _disability,
    "employment": _employment,
    "vehicles": _registered("vehicle"),
    "real_estate": _registered("real_estate"),
    "businesses": _registered("business"),
    "income_tax": _income_tax,
    "housing_fund": _housing_fund,
    "enrolment": _enrolment,
    "disaster": _disaster,
}


# ---- as the department writes it --------------------------------------------------------------


def _as_text(feed: feeds.Feed, facts: pl.DataFrame, rng) -> pl.DataFrame:
    text = facts.select(_cell(column) for column in feed.columns)
    renamed = np.flatnonzero(rng.random(text.height) < OTHER_NAME)
    others = text["name"].clone().scatter(renamed, names.chinese_names(rng, len(renamed)))
    numbers = names.as_sent(text["id_number"], rng, MESSY_ID, INVALID_ID)
    return text.with_columns(numbers.alias("id_number"), others.alias("name"))


def _cell(column: feeds.Column) -> pl.Expr:
    value = pl.col(column.code)
    if column.type == "date":
        value = value.dt.strftime("%Y-%m-%d")
    elif column.type == "money":
        value = _two_decimals(value)
    elif column.type == "choice":
        labels = {code: label for label, code in column.choices.items()}
        value = value.replace_strict(labels, default=None, return_dtype=pl.Utf8)
    return value.cast(pl.Utf8).alias(column.code)


def _malformed(feed: feeds.Feed, text: pl.DataFrame, rng) -> pl.DataFrame:
    """A bad date, a negative amount, an unknown choice …: one cell in MALFORMED of the rows."""
    typed = [c for c in feed.columns if c.type in BAD_CELLS or c.type == "money"]
    rows = np.flatnonzero(rng.random(text.height) < MALFORMED)
    which = rng.integers(0, len(typed), len(rows))
    for i, column in enumerate(typed):
        at = rows[which == i]
        if column.type == "money":
            bad = pl.lit("-") + text[column.code].gather(at).fill_null("100.00")
            bad = pl.select(bad).to_series()
        else:
            choices = pl.Series(BAD_CELLS[column.type])
            bad = choices.gather(rng.integers(0, len(choices), len(at)))
        text = text.with_columns(text[column.code].clone().scatter(at, bad))
    return text
