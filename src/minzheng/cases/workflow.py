"""The statutory steps of a social-assistance case as one table on the procedure layer: who
(permission) may take which step (action) from which statuses, to which status, for which
programs, what it checks and writes (cases/handlers.py), the periods it starts or stops and the
notice it issues. procedures.services.perform takes any of them the same way, from every
screen and API."""

from datetime import timedelta

from minzheng.cases import handlers, notices, rules_of_case
from minzheng.cases.models import LIVE, Case, Program, Status
from minzheng.policies import programs
from minzheng.procedures.declare import Period, Procedure, Queue, Step, register
from minzheng.procedures.selectors import with_running

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
TEMPORARY = frozenset({Program.TEMPORARY})
AUTOMATIC = frozenset(p.code for p in programs.catalogue() if p.automatic)  # 免申即享
DIBAO_RULES = "最低生活保障审核确认办法（民发〔2021〕57号）"

DECISION = Period(
    "decision",
    "办理时限",
    "cases.decision_working_days",
    extended="cases.extended_working_days",
    basis=f"{DIBAO_RULES}：30个工作日，特殊情况可延长至45个工作日",
)
PUBLICITY = Period(
    "publicity", "公示期", "cases.publicity_days", notice=True, basis="社会救助暂行办法 第十一条"
)
PAPERWORK = Period(
    "paperwork",
    "补办手续时限",
    "cases.emergency_paperwork_working_days",
    basis="国发〔2014〕47号：紧急情况先行救助，事后补齐手续",
)
DECIDED = ("decision",)


def _step(action, label, permission, sources, target=None, **more) -> Step:
    return Step(action, label, f"cases.{permission}", frozenset(sources), target, **more)


STEPS = {
    s.action: s
    for s in [
        _step("accept", "受理", "accept_case", {Status.SUBMITTED}, Status.ACCEPTED,
              handler=handlers.accept, starts=(DECISION,), queue=True),
        _step("investigate", "入户调查", "investigate_case", {Status.ACCEPTED},
              Status.INVESTIGATED, handler=handlers.investigate, queue=True),
        _step("review", "乡镇审核", "review_case", {Status.INVESTIGATED}, Status.REVIEWED,
              handler=handlers.review, queue=True),
        _step("publicise", "公示", "publicise_case", {Status.REVIEWED}, Status.PUBLICISED,
              handler=handlers.publicise, starts=(PUBLICITY,), queue=True),
        _step("object", "登记异议", "publicise_case", {Status.PUBLICISED},
              handler=handlers.raise_objection),
        _step("resolve_objection", "处理异议", "publicise_case", {Status.PUBLICISED},
              handler=handlers.resolve_objection),
        _step("close_publicity", "公示结束，报县级审批", "publicise_case", {Status.PUBLICISED},
              Status.AWAITING, handler=handlers.close_publicity, stops=("publicity",),
              queue=True),
        _step("approve", "批准", "decide_case", {Status.AWAITING}, Status.APPROVED,
              handler=handlers.approve, stops=DECIDED, document=notices.record_decision,
              queue=True),
        _step("reject", "不予批准", "decide_case", {Status.AWAITING}, Status.REJECTED,
              handler=handlers.reject, stops=DECIDED, document=notices.record_decision),
        _step("extend", "延长办理时限", "decide_case", OPEN - {Status.SUBMITTED},
              handler=handlers.with_reason, extends="decision"),
        _step("grant_small", "小额临时救助乡镇审批", "grant_small_case", {Status.REVIEWED},
              Status.APPROVED, handler=handlers.grant_small, variants=TEMPORARY, stops=DECIDED,
              document=notices.record_decision),
        _step("grant_emergency", "先行救助", "grant_emergency_case",
              {Status.SUBMITTED, Status.ACCEPTED}, Status.APPROVED,
              handler=handlers.grant_emergency, variants=TEMPORARY, stops=DECIDED,
              starts=(PAPERWORK,), document=notices.record_decision),
        _step("grant_automatic", "免申即享确认", "decide_case", {Status.SUBMITTED},
              Status.APPROVED, handler=handlers.grant_automatic, variants=AUTOMATIC,
              document=notices.record_decision, offered=False),
        _step("complete_paperwork", "补办手续", "investigate_case", {Status.APPROVED},
              handler=handlers.complete_paperwork, variants=TEMPORARY, stops=("paperwork",)),
        _step("recheck", "复核", "recheck_case", {Status.APPROVED}, handler=handlers.recheck),
        _step("suspend", "暂停发放", "decide_case", {Status.APPROVED}, Status.SUSPENDED,
              handler=handlers.with_reason),
        _step("resume", "恢复发放", "decide_case", {Status.SUSPENDED}, Status.APPROVED,
              handler=handlers.with_reason),
        _step("end", "终止（停发）", "decide_case", ACTIVE, Status.ENDED, handler=handlers.end),
        # Taken when a death or a move out is recorded (cases/deaths.py): they end every live
        # case of the person, open ones too, and call the review of a household with members
        # left.
        _step("end_for_death", "因死亡终止", "decide_case", LIVE, Status.ENDED,
              handler=handlers.end, offered=False),
        _step("end_for_move", "因迁出终止", "decide_case", LIVE, Status.ENDED,
              handler=handlers.end, offered=False),
        _step("recheck_due", "家庭成员减少，提前复核", "decide_case", LIVE,
              handler=handlers.recheck_due, offered=False),
    ]
}  # fmt: skip

REVIEW_NOTICE = timedelta(days=30)  # reviews due within a month appear on the queue

QUEUES = (
    Queue(
        "paperwork",
        "先行救助待补办手续",
        "cases.investigate_case",
        lambda cases, today: with_running(PROCEDURE, cases, "paperwork"),
    ),
    Queue(
        "recheck",
        "待复核",
        "cases.recheck_case",
        lambda cases, today: cases.filter(
            status=Status.APPROVED, next_review_on__lte=today + REVIEW_NOTICE
        ),
    ),
    Queue(
        "taper",
        "渐退期满待终止",
        "cases.decide_case",
        lambda cases, today: cases.filter(status=Status.APPROVED, gradual_exit__until__lte=today),
    ),
)

PROCEDURE = register(
    Procedure(
        code="case",
        label="社会救助案件",
        noun="案件",
        model=Case,
        steps=tuple(STEPS.values()),
        view_permission="cases.view_case",
        closed=frozenset({Status.REJECTED, Status.ENDED}),
        not_found="案件不存在或不在您的管辖范围内。",
        variant_field="program",
        parameter=rules_of_case.parameter,
        queues=QUEUES,
        select_related=("household",),
        event_labels={
            "consent_recorded": "登记核对授权",
        },
        attachment_kinds={
            "application": "签字的申请书",
            "certificate": "证明材料",
            "investigation": "入户调查照片",
            "other": "其他",
        },
        attach_permission="cases.investigate_case",
    )
)


def step(action: str) -> Step:
    return PROCEDURE.step(action)


def steps_for(user, case) -> list[Step]:
    """The steps this user may take on the case now (for the case page's buttons)."""
    return PROCEDURE.steps_for(user, case)
