"""免申即享: the programs the catalogue grants without an application (policies.programs,
granted "automatic" or "both": 高龄津贴).

Each month the county's registry is evaluated in bulk; every living person the rules find
eligible, with no case of the program in force, no proposal waiting and none declined in the
last year, is proposed (`screen`, idempotent). The county confirms proposals in bulk: each
becomes a case approved at once by the `grant_automatic` step — the evaluation kept, the notice
issued, paid from the next month — or declines them with a reason. A death or a move out of the
county ends the case like any other (cases/deaths.py)."""

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from django.db import transaction
from django.db.models import F, QuerySet

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.cases import services
from minzheng.cases.errors import Error
from minzheng.cases.events import Event
from minzheng.cases.models import Case, Proposal, holds_the_place
from minzheng.kit.errors import DomainError, NotFound
from minzheng.kit.masking import mask_name
from minzheng.policies import programs
from minzheng.regions import codes
from minzheng.regions.scoping import scope_queryset, user_may_access_region
from minzheng.registry.snapshot import snapshot
from minzheng.rules.evaluate import evaluate
from minzheng.rules.facts import frames_of
from minzheng.rules.publication import effective_tree

DECIDE = "cases.decide_case"
QUIET = timedelta(days=365)  # a declined person is not proposed again for a year


@dataclass(frozen=True)
class Screened:
    month: date
    eligible: int  # found eligible by the rules, with or without a case
    proposed: int  # new proposals

    def __str__(self) -> str:
        return (
            f"{self.month:%Y年%m月}筛查完成：符合条件 {self.eligible} 人，"
            f"新列入待确认名单 {self.proposed} 人。"
        )


def automatic_programs() -> tuple[programs.Program, ...]:
    return tuple(p for p in programs.catalogue() if p.automatic)


def screen(actor, county: str, today: date) -> Screened:
    """The month's screening of a county (`actor` None: the operator's monthly command)."""
    if actor is not None:
        require_permission(actor, DECIDE, Error.SCREEN_NOT_PERMITTED)
    code = _county(actor, county)
    wanted = automatic_programs()
    evaluation = evaluate(
        frames_of(snapshot(code)), today, effective_tree(), [p.code for p in wanted]
    )
    month, eligible, proposed = today.replace(day=1), 0, 0
    for program in wanted:
        found = _eligible(evaluation.persons, program)
        fresh = found.filter(~pl.col("person_id").is_in(list(_known(program.code, code, today))))
        Proposal.objects.bulk_create(
            [_proposal(program.code, month, row) for row in fresh.iter_rows(named=True)],
            ignore_conflicts=True,  # a proposal already waiting stays as it is
        )
        eligible, proposed = eligible + found.height, proposed + fresh.height
        record(
            Event.AUTOMATIC_SCREENED,
            actor=actor,
            object_type="region",
            object_id=code,
            region_code=code,
            after={
                "program": program.code,
                "month": month,
                "eligible": found.height,
                "proposed": fresh.height,
            },
        )
    return Screened(month, eligible, proposed)


def _county(actor, county: str) -> str:
    try:
        code = codes.normalize_code(county)
    except ValueError:
        raise NotFound() from None
    if codes.level_of(code) != codes.COUNTY:
        raise Error.AUTOMATIC_BY_COUNTY.error(field="county")
    if actor is not None and not user_may_access_region(actor, code):
        raise NotFound()
    return code


def _eligible(persons: pl.DataFrame, program) -> pl.DataFrame:
    return persons.filter(pl.col(program.eligible)).select(
        "person_id",
        "household_id",
        "region_code",
        pl.col("age").cast(pl.Int64),
        pl.col(program.amount).cast(pl.Int64).alias("amount_fen"),
    )


