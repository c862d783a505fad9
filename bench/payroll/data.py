"""The benchmark county: a synthetic population in which every household receives 低保, with
what makes the pre-release checks find something — payees without or with a wrong bank card,
deaths and hukou moves reported by 公安, 特困 members of 低保 households, declared relatives of
staff, members who moved into another paid household, suspended, ended and tapering cases.

Written in bulk (registry.bulk for the population, kit.bulk for the rest): a setup, not timed.
"""

import json
from datetime import date, datetime

import numpy as np
import polars as pl
from django.db import connection
from django.utils import timezone

from minzheng import demo
from minzheng.accounts import services as accounts
from minzheng.cases.models import Case, Review
from minzheng.kit import crypto
from minzheng.kit.bulk import insert_rows, read_frame, reset_sequences
from minzheng.monitoring.models import Fact, FeedFile
from minzheng.payments.models import RelativeDeclaration
from minzheng.registry import bulk
from minzheng.registry.models import HouseholdMove
from minzheng.registry.synthetic import Population, generate

NOVEMBER, DECEMBER = date(2024, 11, 1), date(2024, 12, 1)
DECIDED = date(2024, 10, 21)
SHARES = {  # of households (or heads, or members)
    "no_account": 0.005,
    "bad_account": 0.002,
    "late": 0.005,  # approved after November's payroll was released: paid back in December
    "suspended": 0.005,
    "ended": 0.005,
    "taper": 0.01,
    "tekun_member": 0.003,
    "died": 0.002,
    "hukou_out": 0.001,
    "relative": 0.001,
    "moved": 0.001,
    "reviewed": 0.01,  # an amount 复核 after November was paid: adjusted in December
    "ended_late": 0.002,  # an end recorded after November was paid: overpaid
}


def card(body: str) -> str:
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return body + str((10 - total % 10) % 10)


