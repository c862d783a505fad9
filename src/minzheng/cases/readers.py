"""What other apps may read of cases: the status sets, bulk readers returning Polars frames,
querysets they may filter or nest (`granted_for`), and counts. Only this app writes SQL over
cases_* tables or queries its models; payments, monitoring, dashboards and targets call these.

A reader that another app must narrow by its own tables takes an SQL predicate from that app
(`payable`'s `also`): each app writes SQL over its own tables only, and the query says where
each part comes from."""

from datetime import date

import polars as pl
from django.db.models import Count, Q, QuerySet, Sum

from minzheng.audit.models import AuditEvent
from minzheng.cases.consents import missing_consents
from minzheng.cases.models import LIVE, OPEN, Case, Review, Status
from minzheng.cases.workflow import PROCEDURE
from minzheng.kit.bulk import read_by_ids, read_frame
from minzheng.procedures.selectors import overdue_count
from minzheng.registry.readers import head_of

RECEIVING = (Status.APPROVED,)  # in payment now
IN_PAYMENT = (Status.APPROVED, Status.SUSPENDED)  # paid, or paid back once resumed
DECIDED = (Status.APPROVED, Status.SUSPENDED, Status.ENDED)  # granted at some point
__all__ = ["DECIDED", "IN_PAYMENT", "LIVE", "OPEN", "RECEIVING", "Status"]

# ---- the payroll's cases ----------------------------------------------------------------------

PAYABLE_SQL = """
    SELECT c.id, c.number, c.household_id, c.person_id, COALESCE(c.person_id, {head}),
           c.region_id, c.status, c.amount_fen, CAST(c.start_month AS TEXT),
           CAST(g.until AS TEXT), CAST(c.ended_on AS TEXT), CAST(c.decided_on AS TEXT),
           COALESCE(t.mode, ''), COALESCE(t.care_band, '')
    FROM cases_case c
    LEFT JOIN cases_gradualexit g ON g.case_id = c.id
    LEFT JOIN cases_tekunsupport t ON t.case_id = c.id
    WHERE c.program = %s AND c.region_id LIKE %s AND c.amount_fen IS NOT NULL
      AND (c.start_month IS NOT NULL OR %s)
      AND (c.status IN ('approved', 'suspended')
           OR (c.status = 'ended' AND (c.ended_on >= %s OR {also})))"""
PAYABLE_SCHEMA = {
    "case_id": pl.Int64,
    "case_number": pl.Utf8,
    "household_id": pl.Int64,
    "person_id": pl.Int64,
    "beneficiary_id": pl.Int64,  # the person of a person case, else the household's head
    "region_code": pl.Utf8,
    "status": pl.Utf8,
    "amount_fen": pl.Int64,
    "start_month": pl.Utf8,  # dates come as ISO text: Polars parses a million at once
    "taper_until": pl.Utf8,
    "ended_on": pl.Utf8,
    "decided_on": pl.Utf8,
    "support_mode": pl.Utf8,
    "care_band": pl.Utf8,
}


def payable(program: str, pattern: str, unstarted: bool, since: date, also) -> pl.DataFrame:
    """The program's cases of a region that may be owed something: in payment, or ended since
    `since`, or an ended one the caller's predicate `also` = (sql, params) names (over "c.id"
    and "c.ended_on", e.g. paid beyond its end). `unstarted`: with no start month too."""
    sql = PAYABLE_SQL.format(head=head_of("c.household_id"), also=also[0])
    return read_frame(sql, [program, pattern, unstarted, since, *also[1]], PAYABLE_SCHEMA)


REVIEWS_SQL = """
    SELECT r.case_id, r.reviewed_on FROM cases_review r
    WHERE r.amount_fen IS NOT NULL AND r.case_id IN ({ids})"""


def amount_reviews(case_ids: list[int]) -> pl.DataFrame:
    """case_id, reviewed_on of every 复核 of these cases that set an amount."""
    return read_by_ids(REVIEWS_SQL, case_ids, {"case_id": pl.Int64, "reviewed_on": pl.Date})


PERSON_CASES_SQL = """
    SELECT c.person_id, c.program, c.number FROM cases_case c
    WHERE c.status = 'approved' AND c.region_id LIKE %s AND c.person_id IS NOT NULL
      AND c.program IN ({ids})"""
HOUSEHOLD_CASES_SQL = """
    SELECT c.household_id, c.program, c.number FROM cases_case c
    WHERE c.status = 'approved' AND c.person_id IS NULL AND c.program IN ({programs})
      AND c.household_id IN ({ids})"""


def approved_person_cases(pattern: str, programs: list[str]) -> pl.DataFrame:
    """person_id, program, case_number of the region's approved person cases of `programs`."""
    schema = {"person_id": pl.Int64, "program": pl.Utf8, "case_number": pl.Utf8}
    if not programs:
        return pl.DataFrame(schema=schema)
    return read_by_ids(PERSON_CASES_SQL, programs, schema, params=[pattern])


def approved_household_cases(household_ids: list[int], programs: list[str]) -> pl.DataFrame:
    """household_id, program, case_number of these households' approved household cases."""
    schema = {"household_id": pl.Int64, "program": pl.Utf8, "case_number": pl.Utf8}
    if not programs:
        return pl.DataFrame(schema=schema)
    marks = ", ".join(["%s"] * len(programs))
    sql = HOUSEHOLD_CASES_SQL.replace("{programs}", marks)
    return read_by_ids(sql, household_ids, schema, params=programs)


# ---- monitoring, outreach, statistics --------------------------------------------------------


