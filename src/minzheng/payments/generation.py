"""Generating a payroll: read the county's cases of the program in bulk, compute the lines
(ledger.py) and the pre-release findings (checks.py) in Polars, upsert both in chunks.

Idempotent: the lines are unique per (program, month, payee), so running it again updates the
same rows; a finding already resolved stays resolved while what raised it is unchanged. A
payee already on another county's payroll for the same program and month is left off (the
summary says who and where). Only a draft payroll is generated; the caller owns the
transaction, and the payroll row is locked for its duration.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.cases.readers import Status
from minzheng.kit.money import monthly_fen, truncated_fen
from minzheng.payments import checks, context, inputs, ledger, storing
from minzheng.payments.errors import Error
from minzheng.payments.events import Event
from minzheng.payments.models import Payroll
from minzheng.policies import programs
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import user_may_access_region
from minzheng.rules.parameters import resolve
from minzheng.rules.publication import effective_tree

# every program the catalogue pays, monthly or once (policies/programs)
PAYROLL_PROGRAMS = tuple(p.code for p in programs.catalogue(paid="any"))
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Computed:
    lines: pl.DataFrame
    flags: pl.DataFrame
    summary: dict
    seconds: dict


def generate(
    actor, county: str, program: str, period: date, progress: Progress = lambda m: None
) -> Payroll:
    """Generate (or regenerate) the draft payroll of a county, program and month. `actor` is
    the maker; None for the operator's command."""
    region = _county(actor, county)
    if program not in PAYROLL_PROGRAMS:
        raise Error.PAYROLL_PROGRAM_NOT_PAID.error(program=program, field="program")
    period = period.replace(day=1)
    payroll = _locked_draft(actor, region, program, period)
    month = inputs.Month(period, _baseline(payroll))
    computed = compute(payroll, month, progress)
    store(payroll, computed, actor, progress)
    return Payroll.objects.get(pk=payroll.pk)


def _county(actor, county: str) -> Region:
    try:
        code = codes.normalize_code(county)
    except ValueError as exc:
        raise Error.PAYROLL_BAD_COUNTY_CODE.error(problem=str(exc), field="county") from None
    if codes.level_of(code) != codes.COUNTY:
        raise Error.PAYROLL_NOT_A_COUNTY.error(field="county")
    if actor is not None:
        require_permission(
            actor, "payments.prepare_payroll", Error.PAYROLL_NOT_PERMITTED, verb="编制"
        )
        if not user_may_access_region(actor, code):
            raise Error.PAYROLL_OUTSIDE_REGION.error()
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Error.PAYROLL_UNKNOWN_COUNTY.error(code=county)
    return region


def _locked_draft(actor, region: Region, program: str, period: date) -> Payroll:
    try:
        with transaction.atomic():
            payroll, _ = Payroll.objects.get_or_create(
                county=region, program=program, period=period, defaults={"prepared_by": actor}
            )
    except IntegrityError:  # created meanwhile by another maker
        payroll = Payroll.objects.get(county=region, program=program, period=period)
    payroll = Payroll.objects.select_for_update().get(pk=payroll.pk)
    if payroll.status != Payroll.Status.DRAFT:
        raise Error.PAYROLL_NOT_REGENERABLE.error(
            month=f"{period:%Y-%m}", status=payroll.get_status_display()
        )
    return payroll


def _baseline(payroll: Payroll) -> date:
    return Payroll.objects.filter(county=payroll.county, program=payroll.program).aggregate(
        first=Min("period")
    )["first"]


def compute(payroll: Payroll, month: inputs.Month, progress: Progress = lambda m: None) -> Computed:
    clock = _Clock(progress)
    cases = inputs.cases(payroll, month)
    previous = _previous(payroll, month)
    payees = inputs.payees(
        _ids(cases["beneficiary_id"]), payroll.county_id, inputs.paid_accounts(previous)
    )
    clock.tick("read cases, payees and last month")
    settled = _settled(cases, previous, month)
    rate_changed = cases.join(settled, on="case_id").filter(
        pl.col("amount_fen") != pl.col("last_monthly_fen")
    )
    cases = cases.join(
        inputs.latest_reviews(_ids(rate_changed["case_id"])), on="case_id", how="left"
    ).join(
        payees.select(pl.col("person_id").alias("beneficiary_id"), "died_on"),
        on="beneficiary_id",
        how="left",
    )
    entitled = ledger.entitlements(
        cases, settled, payroll.program, month.index, ledger.index_of(month.baseline)
    )
    corrected = _corrections(entitled)
    recovered = inputs.registered_recoveries(
        _ids(corrected.filter(pl.col("overpaid_fen") > 0)["case_id"])
    )
    owed = ledger.lines(entitled, corrected, recovered, _care(payroll))
    # one line per payee: a second case of the same payee (a second one-off grant) waits
    lines = owed.unique("beneficiary_id", keep="first", maintain_order=True)
    away = lines.join(inputs.on_other_payrolls(payroll), on="beneficiary_id")
    lines = lines.join(away, on="beneficiary_id", how="anti")
    clock.tick("compute amounts")
    lines = _with_case_and_account(lines, cases, payees)
    found_with = context.build(payroll, lines, payees, previous)
    live = cases.filter((pl.col("status") == Status.APPROVED) & pl.col("household_case"))
    flags = checks.run_all(lines, found_with, live.select("household_id", "decided_on"))
    clock.tick("pre-release checks")
    summary = _summary(cases, entitled, owed.height - lines.height - away.height, away)
    return Computed(lines, flags, summary, clock.seconds)


