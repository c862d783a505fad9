"""Deterministic, vectorised synthetic population for demos, tests and benchmarks.

`generate(villages, households, seed)` returns three Polars frames: households, persons and
income items. The same inputs always give the same frames. Everything is computed on whole
columns (numpy + polars), never in a Python loop per person, so millions of persons take
seconds. Frequencies live in synthetic_tables.py.

What is realistic (roughly a Chinese county in 2024): household types from elderly living
alone to three generations; ages consistent with relations; valid 身份证 numbers carrying the
county code, birth date and sex, unique by construction; Chinese names sharing the household's
surname where kinship implies it; disabilities rising with age; for minors each parent's
situation; monthly incomes by category, with about a tenth of households poor (per-capita
income below 800 yuan a month).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from minzheng.registry import synthetic_tables as tables
from minzheng.registry.synthetic_incomes import POOR_LINE_FEN, POOR_SHARE, incomes_for

__all__ = ["POOR_LINE_FEN", "POOR_SHARE", "Population", "Village", "generate"]
MAX_RANK_PER_GROUP = 499  # 3-digit sequence: odd for men (001–999), even for women (002–998)
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_CHECK_CHARS = "10X98765432"
_RELATION_ORDER = {"head": 0, "spouse": 1, "parent": 2, "child": 3, "grandchild": 4}
_ROADS = tuple("人民 解放 建设 中山 和平 胜利 文化 幸福 新华 迎春 滨江 富春 学府 健康".split())

HOUSEHOLD_SCHEMA = {
    "household_no": pl.Utf8,
    "village_code": pl.Utf8,
    "area_type": pl.Utf8,
    "address": pl.Utf8,
    "size": pl.Int32,
}
PERSON_SCHEMA = {
    "household_no": pl.Utf8,
    "id_number": pl.Utf8,
    "name": pl.Utf8,
    "sex": pl.Utf8,
    "birth_date": pl.Date,
    "relation": pl.Utf8,
    "phone": pl.Utf8,
    "disability_category": pl.Utf8,
    "disability_grade": pl.Int8,
    "labour_capacity": pl.Utf8,
    "serious_illness": pl.Boolean,
    "employed": pl.Boolean,
    "father_situation": pl.Utf8,
    "mother_situation": pl.Utf8,
}
INCOME_SCHEMA = {
    "id_number": pl.Utf8,
    "category": pl.Utf8,
    "period": pl.Utf8,
    "amount_fen": pl.Int64,
    "excluded": pl.Boolean,
}


@dataclass(frozen=True)
class Village:
    code: str  # 12-digit 统计用区划代码 of a village; code[:6] is the ID-number address prefix
    urban_rural: str  # 3-digit 城乡分类代码: 1xx urban, 2xx rural


@dataclass(frozen=True)
class Population:
    households: pl.DataFrame
    persons: pl.DataFrame
    incomes: pl.DataFrame


def generate(
    villages: Sequence[Village], households: int, seed: int = 2024, today: date = date(2024, 6, 30)
) -> Population:
    if households == 0:
        return Population(
            pl.DataFrame(schema=HOUSEHOLD_SCHEMA),
            pl.DataFrame(schema=PERSON_SCHEMA),
            pl.DataFrame(schema=INCOME_SCHEMA),
        )
    if not villages:
        raise ValueError("at least one village is needed")
    rng = np.random.Generator(np.random.PCG64(seed))
    homes = _households(villages, households, rng)
    persons = (
        _members(homes, rng, today)
        .join(
            homes.select("hh", "household_no", "village_code", "urban", "surname"),
            on="hh",
            how="left",
            maintain_order="left",
        )
        .with_columns(prefix=pl.col("village_code").str.slice(0, 6))
    )
    persons = _with_ids(persons, rng)
    persons = _with_names(persons, rng)
    persons = _with_circumstances(persons, rng, today)
    incomes = incomes_for(persons, rng)
    sizes = persons.group_by("hh").agg(size=pl.len().cast(pl.Int32))
    homes = homes.join(sizes, on="hh", how="left", maintain_order="left")
    return Population(
        households=_conform(homes, HOUSEHOLD_SCHEMA),
        persons=_conform(persons, PERSON_SCHEMA),
        incomes=_conform(incomes, INCOME_SCHEMA),
    )


def _conform(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


# ---- households -------------------------------------------------------------------------------


def _households(villages: Sequence[Village], count: int, rng: np.random.Generator) -> pl.DataFrame:
    codes = np.array([v.code for v in villages])
    urban = np.array([v.urban_rural.startswith("1") for v in villages])
    village = np.sort(rng.integers(0, len(villages), count))
    sequence = np.arange(count) - np.searchsorted(village, village) + 1
    kinds = list(tables.HOUSEHOLD_TYPES.values())
    shares = np.array([k[0] for k in kinds])
    kind = rng.choice(len(kinds), count, p=shares / shares.sum())
    has_spouse = np.array([k[2] for k in kinds])[kind]
    has_grandchildren = np.array([k[5] for k in kinds])[kind]
    head_low, head_high = np.array([k[1] for k in kinds]).T[:, kind]
    child_low, child_high = np.array([k[3] for k in kinds]).T[:, kind]
    parent_low, parent_high = np.array([k[4] for k in kinds]).T[:, kind]
    is_urban = urban[village]
    return pl.DataFrame(
        {
            "hh": np.arange(count),
            "household_no": pl.Series(codes[village])
            + pl.Series(sequence).cast(pl.Utf8).str.zfill(5),
            "village_code": codes[village],
            "area_type": np.where(is_urban, "urban", "rural"),
            "urban": is_urban,
            "kind": kind,
            "head_age": rng.integers(head_low, head_high + 1),
            "head_male": rng.random(count) < np.where(kind == 0, 0.45, 0.78),
            "has_spouse": has_spouse.astype(bool),
            "n_children": rng.integers(child_low, child_high + 1),
            "n_parents": rng.integers(parent_low, parent_high + 1),
            "n_grandchildren": has_grandchildren.astype(int) * rng.integers(1, 3, count),
            "surname": rng.choice(len(tables.SURNAMES), count, p=_weights(tables.SURNAME_WEIGHTS)),
            "address": _addresses(is_urban, rng),
        }
    )


def _weights(values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array / array.sum()


def _addresses(is_urban: np.ndarray, rng: np.random.Generator) -> pl.Series:
    n = len(is_urban)
    road = pl.Series(_ROADS).gather(rng.integers(0, len(_ROADS), n))
    number = pl.Series(rng.integers(1, 300, n)).cast(pl.Utf8)
    unit = pl.Series(rng.integers(1, 6, n)).cast(pl.Utf8)
    room = pl.Series(rng.integers(1, 19, n) * 100 + rng.integers(1, 5, n)).cast(pl.Utf8)
    group = pl.Series(rng.integers(1, 16, n)).cast(pl.Utf8)
    urban = road + "路" + number + "号" + unit + "单元" + room + "室"
    rural = "第" + group + "组" + number + "号"
    return pl.select(pl.when(pl.Series(is_urban)).then(urban).otherwise(rural)).to_series()


# ---- members ----------------------------------------------------------------------------------


def _members(homes: pl.DataFrame, rng: np.random.Generator, today: date) -> pl.DataFrame:
    h = {
        c: homes[c].to_numpy()
        for c in (
            "head_age",
            "head_male",
            "has_spouse",
            "n_children",
            "n_parents",
            "n_grandchildren",
            "kind",
        )
    }
    n = homes.height
    parts = [_part(np.arange(n), "head", h["head_age"], h["head_male"])]
    spouse = np.flatnonzero(h["has_spouse"])
    gap = np.rint(rng.normal(np.where(h["head_male"][spouse], -2, 2), 3)).astype(int)
    parts.append(
        _part(
            spouse, "spouse", np.clip(h["head_age"][spouse] + gap, 18, 100), ~h["head_male"][spouse]
        )
    )
    parent_hh = np.repeat(np.arange(n), h["n_parents"])
    first_parent = _position_in_group(parent_hh) == 0
    parent_male = first_parent & (h["n_parents"][parent_hh] == 2)
    parent_age = np.clip(h["head_age"][parent_hh] + rng.integers(22, 36, len(parent_hh)), 40, 100)
    parts.append(_part(parent_hh, "parent", parent_age, parent_male))
    child_hh = np.repeat(np.arange(n), h["n_children"])
    max_child_age = h["head_age"][child_hh] - 20
    three_generations = h["kind"][child_hh] == list(tables.HOUSEHOLD_TYPES).index(
        "three_generations"
    )
    child_age = np.where(
        three_generations,
        np.clip(h["head_age"][child_hh] - rng.integers(22, 32, len(child_hh)), 20, None),
        np.floor(rng.random(len(child_hh)) * (max_child_age + 1)).astype(int),
    )
    parts.append(_part(child_hh, "child", child_age, rng.random(len(child_hh)) < 0.51))
    grand_hh = np.repeat(np.arange(n), h["n_grandchildren"])
    adult_child_age = np.zeros(n, dtype=int)
    adult_child_age[child_hh[three_generations]] = child_age[three_generations]
    grand_max = np.clip(adult_child_age[grand_hh] - 20, 0, 17)
    grand_age = np.floor(rng.random(len(grand_hh)) * (grand_max + 1)).astype(int)
    parts.append(_part(grand_hh, "grandchild", grand_age, rng.random(len(grand_hh)) < 0.51))
    members = pl.concat(parts).sort(["hh", "relation_order"], maintain_order=True)
    return members.with_columns(birth_date=_birth_dates(members["age"].to_numpy(), rng, today))


def _part(hh: np.ndarray, relation: str, age: np.ndarray, male: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "hh": hh.astype(np.int64),
            "relation": [relation] * len(hh),
            "relation_order": np.full(len(hh), _RELATION_ORDER[relation], dtype=np.int8),
            "age": np.asarray(age, dtype=np.int64),
            "sex": np.where(male, "M", "F"),
        },
        schema={
            "hh": pl.Int64,
            "relation": pl.Utf8,
            "relation_order": pl.Int8,
            "age": pl.Int64,
            "sex": pl.Utf8,
        },
    )


def _position_in_group(sorted_keys: np.ndarray) -> np.ndarray:
    return np.arange(len(sorted_keys)) - np.searchsorted(sorted_keys, sorted_keys)


def _birth_dates(age: np.ndarray, rng: np.random.Generator, today: date) -> pl.Series:
    """Someone aged `age` was born between today − (age+1) years (exclusive) and today − age."""
    days_back = np.floor((age + rng.random(len(age))) * 365.2425).astype("timedelta64[D]")
    return pl.Series(np.datetime64(today, "D") - days_back)


# ---- identity: ID numbers, names, phones ------------------------------------------------------


def _with_ids(persons: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Sequence numbers are ranks within (county, birth date, sex), so IDs are unique by
    construction; the rare group with more than 499 people moves its extra members a day."""
    persons = persons.with_columns(shuffle=pl.Series(rng.permutation(persons.height)))
    one_day = pl.duration(days=1)
    for _ in range(50):
        persons = persons.with_columns(
            rank=pl.col("shuffle")
            .rank("ordinal")
            .over(["prefix", "birth_date", "sex"])
            .cast(pl.Int64)
            - 1
        )
        overflow = pl.col("rank") >= MAX_RANK_PER_GROUP
        if not persons.select(overflow.any()).item():
            break
        persons = persons.with_columns(
            birth_date=pl.when(overflow)
            .then(pl.col("birth_date") - one_day)
            .otherwise(pl.col("birth_date"))
        )
    birth = persons["birth_date"]
    sequence = persons["rank"].to_numpy() * 2 + np.where(persons["sex"].to_numpy() == "M", 1, 2)
    date_part = (
        birth.dt.year().cast(pl.Int64) * 10_000
        + birth.dt.month().cast(pl.Int64) * 100
        + birth.dt.day().cast(pl.Int64)
    ).to_numpy()
    body = (
        persons["prefix"].cast(pl.Int64).to_numpy() * 10**11
        + date_part.astype(np.int64) * 1000
        + sequence
    )
    digits = (body[:, None] // (10 ** np.arange(16, -1, -1, dtype=np.int64))) % 10
    check = pl.Series(list(_CHECK_CHARS)).gather((digits @ _ID_WEIGHTS) % 11)
    id_number = pl.Series(body).cast(pl.Utf8).str.zfill(17) + check
    return persons.with_columns(id_number=id_number).drop("shuffle", "rank")


def _with_names(persons: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    n = persons.height
    relation, sex = persons["relation"].to_numpy(), persons["sex"].to_numpy()
    kin = np.isin(relation, ["head", "child", "grandchild"]) | (
        (relation == "parent") & (sex == "M")
    )
    own = rng.choice(len(tables.SURNAMES), n, p=_weights(tables.SURNAME_WEIGHTS))
    surname = np.where(kin, persons["surname"].to_numpy(), own)
    chars = pl.Series(tables.GIVEN_NAME_CHARS)
    first, second = rng.integers(0, len(chars), (2, n))
    two_chars = pl.Series(rng.random(n) < 0.75)
    name = (
        pl.Series(tables.SURNAMES).gather(surname)
        + chars.gather(first)
        + pl.select(pl.when(two_chars).then(chars.gather(second)).otherwise(pl.lit(""))).to_series()
    )
    mobile = (
        "1"
        + pl.Series(list("35789")).gather(rng.integers(0, 5, n))
        + pl.Series(rng.integers(0, 10**9, n)).cast(pl.Utf8).str.zfill(9)
    )
    return persons.with_columns(name=name, phone=pl.when(pl.col("age") >= 16).then(mobile))


# ---- circumstances ----------------------------------------------------------------------------


def _exact_age(birth: pl.Series, today: date) -> np.ndarray:
    month_day = birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)
    later_in_year = month_day > (today.month * 100 + today.day)
    return (today.year - birth.dt.year() - later_in_year.cast(pl.Int32)).to_numpy()


def _with_circumstances(
    persons: pl.DataFrame, rng: np.random.Generator, today: date
) -> pl.DataFrame:
    n = persons.height
    age = _exact_age(persons["birth_date"], today)
    disabled = rng.random(n) < 0.04 + 0.08 * (age >= 60) + 0.08 * (age >= 80)
    categories, category_shares = zip(*tables.DISABILITY_CATEGORIES, strict=True)
    category = pl.Series(categories).gather(
        rng.choice(len(categories), n, p=_weights(category_shares))
    )
    grade = rng.choice(4, n, p=_weights(tables.DISABILITY_GRADE_SHARES)) + 1
    severe = disabled & (grade <= 2)
    illness = rng.random(n) < 0.01 + 0.04 * (age >= 60)
    unable = (
        (age < 16)
        | (age >= 70)
        | (severe & (rng.random(n) < 0.85))
        | (illness & (rng.random(n) < 0.5))
    )
    limited = (age >= 60) | disabled | illness
    capacity = np.where(unable, "none", np.where(limited, "partial", "full"))
    urban = persons["urban"].to_numpy()
    work_chance = np.where(
        capacity == "full", np.where(urban, 0.8, 0.7), np.where(capacity == "partial", 0.3, 0.0)
    )
    employed = (age >= 16) & (age < 65) & (rng.random(n) < np.where(age < 18, 0.05, work_chance))
    father, mother = _parent_situations(age < 18, rng)
    return persons.with_columns(
        age=pl.Series(age),
        disability_category=_where(disabled, category),
        disability_grade=_where(disabled, pl.Series(grade, dtype=pl.Int8)),
        labour_capacity=pl.Series(capacity),
        serious_illness=pl.Series(illness),
        employed=pl.Series(employed),
        father_situation=father,
        mother_situation=mother,
    )


def _parent_situations(minor: np.ndarray, rng: np.random.Generator) -> tuple[pl.Series, ...]:
    names, shares = zip(*tables.PARENT_SITUATIONS, strict=True)
    bounds = np.cumsum(shares)
    orphan = minor & (rng.random(len(minor)) < tables.ORPHAN_SHARE)
    labels = pl.Series([*names, "normal"])
    dead = names.index("dead")
    result = []
    for _parent in ("father", "mother"):
        draw = np.searchsorted(bounds, rng.random(len(minor)), side="right")
        situation = labels.gather(np.where(orphan, dead, draw))
        result.append(_where(minor, situation))
    return tuple(result)


def _where(mask: np.ndarray, values: pl.Series) -> pl.Series:
    """`values` where `mask` holds, null elsewhere."""
    return pl.select(pl.when(pl.Series(mask)).then(values)).to_series()