def fill(households: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    demo.load_demo_regions()
    population = generate(demo.county_villages(demo.DEMO_COUNTY), households=households, seed=seed)
    persons = _with_accounts(population.persons, rng)
    empty = population.incomes.clear()  # the payroll reads no income
    counts = bulk.write_population(Population(population.households, persons, empty))
    clerk = accounts.create_user(
        None,
        username="bench_clerk",
        password="Bench-Passw0rd!",  # noqa: S106 - a throwaway benchmark database
        region_code=demo.DEMO_COUNTY,
        roles=[],
        operator="bench",
    )
    heads = read_frame(
        "SELECT household_id, id, region_id FROM registry_person WHERE relation = 'head' "
        "ORDER BY household_id",
        [],
        {"household_id": pl.Int64, "person_id": pl.Int64, "region_id": pl.Utf8},
    )
    members = read_frame(
        "SELECT household_id, id, id_number_index FROM registry_person WHERE relation <> 'head'",
        [],
        {"household_id": pl.Int64, "person_id": pl.Int64, "id_number_index": pl.Utf8},
    )
    late = heads.sample(fraction=SHARES["late"], seed=seed)
    _dibao_cases(heads.join(late, on="household_id", how="anti"), clerk.pk, rng, "BENCH")
    _tekun_members(members, heads, clerk.pk, rng)
    _facts(heads, rng)
    _relatives(members, clerk, rng)
    _moves(members, heads, rng)
    reset_sequences(Case)
    return {
        "households": counts.households,
        "persons": counts.persons,
        "late_households": late.height,
    }


def _with_accounts(persons: pl.DataFrame, rng) -> pl.DataFrame:
    """Heads get a 银联 card at 农村信用社; a few have none, a few a wrong check digit."""
    n = persons.height
    draw = rng.random(n)
    bodies = [f"622848{v:012d}" for v in rng.integers(0, 10**12, n)]
    numbers = [card(b) for b in bodies]
    bad = draw < SHARES["bad_account"]
    numbers = [
        b + str((int(c[-1]) + 1) % 10) if x else c
        for b, c, x in zip(bodies, numbers, bad, strict=True)
    ]
    head = persons["relation"] == "head"
    missing = pl.Series(draw < SHARES["bad_account"] + SHARES["no_account"]) & ~pl.Series(bad)
    return persons.with_columns(
        pl.when(head).then(pl.lit("农村信用社")).otherwise(pl.lit("")).alias("bank_name"),
        pl.when(head & ~missing)
        .then(pl.Series(numbers))
        .otherwise(pl.lit(""))
        .alias("bank_account"),
    )


def case_rows(frame: pl.DataFrame, clerk_id: int, prefix: str, first: int) -> list[str]:
    """Insert cases from a frame (household_id, person_id, region_id, program, status,
    amount_fen, start_month, taper_until, ended_on); returns the numbers."""
    now = timezone.now()
    frame = frame.with_columns(
        (pl.lit(f"{prefix}-") + pl.int_range(first, first + frame.height).cast(pl.Utf8)).alias(
            "number"
        ),
        pl.lit("staff").alias("channel"),
        pl.lit(1).alias("version"),
        pl.lit(False).alias("emergency"),
        pl.lit(date(2024, 9, 1)).alias("submitted_on"),
        pl.lit(False).alias("extended"),
        pl.lit("").alias("opinion"),
        pl.lit(DECIDED).alias("decided_on"),
        pl.lit("").alias("decision_reason"),
        pl.lit("").alias("notice_number"),
        pl.lit("").alias("support_mode"),
        pl.lit("").alias("care_band"),
        pl.lit(clerk_id).alias("created_by_id"),
        pl.lit(now).alias("created_at"),
    )
    columns = [f.column for f in Case._meta.concrete_fields if f.column in frame.columns]
    insert_rows(Case._meta.db_table, columns, frame.select(columns).iter_rows(), chunk=20_000)
    return frame["number"].to_list()


def _dibao_cases(heads: pl.DataFrame, clerk_id: int, rng, prefix: str) -> None:
    n = heads.height
    draw = rng.random(n)
    suspended = draw < SHARES["suspended"]
    ended = (draw >= SHARES["suspended"]) & (draw < SHARES["suspended"] + SHARES["ended"])
    taper = rng.random(n) < SHARES["taper"]
    frame = heads.select("household_id", "region_id").with_columns(
        pl.lit(None, pl.Int64).alias("person_id"),
        pl.lit("dibao").alias("program"),
        pl.Series(np.where(suspended, "suspended", np.where(ended, "ended", "approved"))).alias(
            "status"
        ),
        pl.Series(rng.integers(300, 3000, n) * 100).alias("amount_fen"),
        pl.lit(NOVEMBER).alias("start_month"),
        pl.when(pl.Series(taper)).then(pl.lit(date(2025, 1, 1))).alias("taper_until"),
        pl.when(pl.Series(ended)).then(pl.lit(date(2024, 11, 15))).alias("ended_on"),
    )
    case_rows(frame, clerk_id, prefix, 1)


def _tekun_members(members: pl.DataFrame, heads: pl.DataFrame, clerk_id: int, rng) -> None:
    chosen = members.sample(fraction=SHARES["tekun_member"], seed=1).join(
        heads.select("household_id", "region_id"), on="household_id"
    )
    frame = chosen.select(
        "household_id",
        "person_id",
        "region_id",
        pl.lit("tekun").alias("program"),
        pl.lit("approved").alias("status"),
        pl.lit(150_000).alias("amount_fen"),
        pl.lit(NOVEMBER).alias("start_month"),
        pl.lit(None, pl.Date).alias("taper_until"),
        pl.lit(None, pl.Date).alias("ended_on"),
    )
    case_rows(frame, clerk_id, "BENCH-TK", 1)


def _facts(heads: pl.DataFrame, rng) -> None:
    for feed, share, values in (
        ("deaths", SHARES["died"], lambda: {"name": "某", "died_on": "2024-10-20"}),
        (
            "hukou_moves",
            SHARES["hukou_out"],
            lambda: {"name": "某", "moved_on": "2024-10-12", "direction": "out"},
        ),
    ):
        file = FeedFile.objects.create(
            feed=feed,
            department="公安",
            period="2024-10",
            sha256=feed.ljust(64, "0"),
            filename=f"{feed}.csv",
            region_id=demo.DEMO_COUNTY,
        )
        chosen = heads.sample(fraction=share, seed=len(feed))["person_id"].to_list()
        rows = [
            (person, feed, "2024-10", file.pk, row, _json(values()))
            for row, person in enumerate(chosen, start=2)
        ]
        insert_rows(
            Fact._meta.db_table, ["person_id", "feed", "period", "file_id", "row", "values"], rows
        )


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False)