def _known(program: str, county: str, today: date) -> set[int]:
    """Persons not to propose: a case in force or waiting, a proposal waiting, or declined
    within the year."""
    prefix = codes.prefix_of(county)
    cases = Case.objects.filter(holds_the_place(), program=program, region__code__startswith=prefix)
    proposals = Proposal.objects.filter(program=program, region__code__startswith=prefix)
    waiting = proposals.filter(status=Proposal.Status.PROPOSED)
    declined = proposals.filter(status=Proposal.Status.DECLINED, decided_on__gt=today - QUIET)
    return {
        *cases.values_list("person_id", flat=True),
        *waiting.values_list("person_id", flat=True),
        *declined.values_list("person_id", flat=True),
    }


def _proposal(program: str, month: date, row: dict) -> Proposal:
    return Proposal(
        program=program,
        person_id=row["person_id"],
        household_id=row["household_id"],
        region_id=row["region_code"],
        month=month,
        amount_fen=row["amount_fen"],
        age=row["age"],
    )


def proposals_for(user, status: str = Proposal.Status.PROPOSED) -> QuerySet[Proposal]:
    require_permission(user, "cases.view_case")
    found = scope_queryset(Proposal.objects.select_related("person", "region", "case"), user)
    return found.filter(status=status).order_by("region_id", "-age", "person_id")


@dataclass(frozen=True)
class Confirmed:
    cases: list[str]  # the numbers of the cases approved
    refused: list[tuple[str, str]]  # (masked name, why)


def confirm(actor, proposal_ids: list[int], today: date) -> Confirmed:
    """Each proposal waiting becomes an approved case (in a savepoint of its own: one refused
    proposal does not hold back the others)."""
    require_permission(actor, DECIDE, Error.CONFIRM_NOT_PERMITTED)
    chosen = _chosen(actor, proposal_ids)
    approved, refused = [], []
    for proposal in chosen:
        try:
            with transaction.atomic():
                approved.append(_approve(actor, proposal, today).number)
        except DomainError as refusal:
            refused.append((mask_name(proposal.person.name), refusal.message))
    return Confirmed(approved, refused)


def _chosen(actor, proposal_ids: list[int]) -> list[Proposal]:
    chosen = list(proposals_for(actor).filter(pk__in=proposal_ids))
    if not chosen:
        raise Error.NO_PROPOSALS_CHOSEN.error(field="proposals")
    return chosen


def _approve(actor, proposal: Proposal, today: date) -> Case:
    case = services.open_case(
        actor,
        proposal.household,
        proposal.program,
        today,
        person_id=proposal.person_id,
        channel="automatic",
    )
    case = services.perform(actor, case.pk, "grant_automatic", case.version, today)
    _decided(proposal, actor, today, Proposal.Status.CONFIRMED, case=case)
    return case


def decline(actor, proposal_ids: list[int], reason: str, today: date) -> int:
    require_permission(actor, DECIDE, Error.CONFIRM_NOT_PERMITTED)
    if not reason.strip():
        raise Error.DECLINE_REASON_REQUIRED.error(field="reason")
    chosen = _chosen(actor, proposal_ids)
    for proposal in chosen:
        _decided(proposal, actor, today, Proposal.Status.DECLINED, reason=reason.strip())
    return len(chosen)


def _decided(proposal: Proposal, actor, today: date, status: str, **more) -> None:
    won = Proposal.objects.filter(
        pk=proposal.pk, status=Proposal.Status.PROPOSED, version=proposal.version
    ).update(status=status, decided_on=today, decided_by=actor, version=F("version") + 1, **more)
    if not won:
        raise Error.PROPOSAL_TAKEN.error()
    record(
        Event(f"case.automatic_{status}"),  # confirmed or declined, both declared
        actor=actor,
        object_type="person",
        object_id=proposal.person_id,
        region_code=proposal.region_id,
        after={
            "program": proposal.program,
            "case": more["case"].number if "case" in more else None,
            "amount_fen": proposal.amount_fen,
        },
        reason=more.get("reason", ""),
    )
