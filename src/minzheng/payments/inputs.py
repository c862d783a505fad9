"""The payroll's inputs, read from the database in bulk: the program's cases in the county with
their payees (and their deaths), the latest amount reviews, the lines already settled. What
the checks read besides is in context.py.

Large tables are read with plain SQL into Polars frames (kit.bulk), small ones through the ORM;
cases and persons through the published readers of cases and registry.
Bank accounts are decrypted only to judge them (ok, missing, invalid); the clear numbers are
dropped at once and lines keep the encrypted value.
"""

from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db.models import Sum

from minzheng.cases import readers as cases_readers
from minzheng.kit import crypto
from minzheng.kit.bulk import read_by_ids, read_frame
from minzheng.payments import checks, context, ledger
from minzheng.payments.models import Line, Payroll, Recovery
from minzheng.regions import codes
from minzheng.registry import readers as registry_readers

# An ended case is read again while lines were paid beyond its end (payments' own lines).
PAID_BEYOND_END = (
    "EXISTS (SELECT 1 FROM payments_line l WHERE l.case_id = c.id AND l.settled = %s "
    "AND l.period > c.ended_on)",
    [True],
)
DATE_COLUMNS = ("start_month", "taper_until", "ended_on", "decided_on", "period", "first_month")
SETTLED_SQL = """
    SELECT l.case_id, l.beneficiary_id, CAST(l.period AS TEXT), CAST(l.first_month AS TEXT),
           l.monthly_fen,
           l.adjustment_fen, l.amount_fen, l.bank_account, l.status
    FROM payments_line l WHERE l.settled = %s AND {where}"""
SETTLED_SCHEMA = {
    "case_id": pl.Int64,
    "beneficiary_id": pl.Int64,
    "period": pl.Utf8,
    "first_month": pl.Utf8,
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
    found = cases_readers.payable(
        payroll.program, _pattern(payroll), one_off, month.baseline, PAID_BEYOND_END
    )
    frame = _dates(found)
    return frame.with_columns(pl.col("person_id").is_null().alias("household_case")).drop(
        "person_id"
    )


def _dates(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates come as ISO text (a million values parse far faster in Polars than one by one in
    the database driver)."""
    text = [c for c, t in frame.schema.items() if t == pl.Utf8 and c in DATE_COLUMNS]
    return frame.with_columns(pl.col(text).str.to_date("%Y-%m-%d"))


def latest_reviews(case_ids: list[int]) -> pl.DataFrame:
    """The latest amount-changing 复核 of each of these cases (those whose amount is not the one
    last paid: only they can owe an adjustment or a month at the former rate)."""
    frame = cases_readers.amount_reviews(case_ids)
    return frame.group_by("case_id").agg(pl.col("reviewed_on").max())


def payees(ids: list[int], county: str, paid_to: pl.DataFrame) -> pl.DataFrame:
    """Payees with their death (registry or 公安 feed) and the state of their bank account.

    `paid_to` (account_token): accounts a released payroll paid and the bank did not return.
    The same ciphertext is the same number, so it is not decrypted and judged again."""
    frame = registry_readers.payees(ids).join(
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
    died = context.deaths(county)
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
    clear = pl.Series(crypto.decrypt_many(payees["account_token"]), dtype=pl.Utf8)
    return payees.select(
        "person_id", checks.account_state(pl.col("bank_name"), clear).alias("judged")
    )


def paid_accounts(settled: pl.DataFrame) -> pl.DataFrame:
    """The accounts settled lines went to, unless the bank returned them."""
    paid = settled.filter((pl.col("amount_fen") > 0) & (pl.col("status") != "returned"))
    return paid.select(pl.col("account_token").filter(pl.col("account_token") != ""))


def settled_in(payroll_id: int) -> pl.DataFrame:
    """The settled lines of one payroll (last month's)."""
    return _dates(
        read_frame(
            SETTLED_SQL.format(where="l.payroll_id = %s"), [True, payroll_id], SETTLED_SCHEMA
        )
    )


def settled_of(case_ids: list[int]) -> pl.DataFrame:
    """Every settled line of these cases."""
    sql = SETTLED_SQL.format(where="l.case_id IN ({ids})")
    return _dates(read_by_ids(sql, case_ids, SETTLED_SCHEMA, params=[True]))


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