def _ids(series: pl.Series) -> list[int]:
    return series.drop_nulls().unique().sort().to_list()


def _previous(payroll: Payroll, month: inputs.Month) -> pl.DataFrame:
    """Last month's settled lines of this county's payroll of the program."""
    before = ledger.month_of(month.index - 1)
    found = Payroll.objects.filter(
        county=payroll.county,
        program=payroll.program,
        period=before,
        status=Payroll.Status.RELEASED,
    ).first()
    return inputs.settled_in(found.pk) if found else inputs.settled_of([])


def _settled(cases: pl.DataFrame, previous: pl.DataFrame, month: inputs.Month) -> pl.DataFrame:
    """Each case's last settled month and its rate: from last month's payroll, else (cases it
    did not settle) from the lines' history, read only when there is history before it."""
    settled = inputs.latest_settled(previous)
    if ledger.index_of(month.baseline) < month.index - 1:
        missing = cases.join(settled, on="case_id", how="anti")["case_id"]
        older = inputs.latest_settled(inputs.settled_of(_ids(missing)))
        settled = pl.concat([settled, older])
    return settled


def _corrections(entitled: pl.DataFrame) -> pl.DataFrame:
    needing = ledger.needing_window(entitled)
    window = (
        inputs.as_window(inputs.settled_of(_ids(needing["case_id"])))
        .join(needing, on="case_id")
        .filter(pl.col("period_m") >= pl.col("since_m"))
        .drop("since_m")
    )
    return ledger.corrections(entitled, window)


def _care(payroll: Payroll) -> pl.DataFrame:
    """特困's monthly care part by support mode and care band (annual ÷ 12, half up); a blank
    mode is 分散供养 and a blank band 全自理, as the rules read them."""
    schema = {"support_mode": pl.Utf8, "care_band": pl.Utf8, "annual_fen": pl.Int64}
    rows = []
    if payroll.program == "tekun":  # 特困: the care part by care level
        tree = effective_tree()
        for mode in ("", "dispersed", "centralised"):
            for band in ("", "self", "partial", "full"):
                name = f"tekun.care.{mode or 'dispersed'}_{band or 'self'}"
                value = resolve(tree[name], payroll.period, payroll.county_id).value
                rows.append((mode, band, truncated_fen(value)))
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.select(
        "support_mode",
        "care_band",
        monthly_fen(pl.lit(0), pl.col("annual_fen")).alias("care_monthly_fen"),
    )


def _with_case_and_account(lines, cases, payees) -> pl.DataFrame:
    return lines.join(
        cases.select(
            "case_id",
            "case_number",
            "household_case",
            pl.max_horizontal("decided_on", "reviewed_on").alias("decided_on"),
        ),
        on="case_id",
    ).join(
        payees.select(pl.col("person_id").alias("beneficiary_id"), "bank_name", "account_token"),
        on="beneficiary_id",
        how="left",
    )


def _summary(cases, entitled, deferred: int, away: pl.DataFrame) -> dict:
    by_status = cases["status"].value_counts()
    count = dict(zip(by_status["status"].to_list(), by_status["count"].to_list(), strict=True))
    no_payee = entitled.filter((pl.col("months") > 0) & pl.col("beneficiary_id").is_null())
    return {
        "cases": cases.height,
        "suspended": count.get(Status.SUSPENDED, 0),
        "ended": count.get(Status.ENDED, 0),
        "no_payee": no_payee.height,
        "deferred": deferred,
        "elsewhere": away.height,
        "elsewhere_cases": away.join(cases.select("case_id", "case_number"), on="case_id")
        .select(pl.col("case_number").alias("case"), pl.col("other_county").alias("county"))
        .head(100)
        .to_dicts(),
    }


def store(payroll: Payroll, computed: Computed, actor, progress: Progress) -> None:
    clock = _Clock(progress)
    generation = payroll.generation + 1
    with storing.page_cache():
        written = storing.write_lines(payroll, computed.lines, generation)
        storing.write_flags(payroll, computed.flags, generation)
        storing.refresh_held(payroll)
        storing.refresh_channel(payroll)
        totals = storing.refresh_totals(payroll)
    clock.tick("write lines and findings")
    Payroll.objects.filter(pk=payroll.pk).update(
        generation=generation,
        version=payroll.version + 1,
        generated_at=timezone.now(),
        prepared_by=actor if actor is not None else payroll.prepared_by,
        summary=computed.summary,
    )
    record(
        Event.PAYROLL_GENERATED,
        actor=actor,
        object_type="payroll",
        object_id=payroll.pk,
        region_code=payroll.county_id,
        after={
            "number": payroll.number,
            "generation": generation,
            "lines": written,
            "total_fen": totals["total_fen"],
            "findings": computed.flags.height,
            "open_findings": totals["open_flags"],
        },
    )


class _Clock:
    def __init__(self, progress: Progress) -> None:
        self.progress, self.seconds, self.started = progress, {}, time.perf_counter()

    def tick(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] = round(now - self.started, 2)
        self.progress(f"{step}: {now - self.started:.1f} s")
        self.started = now
