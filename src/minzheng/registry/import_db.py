"""The household import's checks against the database (regions, registered IDs and numbers)
and the frames it hands to the bulk writer."""

import polars as pl

from minzheng.kit.crypto import blind_index
from minzheng.kit.money import yuan_text_to_fen
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.registry.import_checks import (
    FORMATS,
    HH,
    ID,
    MONEY,
    ImportScope,
    first_of_household,
    issue_rows,
)
from minzheng.registry.models import Household, Person
from minzheng.registry.synthetic import Population
from minzheng.registry.tabular import (
    BY_FIELD,
    COLUMNS,
)


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def region_issues(frame: pl.DataFrame, scope: ImportScope) -> list[pl.DataFrame]:
    firsts = frame.filter(first_of_household())
    found = []
    for field, village in (("village_code", True), ("hukou_region_id", False)):
        header, (pattern, _) = BY_FIELD[field].header, FORMATS[field]
        wanted = firsts.filter(pl.col(header).str.contains(pattern))[header].unique()
        as_code = {c: c.ljust(codes.CODE_LENGTH, "0") for c in wanted}
        known = {}
        for part in _chunks(sorted(set(as_code.values()))):
            rows = Region.objects.filter(code__in=part).values_list("code", "level", "name")
            known.update({code: (level, name) for code, level, name in rows})
        problems = {
            c: _region_problem(c, known.get(full), village, scope) for c, full in as_code.items()
        }
        problems = {c: p for c, p in problems.items() if p}
        bad = firsts.filter(pl.col(header).is_in(list(problems)))
        found.append(issue_rows(bad, header, pl.col(header).replace_strict(problems)))
    return found


def _region_problem(code: str, region, village: bool, scope: ImportScope) -> str:
    if region is None:
        return f"区划代码 {code} 不存在。"
    level, name = region
    if village and level != codes.VILLAGE:
        return f"{code}（{name}）不是村（居）级区划代码。"
    if village and not scope.contains(code):
        return f"{code}（{name}）不在您的管辖范围内。"
    return ""


def registered_issues(frame: pl.DataFrame, scope: ImportScope) -> list[pl.DataFrame]:
    """ID numbers and household numbers already in the registry, in any region: both are
    unique nationwide. Another region's person is named only as "registered elsewhere"."""
    numbers = frame[ID].drop_nulls().unique().to_list()
    by_index = {blind_index(n, "id_number"): n for n in numbers}
    problems = {}
    for part in _chunks(list(by_index)):
        rows = Person.objects.filter(id_number_index__in=part).values_list(
            "id_number_index", "region_id", "household__number"
        )
        for index, region, household in rows:
            problems[by_index[index]] = (
                f"该身份证号码已登记在户 {household}，同一人只能属于一个家庭。"
                if scope.contains(region)
                else "该身份证号码已在其他地区登记，请联系上级民政部门核实。"
            )
    header = BY_FIELD["id_number"].header
    people = frame.filter(pl.col(ID).is_in(list(problems)))
    firsts = frame.filter(first_of_household())
    taken = []
    for part in _chunks(firsts[HH].drop_nulls().unique().to_list()):
        taken += Household.objects.filter(number__in=part).values_list("number", flat=True)
    households = firsts.filter(pl.col(HH).is_in(taken))
    return [
        issue_rows(people, header, pl.col(ID).replace_strict(problems)),
        issue_rows(households, HH, "户编号 " + pl.col(HH) + " 已存在，不能重复导入。"),
    ]


# ---- the bulk writer's frames -----------------------------------------------------------------


def population_of(frame: pl.DataFrame) -> Population:
    """The bulk writer's frames from a checked, normalised template frame."""
    hukou = pl.col(BY_FIELD["hukou_region_id"].header)
    households = frame.filter(first_of_household()).select(
        *(_value(BY_FIELD[f]) for f in ("household_no", "village_code", "address", "area_type")),
        hukou.str.pad_end(codes.CODE_LENGTH, "0").alias("hukou_region_id"),
        _value(BY_FIELD["hukou_address"]),
    )
    people = [c for c in COLUMNS if c.level == "person" and c.field != "id_number"]
    persons = frame.select(
        pl.col(HH).alias("household_no"),
        pl.col(ID).alias("id_number"),
        pl.col("_sex").alias("sex"),
        pl.col("_birth_date").alias("birth_date"),
        *(_value(c) for c in people),
    )
    incomes = [
        frame.filter(pl.col(c.header).str.contains(MONEY)).select(
            pl.col(ID).alias("id_number"),
            pl.lit(c.field).alias("category"),
            pl.lit("monthly").alias("period"),
            yuan_text_to_fen(pl.col(c.header)).alias("amount_fen"),
            pl.lit(False).alias("excluded"),
        )
        for c in COLUMNS
        if c.level == "income"
    ]
    income_frame = pl.concat(incomes).filter(pl.col("amount_fen") > 0)
    return Population(households, persons, income_frame)


def _value(column) -> pl.Expr:
    """A template cell as the registry stores it: choice labels to values, grades to numbers."""
    cell = pl.col(column.header)
    if column.choices:
        if column.default:
            cell = cell.fill_null(column.default)
        dtype = pl.Boolean if column.choices.get("是") is True else pl.Utf8
        cell = cell.replace_strict(column.choices, default=None, return_dtype=dtype)
    elif column.kind == "grade":
        cell = cell.cast(pl.Int16, strict=False)
    return cell.alias(column.field)
