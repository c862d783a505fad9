"""The statutory steps of a case as one table: who (permission) may take which step (action) from
which statuses, to which status, for which programs. Services (cases/services.py) consult it
before anything else, so an illegal step is refused the same way from every screen and API.
"""

from dataclasses import dataclass

from minzheng.cases.models import Program, Status

OPEN = frozenset(
    {
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.INVESTIGATED,
        Status.REVIEWED,
        Status.PUBLICISED,
        Status.AWAITING,
    }
)
ACTIVE = frozenset({Status.APPROVED, Status.SUSPENDED})


@dataclass(frozen=True)
class Step:
    action: str
    label: str  # Chinese, for buttons, queues and the timeline
    permission: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (a record added to the case)
    programs: frozenset[str] | None = None  # None: every program


STEPS = {
    s.action: s
    for s in [
        Step("accept", "受理", "cases.accept_case", frozenset({Status.SUBMITTED}), Status.ACCEPTED),
        Step(
            "investigate",
            "入户调查",
            "cases.investigate_case",
            frozenset({Status.ACCEPTED}),
            Status.INVESTIGATED,
        ),
        Step(
            "review",
            "乡镇审核",
            "cases.review_case",
            frozenset({Status.INVESTIGATED}),
            Status.REVIEWED,
        ),
        Step(
            "publicise",
            "公示",
            "cases.publicise_case",
            frozenset({Status.REVIEWED}),
            Status.PUBLICISED,
        ),
        Step(
            "object",
            "登记异议",
            "cases.publicise_case",
            frozenset({Status.PUBLICISED}),
            None,
        ),
        Step(
            "resolve_objection",
            "处理异议",
            "cases.publicise_case",
            frozenset({Status.PUBLICISED}),
            None,
        ),
        Step(
            "close_publicity",
            "公示结束，报县级审批",
            "cases.publicise_case",
            frozenset({Status.PUBLICISED}),
            Status.AWAITING,
        ),
        Step("approve", "批准", "cases.decide_case", frozenset({Status.AWAITING}), Status.APPROVED),
        Step(
            "reject", "不予批准", "cases.decide_case", frozenset({Status.AWAITING}), Status.REJECTED
        ),
        Step(
            "extend",
            "延长办理时限",
            "cases.decide_case",
            OPEN - {Status.SUBMITTED},
            None,
        ),
        Step(
            "grant_small",
            "小额临时救助乡镇审批",
            "cases.grant_small_case",
            frozenset({Status.REVIEWED}),
            Status.APPROVED,
            frozenset({Program.TEMPORARY}),
        ),
        Step(
            "grant_emergency",
            "先行救助",
            "cases.grant_emergency_case",
            frozenset({Status.SUBMITTED, Status.ACCEPTED}),
            Status.APPROVED,
            frozenset({Program.TEMPORARY}),
        ),
        Step(
            "complete_paperwork",
            "补办手续",
            "cases.investigate_case",
            frozenset({Status.APPROVED}),
            None,
            frozenset({Program.TEMPORARY}),
        ),
        Step("recheck", "复核", "cases.recheck_case", frozenset({Status.APPROVED}), None),
        Step(
            "suspend",
            "暂停发放",
            "cases.decide_case",
            frozenset({Status.APPROVED}),
            Status.SUSPENDED,
        ),
        Step(
            "resume",
            "恢复发放",
            "cases.decide_case",
            frozenset({Status.SUSPENDED}),
            Status.APPROVED,
        ),
        Step("end", "终止（停发）", "cases.decide_case", ACTIVE, Status.ENDED),
    ]
}


def step(action: str) -> Step:
    try:
        return STEPS[action]
    except KeyError:
        raise ValueError(f"unknown case action {action!r}") from None


def steps_for(user, status: str, program: str) -> list[Step]:
    """The steps this user may take on a case in this status (for the case page's buttons)."""
    return [
        s
        for s in STEPS.values()
        if status in s.sources
        and (s.programs is None or program in s.programs)
        and user.has_perm(s.permission)
    ]
