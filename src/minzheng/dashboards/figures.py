"""A month's recipients and amounts, derived from the cases' dated facts.

`load(prefix)` reads, in five bulk queries, every decided case of a region with what dates it:
the decision (decided_on), the first month paid (start_month), the end (ended_on), the amount
in force from each date (the decision, then each 复核 that changed it), suspensions and
resumptions (their audit events), and the household members with their date of death.
`month_figures(facts, month)` is a pure function of those frames: one row per village, program
and urban/rural with

- households, persons, amount_fen: cases in payment at the month's end — paid from a month not
  after it, not ended by its last day, not suspended then — with their co-resident members
  (not excluded, alive at the month's end; a 单人户 or person program counts one) and the
  amount in force on that day;
- new: cases whose payment starts in the month; exited: cases paid before that ended in it, so
  that in payment(M) = in payment(M−1) + new(M) − exited(M);
- 临时救助 (one-off): the grants decided in the month, as households, persons and amount, and
  as new.

Not dated in the data, and so read as they are now: a household's urban/rural type and who
its members are. This is why a month is closed (models.MonthClosing): its figures are frozen.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from django.utils import timezone

from minzheng.cases import readers as cases
from minzheng.policies.programs import ONCE, catalogue
from minzheng.registry import readers as registry

KEY = ["region", "program", "area_type"]
MEASURES = ["households", "persons", "amount_fen", "new", "exited"]
SCHEMA = {
    "region": pl.Utf8,
    "program": pl.Utf8,
    "area_type": pl.Utf8,
    **{m: pl.Int64 for m in MEASURES},
}
ONE_OFF = {p.code for p in catalogue(paid=ONCE)}
_SUSPENSIONS = {"case_id": pl.Int64, "on": pl.Date, "order": pl.Int64, "suspended": pl.Boolean}


@dataclass(frozen=True)
class Facts:
    cases: pl.DataFrame
    amounts: pl.DataFrame  # the amount in force from each date (decision, then reviews)
    suspensions: pl.DataFrame
    members: pl.DataFrame  # co-resident, not excluded


def month_end(month: date) -> date:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def shift(month: date, months: int) -> date:
    """The first day of the month `months` later (earlier when negative)."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


# ---- loading ---------------------------------------------------------------------------------


def load(prefix: str) -> Facts:
    """The dated facts of every decided case of the region with this code prefix, through the
    published readers of cases and registry."""
    decided = cases.decided(prefix)
    frame = cases.decided_frame(decided)
    suspensions = pl.DataFrame(
        [
            (case_id, timezone.localtime(at).date(), seq, suspended)
            for case_id, at, seq, suspended in cases.suspensions(prefix)
        ],
        schema=_SUSPENSIONS,
        orient="row",
    )
    members = registry.counted_members(prefix, decided.values("household_id"))
    return Facts(frame, cases.amounts_in_force(decided, frame), suspensions, members)


# ---- one month -------------------------------------------------------------------------------


def month_figures(facts: Facts, month: date) -> pl.DataFrame:
    """The month's rows (see the module), sorted by region, program and area type."""
    first, last = month, month_end(month)
    frame = (
        facts.cases.drop("amount_fen")
        .join(_as_of(facts.amounts, last, "amount_fen"), on="case_id", how="left")
        .join(_as_of(facts.suspensions, last, "suspended"), on="case_id", how="left")
        .join(_household_sizes(facts.members, last), on="household_id", how="left")
    )
    one_off = pl.col("program").is_in([str(p) for p in ONE_OFF])
    not_ended = pl.col("ended_on").is_null() | (pl.col("ended_on") > last)
    paying = (
        ~one_off
        & (pl.col("start_month") <= first)
        & not_ended
        & ~pl.col("suspended").fill_null(False)
    )
    granted = one_off & pl.col("decided_on").is_between(first, last)
    counted = paying | granted
    new = (
        ~one_off
        & (pl.col("start_month") == first)
        & (pl.col("ended_on").is_null() | (pl.col("ended_on") >= first))
    ) | granted
    exited = (
        ~one_off & (pl.col("start_month") <= first) & pl.col("ended_on").is_between(first, last)
    )
    persons = pl.when(pl.col("single")).then(1).otherwise(pl.col("members").fill_null(0))
    rows = frame.group_by(KEY).agg(
        counted.sum().cast(pl.Int64).alias("households"),
        pl.when(counted).then(persons).otherwise(0).sum().cast(pl.Int64).alias("persons"),
        pl.when(counted)
        .then(pl.col("amount_fen"))
        .otherwise(0)
        .sum()
        .cast(pl.Int64)
        .alias("amount_fen"),
        new.sum().cast(pl.Int64).alias("new"),
        exited.sum().cast(pl.Int64).alias("exited"),
    )
    nonzero = pl.any_horizontal([pl.col(m) != 0 for m in MEASURES])
    return rows.filter(nonzero).select(list(SCHEMA)).cast(SCHEMA).sort(KEY)


def _as_of(history: pl.DataFrame, day: date, column: str) -> pl.DataFrame:
    """Each case's latest value of `column` dated on or before `day`."""
    return (
        history.filter(pl.col("on") <= day)
        .sort("case_id", "on", "order")
        .group_by("case_id")
        .agg(pl.col(column).last())
    )


def _household_sizes(members: pl.DataFrame, day: date) -> pl.DataFrame:
    alive = members.filter(pl.col("died_on").is_null() | (pl.col("died_on") > day))
    return alive.group_by("household_id").agg(pl.len().cast(pl.Int64).alias("members"))


# ---- grouping --------------------------------------------------------------------------------


def by_part(rows: pl.DataFrame, length: int, keys: tuple[str, ...] = ()) -> pl.DataFrame:
    """The rows summed by the first `length` digits of their region (0: all together) and by
    the other `keys` (program, area_type)."""
    part = pl.col("region").str.slice(0, length).alias("part")
    grouped = (
        rows.with_columns(part)
        .group_by(["part", *keys])
        .agg([pl.col(m).sum().cast(pl.Int64) for m in MEASURES])
    )
    return grouped.sort(["part", *keys])
