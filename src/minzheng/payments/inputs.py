"""The payroll's inputs, read from the database in bulk: the program's cases in the county with
their payees, the lines already settled, and what the checks read (members, other programs'
cases, deaths and hukou moves reported by 公安, household moves, the 近亲属备案 register).

Large tables are read with plain SQL into Polars frames (kit.bulk), small ones through the ORM.
Bank accounts are decrypted only to judge them (ok, missing, invalid); the clear numbers are
dropped at once and lines keep the encrypted value.
"""

import json
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db.models import Sum
from django.utils import timezone

from minzheng.cases.models import Review
from minzheng.kit import crypto
from minzheng.kit.bulk import read_by_ids, read_frame
from minzheng.monitoring.models import Fact
from minzheng.payments import checks, ledger
from minzheng.payments.models import Line, Payroll, Recovery, RelativeDeclaration
from minzheng.regions import codes
from minzheng.registry.models import HouseholdMove

CASES_SQL = """
    SELECT c.id, c.number, c.household_id, c.person_id,
           COALESCE(c.person_id, (
               SELECT p.id FROM registry_person p WHERE p.household_id = c.household_id
               ORDER BY CASE WHEN p.relation = 'head' THEN 0 ELSE 1 END, p.id LIMIT 1)),
           c.region_id, c.status, c.amount_fen, c.start_month, c.taper_until, c.ended_on,
           c.decided_on, c.support_mode, c.care_band
    FROM cases_case c
    WHERE c.program = %s AND c.region_id LIKE %s AND c.amount_fen IS NOT NULL
      AND (c.start_month IS NOT NULL OR %s)
      AND (c.status IN ('approved', 'suspended') OR (c.status = 'ended' AND (
           c.ended_on >= %s OR EXISTS (
               SELECT 1 FROM payments_line l
               WHERE l.case_id = c.id AND l.settled = %s AND l.period > c.ended_on))))"""
CASES_SCHEMA = {
    "case_id": pl.Int64,
    "case_number": pl.Utf8,
    "household_id": pl.Int64,
    "person_id": pl.Int64,
    "beneficiary_id": pl.Int64,
    "region_code": pl.Utf8,
    "status": pl.Utf8,
    "amount_fen": pl.Int64,
    "start_month": pl.Date,
    "taper_until": pl.Date,
    "ended_on": pl.Date,
    "decided_on": pl.Date,
    "support_mode": pl.Utf8,
    "care_band": pl.Utf8,
}
PAYEES_SQL = """
    SELECT p.id, p.household_id, p.region_id, p.name, p.id_number_index, p.died_on,
           p.bank_name, p.bank_account
    FROM registry_person p WHERE p.id IN ({ids})"""
PAYEES_SCHEMA = {
    "person_id": pl.Int64,
    "household_id": pl.Int64,
    "region_code": pl.Utf8,
    "name": pl.Utf8,
    "id_number_index": pl.Utf8,
    "registry_died_on": pl.Date,
    "bank_name": pl.Utf8,
    "account_token": pl.Utf8,
}
MEMBERS_SQL = """
    SELECT p.household_id, p.id, p.name, p.id_number_index FROM registry_person p
    WHERE p.died_on IS NULL AND p.co_resident = %s AND p.household_id IN ({ids})"""
MEMBERS_SCHEMA = {
    "household_id": pl.Int64,
    "person_id": pl.Int64,
    "name": pl.Utf8,
    "id_number_index": pl.Utf8,
}
PERSON_CASES_SQL = """
    SELECT c.person_id, c.program, c.number FROM cases_case c
    WHERE c.status = 'approved' AND c.person_id IS NOT NULL AND c.region_id LIKE %s
      AND c.program IN ({ids})"""
HOUSEHOLD_CASES_SQL = """
    SELECT p.id, c.program, c.number FROM cases_case c
    JOIN registry_person p ON p.household_id = c.household_id
    WHERE c.status = 'approved' AND c.person_id IS NULL AND c.region_id LIKE %s
      AND p.died_on IS NULL AND p.co_resident = %s AND c.program IN ({ids})"""