def receiving(prefix: str) -> QuerySet[Case]:
    """The region's cases in payment now (monitoring's recipients and case dates)."""
    return Case.objects.filter(region__code__startswith=prefix, status__in=RECEIVING)


def live_pairs(prefix: str) -> list[tuple[int, str]]:
    """(household_id, program) of the region's live cases."""
    live = Case.objects.filter(region__code__startswith=prefix, status__in=LIVE)
    return list(live.values_list("household_id", "program"))


def consented_case_of(household) -> Case | None:
    """The household's latest live case whose 核对 every adult member and supporter has
    authorised (monitoring's 核对 requests need one)."""
    for case in Case.objects.filter(household=household, status__in=LIVE).order_by("-id"):
        if case.consents.exists() and not missing_consents(case):
            return case
    return None


def granted_for(household, program) -> QuerySet[Case]:
    """The decided, granted cases of a household and program (to nest in Exists(...))."""
    return Case.objects.filter(
        household=household, program=program, status__in=DECIDED, decided_on__isnull=False
    )


def overdue_counts(prefix: str, today: date) -> dict[str, int]:
    """The region's cases past a deadline: decisions, aid-first paperwork, periodic reviews."""
    late = Q(status=Status.APPROVED, next_review_on__lt=today)
    return {
        "decisions": overdue_count(PROCEDURE, prefix, today, "decision"),
        "paperwork": overdue_count(PROCEDURE, prefix, today, "paperwork"),
        "reviews": Case.objects.filter(late, region__code__startswith=prefix).count(),
    }


def granted_in_year(prefix: str, year: int, one_off: list[str], enrolled: list[str]) -> dict:
    """The region's decisions of the year: one-off grants (count, amount) and new enrolments."""
    return Case.objects.filter(
        region__code__startswith=prefix, status__in=DECIDED, decided_on__year=year
    ).aggregate(
        one_off=Count("id", filter=Q(program__in=one_off)),
        one_off_fen=Sum("amount_fen", filter=Q(program__in=one_off)),
        enrolled=Count("id", filter=Q(program__in=enrolled)),
    )


# ---- the dated facts of decided cases (dashboards.figures) ------------------------------------

GRANTS = ("case.approve", "case.grant_small", "case.grant_emergency", "case.grant_automatic")
DECIDED_SCHEMA = {
    "case_id": pl.Int64,
    "program": pl.Utf8,
    "region": pl.Utf8,
    "area_type": pl.Utf8,
    "household_id": pl.Int64,
    "single": pl.Boolean,
    "decided_on": pl.Date,
    "start_month": pl.Date,
    "ended_on": pl.Date,
    "amount_fen": pl.Int64,
}
AMOUNTS_SCHEMA = {"case_id": pl.Int64, "on": pl.Date, "order": pl.Int64, "amount_fen": pl.Int64}


def decided(prefix: str) -> QuerySet[Case]:
    """Every decided case of the region with an amount."""
    cases = Case.objects.filter(
        region__code__startswith=prefix, status__in=DECIDED, decided_on__isnull=False
    )
    return cases.exclude(amount_fen__isnull=True)


def decided_frame(cases: QuerySet[Case]) -> pl.DataFrame:
    rows = cases.values_list(
        "id",
        "program",
        "region_id",
        "household__area_type",
        "household_id",
        "person_id",
        "decided_on",
        "start_month",
        "ended_on",
        "amount_fen",
    )
    return pl.DataFrame(
        [(*r[:5], r[5] is not None, *r[6:]) for r in rows], schema=DECIDED_SCHEMA, orient="row"
    )


def amounts_in_force(cases: QuerySet[Case], frame: pl.DataFrame) -> pl.DataFrame:
    """The decision's amount from the decision day, then each review's from its day. A case's
    own amount is the latest; with reviews, the decision's comes from its audit event."""
    reviews = pl.DataFrame(
        list(
            Review.objects.filter(case__in=cases, amount_fen__isnull=False).values_list(
                "case_id", "reviewed_on", "id", "amount_fen"
            )
        ),
        schema=AMOUNTS_SCHEMA,
        orient="row",
    )
    granted = pl.DataFrame(
        list(_granted_amounts(set(reviews["case_id"].to_list())).items()),
        schema={"case_id": pl.Int64, "granted": pl.Int64},
        orient="row",
    )
    decisions = frame.join(granted, on="case_id", how="left").select(
        "case_id",
        pl.col("decided_on").alias("on"),
        pl.lit(0, pl.Int64).alias("order"),
        pl.coalesce("granted", "amount_fen").alias("amount_fen"),
    )
    return pl.concat([decisions, reviews]).sort("case_id", "on", "order")


def _granted_amounts(case_ids: set[int]) -> dict[int, int]:
    """The amount each decision granted, from its audit event (in chunks of ids)."""
    ids, found = sorted(str(i) for i in case_ids), {}
    for start in range(0, len(ids), 500):
        events = AuditEvent.objects.filter(
            object_type="case", action__in=GRANTS, object_id__in=ids[start : start + 500]
        ).values_list("object_id", "after")
        for object_id, after in events:
            if after and after.get("amount_fen") is not None:
                found[int(object_id)] = int(after["amount_fen"])
    return found


def suspensions(prefix: str) -> list[tuple]:
    """(case_id, at, seq, suspended) of every suspension and resumption in the region."""
    events = AuditEvent.objects.filter(
        object_type="case",
        action__in=("case.suspend", "case.resume"),
        region_code__startswith=prefix,
    ).values_list("object_id", "at", "seq", "action")
    return [(int(o), at, seq, action == "case.suspend") for o, at, seq, action in events]
