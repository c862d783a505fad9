"""What the pre-release checks read besides the lines, each as small as the check needs: the
deaths and hukou moves 公安 reported, household moves, the persons receiving a program that
excludes the payroll's, the declared relatives of staff found in the registry, and household
sizes for the lines that could be above the cap.

Matching happens in the database where it narrows most (a declared relative's blind index, a
partner program's cases), so a county's millions of members are never read for a few findings.
"""

import json

import polars as pl
from django.utils import timezone

from minzheng.kit.bulk import read_by_ids, read_frame
from minzheng.kit.money import truncated_fen
from minzheng.monitoring.models import Fact
from minzheng.payments import checks
from minzheng.payments.models import Payroll
from minzheng.regions import codes
from minzheng.registry.models import HouseholdMove
from minzheng.rules.parameters import resolve
from minzheng.rules.publication import effective_tree

PARTNER_PERSONS_SQL = """
    SELECT c.person_id, p.household_id, p.name, p.co_resident, c.program, c.number
    FROM cases_case c JOIN registry_person p ON p.id = c.person_id
    WHERE c.status = 'approved' AND c.region_id LIKE %s AND p.died_on IS NULL
      AND c.program IN ({ids})"""
PARTNER_HOUSEHOLDS_SQL = """
    SELECT c.household_id, c.program, c.number FROM cases_case c
    WHERE c.status = 'approved' AND c.person_id IS NULL AND c.program IN ({programs})
      AND c.household_id IN ({ids})"""
DECLARED_SQL = """
    SELECT p.id, p.household_id, p.name, p.co_resident,
           COALESCE(NULLIF(u.full_name, ''), u.username), d.relation
    FROM payments_relativedeclaration d
    JOIN registry_person p ON p.id_number_index = d.id_number_index
    JOIN accounts_user u ON u.id = d.staff_id
    WHERE d.withdrawn_on IS NULL AND p.died_on IS NULL AND p.region_id LIKE %s"""
SIZES_SQL = """
    SELECT p.household_id, COUNT(*) FROM registry_person p
    WHERE p.died_on IS NULL AND p.co_resident = %s AND p.household_id IN ({ids})
    GROUP BY p.household_id"""
PERSON = {
    "person_id": pl.Int64,
    "household_id": pl.Int64,
    "name": pl.Utf8,
    "co_resident": pl.Boolean,
}


def build(payroll: Payroll, lines: pl.DataFrame, payees: pl.DataFrame, previous) -> checks.Context:
    """The checks' context for these lines; `previous`: last month's settled lines."""
    tree = effective_tree()
    cap = resolve(tree[f"payments.cap.{payroll.program}"], payroll.period, payroll.county_id)
    share = resolve(tree["payments.change_share"], payroll.period, payroll.county_id)
    cap_fen = truncated_fen(cap.value)
    partners = checks.partners(payroll.program)
    person_lines = payees.join(
        lines.filter(~pl.col("household_case")).select(pl.col("beneficiary_id").alias("person_id")),
        on="person_id",
    )
    above_one = lines.filter(pl.col("household_case") & (pl.col("monthly_fen") > cap_fen))
    return checks.Context(
        county=payroll.county_id,
        payees=payees.drop("account_token"),
        partner_persons=partner_persons(payroll.county_id, partners),
        partner_households=partner_households(_ids(person_lines["household_id"]), partners),
        declared=declared(payroll.county_id),
        household_sizes=household_sizes(_ids(above_one["household_id"])),
        moves=moves(payroll.county_id),
        hukou_out=hukou_out(payroll.county_id),
        previous=previous.select("beneficiary_id", pl.col("amount_fen").alias("previous_fen")),
        cap_fen=cap_fen,
        change=share.value.as_integer_ratio(),
    )


def _ids(series: pl.Series) -> list[int]:
    return series.drop_nulls().unique().sort().to_list()


def _pattern(county: str) -> str:
    return codes.prefix_of(county) + "%"


def partner_persons(county: str, programs: list[str]) -> pl.DataFrame:
    """Living persons of the county with an approved person case of one of `programs`."""
    schema = PERSON | {"program": pl.Utf8, "case_number": pl.Utf8}
    if not programs:
        return pl.DataFrame(schema=schema)
    return read_by_ids(PARTNER_PERSONS_SQL, programs, schema, params=[_pattern(county)])


def partner_households(household_ids: list[int], programs: list[str]) -> pl.DataFrame:
    """Approved household cases of one of `programs` among these households."""
    schema = {"household_id": pl.Int64, "program": pl.Utf8, "case_number": pl.Utf8}
    if not programs:
        return pl.DataFrame(schema=schema)
    marks = ", ".join(["%s"] * len(programs))
    sql = PARTNER_HOUSEHOLDS_SQL.replace("{programs}", marks)
    return read_by_ids(sql, household_ids, schema, params=programs)


def declared(county: str) -> pl.DataFrame:
    """Living persons of the county whose ID number a staff member declared (blind index)."""
    schema = PERSON | {"staff": pl.Utf8, "relation": pl.Utf8}
    return read_frame(DECLARED_SQL, [_pattern(county)], schema).unique()


def household_sizes(household_ids: list[int]) -> pl.DataFrame:
    """Living co-resident members of these households (the persons a household line covers)."""
    schema = {"household_id": pl.Int64, "persons": pl.Int64}
    return read_by_ids(SIZES_SQL, household_ids, schema, params=[True])


def deaths(county: str) -> pl.DataFrame:
    """Deaths 公安 reported for persons of the county (department feed `deaths`)."""
    rows = [
        (person, _values(values)["died_on"], f"{file}:{row}")
        for person, values, file, row in _facts("deaths", county)
    ]
    schema = {"person_id": pl.Int64, "feed_died_on": pl.Utf8, "feed_source": pl.Utf8}
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return (
        frame.with_columns(pl.col("feed_died_on").str.to_date("%Y-%m-%d"))
        .sort("feed_died_on")
        .unique("person_id", keep="first")
    )


def hukou_out(county: str) -> pl.DataFrame:
    rows = []
    for person, values, _file, _row in _facts("hukou_moves", county):
        values = _values(values)
        if values.get("direction") == "out":
            rows.append((person, values["moved_on"]))
    frame = pl.DataFrame(rows, schema={"person_id": pl.Int64, "moved_on": pl.Utf8}, orient="row")
    return frame.with_columns(pl.col("moved_on").str.to_date("%Y-%m-%d")).unique()


def _facts(feed: str, county: str):
    return (
        Fact.objects.filter(feed=feed, person__region__code__startswith=county[:6])
        .values_list("person_id", "values", "file_id", "row")
        .order_by("id")
    )


def _values(values) -> dict:
    return json.loads(values) if isinstance(values, str) else values


def moves(county: str) -> pl.DataFrame:
    """Persons who moved out of a household of the county (a small table: every move)."""
    rows = HouseholdMove.objects.filter(
        from_household__region__code__startswith=county[:6]
    ).values_list("person_id", "person__name", "from_household_id", "to_household_id", "moved_at")
    schema = {
        "person_id": pl.Int64,
        "name": pl.Utf8,
        "from_household_id": pl.Int64,
        "to_household_id": pl.Int64,
        "moved_on": pl.Date,
    }
    local = [(*row[:4], timezone.localdate(row[4])) for row in rows]
    return pl.DataFrame(local, schema=schema, orient="row")