RECEIVING_SCHEMA = {"person_id": pl.Int64, "program": pl.Utf8, "case_number": pl.Utf8}
SETTLED_SQL = """
    SELECT l.case_id, l.beneficiary_id, l.period, l.first_month, l.monthly_fen,
           l.adjustment_fen, l.amount_fen, l.bank_account, l.status
    FROM payments_line l WHERE l.settled = %s AND {where}"""
SETTLED_SCHEMA = {
    "case_id": pl.Int64,
    "beneficiary_id": pl.Int64,
    "period": pl.Date,
    "first_month": pl.Date,
    "monthly_fen": pl.Int64,
    "adjustment_fen": pl.Int64,
    "amount_fen": pl.Int64,
    "account_token": pl.Utf8,
    "status": pl.Utf8,
}


@dataclass(frozen=True)
class Month:
    period: date
    baseline: date  # the county's first payroll month of the program in Minzheng

    @property
    def index(self) -> int:
        return ledger.index_of(self.period)


def cases(payroll: Payroll, month: Month) -> pl.DataFrame:
    """The program's cases in the county that may be owed something, with their payee (the
    person of a person case; the head of the household, else its first member): live ones,
    and ended ones that ended since the baseline or were paid beyond their end."""
    one_off = payroll.program in ledger.ONE_OFF
    params = [payroll.program, _pattern(payroll), one_off, month.baseline, True]
    frame = read_frame(CASES_SQL, params, CASES_SCHEMA)
    return frame.with_columns(pl.col("person_id").is_null().alias("household_case")).drop(
        "person_id"
    )


def latest_reviews(payroll: Payroll, month: Month) -> pl.DataFrame:
    """The latest amount-changing 复核 of each case since the month before the baseline."""
    since = ledger.month_of(ledger.index_of(month.baseline) - 1)
    rows = Review.objects.filter(
        case__program=payroll.program,
        case__region__code__startswith=_prefix(payroll),
        amount_fen__isnull=False,
        reviewed_on__gte=since,
    ).values_list("case_id", "reviewed_on")
    frame = pl.DataFrame(
        list(rows), schema={"case_id": pl.Int64, "reviewed_on": pl.Date}, orient="row"
    )
    return frame.group_by("case_id").agg(pl.col("reviewed_on").max())


def payees(ids: list[int], county: str, paid_to: pl.DataFrame) -> pl.DataFrame:
    """Payees with their death (registry or 公安 feed) and the state of their bank account.

    `paid_to` (account_token): accounts a released payroll paid and the bank did not return.
    The same ciphertext is the same number, so it is not decrypted and judged again."""
    frame = read_by_ids(PAYEES_SQL, ids, PAYEES_SCHEMA).join(
        paid_to.unique().with_columns(pl.lit(True).alias("paid_before")),
        on="account_token",
        how="left",
    )
    judged = _judged(frame.filter(pl.col("paid_before").is_null()))
    frame = frame.join(judged, on="person_id", how="left").with_columns(
        pl.when(pl.col("paid_before").is_null())
        .then(pl.col("judged"))
        .when(pl.col("bank_name").str.strip_chars() == "")
        .then(pl.lit("no_bank"))
        .otherwise(pl.lit("ok"))
        .alias("account_state")
    )
    died = deaths(county)
    return (
        frame.join(died, on="person_id", how="left")
        .with_columns(
            pl.min_horizontal("registry_died_on", "feed_died_on").alias("died_on"),
            pl.when(pl.col("registry_died_on").is_not_null())
            .then(pl.lit("registry"))
            .when(pl.col("feed_died_on").is_not_null())
            .then(pl.col("feed_source"))
            .alias("death_source"),
        )
        .drop("registry_died_on", "feed_died_on", "feed_source", "paid_before", "judged")
    )


def _judged(payees: pl.DataFrame) -> pl.DataFrame:
    """person_id, judged: the account state, from the decrypted number (dropped at once)."""
    clear = pl.Series(
        [crypto.decrypt(t) if t else "" for t in payees["account_token"]], dtype=pl.Utf8
    )
    return payees.select(
        "person_id", checks.account_state(pl.col("bank_name"), clear).alias("judged")
    )


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


