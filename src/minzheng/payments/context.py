"""What the pre-release checks read besides the lines, each as small as the check needs: the
deaths and hukou moves 公安 reported, household moves, the persons receiving a program that
excludes the payroll's, the declared relatives of staff found in the registry, and household
sizes for the lines that could be above the cap.

Matching happens in the database where it narrows most (a declared relative's blind index, a
partner program's cases), so a county's millions of members are never read for a few findings.
"""

import json

import polars as pl

from minzheng.cases import readers as cases
from minzheng.kit.money import truncated_fen
from minzheng.monitoring import readers as monitoring
from minzheng.payments import checks
from minzheng.payments.models import Payroll, RelativeDeclaration
from minzheng.regions import codes
from minzheng.registry import readers as registry
from minzheng.registry.readers import PERSON
from minzheng.rules.parameters import resolve
from minzheng.rules.publication import effective_tree


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
    found = cases.approved_person_cases(_pattern(county), programs)
    persons = registry.living(_ids(found["person_id"]))
    return persons.join(found, on="person_id").select(*PERSON, "program", "case_number")


def partner_households(household_ids: list[int], programs: list[str]) -> pl.DataFrame:
    """Approved household cases of one of `programs` among these households."""
    return cases.approved_household_cases(household_ids, programs)


def declared(county: str) -> pl.DataFrame:
    """Living persons of the county whose ID number a staff member declared (blind index)."""
    declarations = RelativeDeclaration.objects.filter(withdrawn_on__isnull=True).values_list(
        "id_number_index", "staff__full_name", "staff__username", "relation"
    )
    staff = pl.DataFrame(
        [(index, full or username, relation) for index, full, username, relation in declarations],
        schema={"id_number_index": pl.Utf8, "staff": pl.Utf8, "relation": pl.Utf8},
        orient="row",
    )
    indexes = staff["id_number_index"].unique().to_list()
    persons = registry.living_with_index(_pattern(county), indexes)
    found = persons.join(staff, on="id_number_index").select(*PERSON, "staff", "relation")
    return found.unique()


def household_sizes(household_ids: list[int]) -> pl.DataFrame:
    """Living co-resident members of these households (the persons a household line covers)."""
    return registry.household_sizes(household_ids)


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
    return monitoring.facts_of_feed(feed, county[:6])


def _values(values) -> dict:
    return json.loads(values) if isinstance(values, str) else values


def moves(county: str) -> pl.DataFrame:
    """Persons who moved out of a household of the county (a small table: every move)."""
    return registry.moves_out_of(county[:6])
