"""The indicators' inputs for one region and period, read from the database in bulk: the
period's facts by feed (typed back from their JSON by the catalogue), the registry's persons,
who receives aid now, the live cases' dates, the declared assets and each household's 低保 line
(from the rules engine's evaluation, which the 政策找人 screening reuses).
"""

import json
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db import connection

from minzheng.cases import readers as cases
from minzheng.kit.money import truncated_fen
from minzheng.monitoring import feeds
from minzheng.monitoring.indicators import Inputs
from minzheng.regions import codes
from minzheng.registry import readers as registry
from minzheng.registry.readers import persons_of_region
from minzheng.rules.evaluate import Evaluation
from minzheng.rules.parameters import resolve
from minzheng.rules.publication import effective_tree

TYPES = {"date": pl.Date, "money": pl.Int64, "integer": pl.Int64}
CASES_SCHEMA = {
    "person_id": pl.Int64,
    "case_number": pl.Utf8,
    "program": pl.Utf8,
    "taper_until": pl.Date,
    "next_review_on": pl.Date,
}
ASSETS_SCHEMA = {"household_id": pl.Int64, "kind": pl.Utf8, "registration": pl.Utf8}


@dataclass(frozen=True)
class Sources:
    """What the indicators read besides the rules engine's evaluation (see Inputs)."""

    period: str
    facts: dict[str, pl.DataFrame]
    recipients: pl.DataFrame
    cases: pl.DataFrame
    assets: pl.DataFrame
    medical_threshold_fen: int


def sources(region_code: str, period: str, facts: bool = True) -> Sources:
    """The region's sources for the period (`facts=False`: none, the Spark runner reads them
    from the database itself)."""
    first_day = date(int(period[:4]), int(period[5:]), 1)
    threshold = resolve(effective_tree()["monitoring.medical_self_paid"], first_day, region_code)
    return Sources(
        period,
        facts_by_feed(region_code, period) if facts else {},
        recipients(region_code),
        _cases(region_code),
        _assets(region_code),
        truncated_fen(threshold.value),
    )


def gather(region_code: str, period: str, evaluation: Evaluation) -> Inputs:
    return compose(sources(region_code, period), evaluation)


def compose(found: Sources, evaluation: Evaluation) -> Inputs:
    """The Inputs from the sources and the evaluation of the same households (the benchmark
    builds the sources from Parquet files, the Spark runner per partition)."""
    return Inputs(
        period=found.period,
        facts=found.facts,
        persons=persons_frame(evaluation),
        recipients=found.recipients,
        cases=found.cases,
        assets=found.assets,
        household_lines=evaluation.households.select(
            "household_id", pl.col("dibao_line_fen").alias("line_fen")
        ),
        medical_threshold_fen=found.medical_threshold_fen,
    )


# The period's facts on the region's persons, in the order they were stored. The Spark runner
# sends the same query over JDBC (batch/spark/jdbc.py), with the literals written in.
FACTS_SQL = """
    SELECT f.id AS seq, f.person_id, f.feed, f.file_id || ':' || f."row" AS source,
           CAST(f."values" AS TEXT) AS "values"
    FROM monitoring_fact f
    WHERE f.period = %s AND f.person_id IN {persons}
    ORDER BY f.id""".replace("{persons}", persons_of_region())
FACTS_BOUNDS_SQL = """
    SELECT MIN(f.id), MAX(f.id) FROM monitoring_fact f
    WHERE f.period = %s AND f.person_id IN {persons}""".replace("{persons}", persons_of_region())


def facts_by_feed(region_code: str, period: str) -> dict[str, pl.DataFrame]:
    return by_feed(fact_rows(region_code, period))


def fact_rows(region_code: str, period: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(FACTS_SQL, [period, codes.prefix_of(region_code) + "%"])
        return cursor.fetchall()


def by_feed(rows) -> dict[str, pl.DataFrame]:
    """Fact rows (seq, person_id, feed, source, values as JSON text) in order, as a typed
    frame per feed."""
    grouped: dict[str, list[dict]] = {}
    for _, person_id, feed, source, values in rows:
        grouped.setdefault(feed, []).append(
            {"person_id": person_id, "source": source, **json.loads(values)}
        )
    return {feed: typed(feeds.feed(feed), facts) for feed, facts in grouped.items()}


def typed(feed: feeds.Feed, facts: list[dict]) -> pl.DataFrame:
    """A feed's facts (person_id, source and the values as stored) as a typed frame."""
    schema = {"person_id": pl.Int64, "source": pl.Utf8}
    schema |= {
        c.code: pl.Utf8 if c.type == "date" else TYPES.get(c.type, pl.Utf8)
        for c in feed.value_columns
    }
    frame = pl.DataFrame(facts, schema=schema)
    dates = [c.code for c in feed.value_columns if c.type == "date"]
    return frame.with_columns(pl.col(dates).str.to_date("%Y-%m-%d")) if dates else frame


def persons_frame(evaluation: Evaluation) -> pl.DataFrame:
    """The registry's persons as the indicators read them, from the rules engine's evaluation
    of the same snapshot: its assessment already summed each person's counted income."""
    return evaluation.persons.select(
        "person_id",
        "household_id",
        "region_code",
        "birth_date",
        "disability_grade",
        "employed",
        pl.col("own_income_fen").alias("monthly_income_fen"),
    )


def recipients(region_code: str) -> pl.DataFrame:
    """Persons receiving aid now: every living member of a household with an approved household
    case, and the beneficiary of an approved person case."""
    live = cases.receiving(codes.prefix_of(region_code))
    household_cases = live.filter(person__isnull=True).values_list("household_id", "program")
    members = registry.living_members([h for h, _ in household_cases])
    by_household: dict[int, list[int]] = {}
    for person_id, household_id in members.iter_rows():
        by_household.setdefault(household_id, []).append(person_id)
    rows = [(p, program) for h, program in household_cases for p in by_household.get(h, [])]
    rows += list(live.filter(person__isnull=False).values_list("person_id", "program"))
    return pl.DataFrame(rows, schema={"person_id": pl.Int64, "program": pl.Utf8}, orient="row")


def _cases(region_code: str) -> pl.DataFrame:
    """Approved cases' dates, each on a person: a person case on its beneficiary, a household
    case on the head of the household."""
    rows = cases.receiving(codes.prefix_of(region_code)).values_list(
        "household_id", "person_id", "number", "program", "gradual_exit__until", "next_review_on"
    )
    schema = {"household_id": pl.Int64} | CASES_SCHEMA
    frame = pl.DataFrame(list(rows), schema=schema, orient="row")
    head = registry.heads(frame["household_id"].unique().to_list())
    return (
        frame.join(head, on="household_id", how="left")
        .with_columns(pl.coalesce("person_id", "head_id").alias("person_id"))
        .drop("household_id", "head_id")
    )


def _assets(region_code: str) -> pl.DataFrame:
    kinds = ["vehicle", "real_estate", "business"]
    rows = registry.declared_assets(codes.prefix_of(region_code), kinds)
    return pl.DataFrame(rows, schema=ASSETS_SCHEMA, orient="row")