def _relatives(members: pl.DataFrame, clerk, rng) -> None:
    chosen = members.sample(fraction=SHARES["relative"], seed=3)
    rows = [
        (
            clerk.pk,
            demo.DEMO_COUNTY,
            "某某",
            crypto.encrypt("bench"),
            index,
            "sibling",
            date(2024, 9, 1),
            None,
        )
        for index in chosen["id_number_index"]
    ]
    columns = [
        "staff_id",
        "region_id",
        "name",
        "id_number",
        "id_number_index",
        "relation",
        "declared_on",
        "withdrawn_on",
    ]
    insert_rows(RelativeDeclaration._meta.db_table, columns, rows)


def _moves(members: pl.DataFrame, heads: pl.DataFrame, rng) -> None:
    """Members who moved into another (paid) household after the decision, still counted in
    their old household's amount."""
    chosen = members.sample(fraction=SHARES["moved"], seed=4)
    targets = heads.sample(n=chosen.height, seed=5, with_replacement=True)["household_id"]
    moved_at = timezone.make_aware(datetime(2024, 10, 28, 10, 0))
    rows = [
        (person, old, new, moved_at, "投靠亲属")
        for person, old, new in zip(
            chosen["person_id"], chosen["household_id"], targets, strict=True
        )
        if old != new
    ]
    insert_rows(
        HouseholdMove._meta.db_table,
        ["person_id", "from_household_id", "to_household_id", "moved_at", "reason"],
        rows,
    )
    with connection.cursor() as cursor:  # the movers now belong to their new household
        cursor.executemany(
            "UPDATE registry_person SET household_id = %s WHERE id = %s",
            [(r[2], r[0]) for r in rows],
        )


def between_months(seed: int) -> dict:
    """After November is released: late approvals (start November), amount reviews dated 28
    October (so November was paid at the old amount) and ends recorded late."""
    rng = np.random.default_rng(seed + 1)
    clerk_id = read_frame(
        "SELECT id FROM accounts_user WHERE username = 'bench_clerk'", [], {"id": pl.Int64}
    )[0, 0]
    late = read_frame(
        "SELECT p.household_id, p.id, p.region_id FROM registry_person p WHERE p.relation = 'head' "
        "AND NOT EXISTS (SELECT 1 FROM cases_case c WHERE c.household_id = p.household_id)",
        [],
        {"household_id": pl.Int64, "person_id": pl.Int64, "region_id": pl.Utf8},
    )
    _dibao_cases(late, clerk_id, rng, "BENCH-LATE")
    paid = read_frame(
        "SELECT id, amount_fen FROM cases_case WHERE program = 'dibao' AND status = 'approved' "
        "AND number LIKE 'BENCH-%%' AND number NOT LIKE 'BENCH-LATE%%'",
        [],
        {"case_id": pl.Int64, "amount_fen": pl.Int64},
    )
    reviewed = paid.sample(fraction=SHARES["reviewed"], seed=6)
    new_amounts = (
        reviewed["amount_fen"] + pl.Series(rng.integers(-200, 200, reviewed.height) * 100)
    ).clip(10_000)
    rows = [
        (case, date(2024, 10, 28), "increase", amount, "", clerk_id)
        for case, amount in zip(reviewed["case_id"], new_amounts, strict=True)
    ]
    insert_rows(
        Review._meta.db_table,
        ["case_id", "reviewed_on", "outcome", "amount_fen", "note", "recorded_by_id"],
        rows,
    )
    ended = paid.join(reviewed, on="case_id", how="anti").sample(
        fraction=SHARES["ended_late"], seed=7
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE cases_case SET amount_fen = %s WHERE id = %s", [(r[3], r[0]) for r in rows]
        )
        cursor.executemany(
            "UPDATE cases_case SET status = 'ended', ended_on = %s WHERE id = %s",
            [(date(2024, 10, 15), case) for case in ended["case_id"]],
        )
    return {"late": late.height, "reviewed": reviewed.height, "ended_late": ended.height}