def members(household_ids: list[int]) -> pl.DataFrame:
    return read_by_ids(MEMBERS_SQL, household_ids, MEMBERS_SCHEMA, params=[True])


def receiving(county: str, programs: list[str]) -> pl.DataFrame:
    """Persons covered by approved cases of `programs` in the county: the person of a person
    case, every living co-resident member of a household case."""
    pattern = codes.prefix_of(county) + "%"
    return pl.concat(
        [
            read_by_ids(PERSON_CASES_SQL, programs, RECEIVING_SCHEMA, params=[pattern]),
            read_by_ids(HOUSEHOLD_CASES_SQL, programs, RECEIVING_SCHEMA, params=[pattern, True]),
        ]
    ).unique()


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


def relatives() -> pl.DataFrame:
    rows = RelativeDeclaration.objects.filter(withdrawn_on__isnull=True).values_list(
        "id_number_index", "staff__full_name", "staff__username", "relation"
    )
    found = [(index, full or username, relation) for index, full, username, relation in rows]
    schema = {"id_number_index": pl.Utf8, "staff": pl.Utf8, "relation": pl.Utf8}
    return pl.DataFrame(found, schema=schema, orient="row")


def paid_accounts(settled: pl.DataFrame) -> pl.DataFrame:
    """The accounts settled lines went to, unless the bank returned them."""
    paid = settled.filter((pl.col("amount_fen") > 0) & (pl.col("status") != "returned"))
    return paid.select(pl.col("account_token").filter(pl.col("account_token") != ""))


def settled_in(payroll_id: int) -> pl.DataFrame:
    """The settled lines of one payroll (last month's)."""
    return read_frame(
        SETTLED_SQL.format(where="l.payroll_id = %s"), [True, payroll_id], SETTLED_SCHEMA
    )


def settled_of(case_ids: list[int]) -> pl.DataFrame:
    """Every settled line of these cases."""
    return read_by_ids(
        SETTLED_SQL.format(where="l.case_id IN ({ids})"), case_ids, SETTLED_SCHEMA, params=[True]
    )


def as_window(settled: pl.DataFrame) -> pl.DataFrame:
    return settled.select(
        "case_id",
        ledger.month_index("period").alias("period_m"),
        ledger.month_index("first_month").alias("first_m"),
        "monthly_fen",
        "adjustment_fen",
    ).cast(ledger.WINDOW_SCHEMA)


def latest_settled(settled: pl.DataFrame) -> pl.DataFrame:
    return (
        settled.sort("case_id", "period")
        .group_by("case_id")
        .agg(
            ledger.month_index("period").last().alias("settled_m"),
            pl.col("monthly_fen").last().alias("last_monthly_fen"),
        )
        .cast(ledger.SETTLED_SCHEMA)
    )


def registered_recoveries(case_ids: list[int]) -> pl.DataFrame:
    rows = (
        Recovery.objects.filter(
            case_id__in=case_ids, kind__in=[Recovery.Kind.DEATH, Recovery.Kind.OVERPAYMENT]
        )
        .values("case_id")
        .annotate(total=Sum("amount_fen"))
        .values_list("case_id", "total")
    )
    schema = {"case_id": pl.Int64, "recovered_fen": pl.Int64}
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def on_other_payrolls(payroll: Payroll) -> pl.DataFrame:
    """Payees already on another payroll of the program and month (another county's)."""
    rows = (
        Line.objects.filter(program=payroll.program, period=payroll.period)
        .exclude(payroll=payroll)
        .values_list("beneficiary_id", "payroll__county_id")
    )
    schema = {"beneficiary_id": pl.Int64, "other_county": pl.Utf8}
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def _prefix(payroll: Payroll) -> str:
    return codes.prefix_of(payroll.county_id)


def _pattern(payroll: Payroll) -> str:
    return _prefix(payroll) + "%"
