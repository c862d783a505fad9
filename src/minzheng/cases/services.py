"""Case services: apply, and take one statutory step (cases/workflow.py) on a case.

Every step is checked in the same order — the case in the actor's region (else NotFound), the
permission (Forbidden), the step allowed from the case's status and for its program (Conflict)
— then validated, then written with an optimistic version check, so two people acting on the
same case at once get one success and one clear conflict; and every step is an audit event on
the household's timeline. Callers (views, API) own the transaction.
"""

from datetime import date, timedelta

from django.db.models import F

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.cases import rules_of_case
from minzheng.cases.models import Case, Consent, Investigation, Objection, Program, Review, Status
from minzheng.cases.numbering import next_number
from minzheng.cases.workflow import step
from minzheng.documents.decisions import record_decision
from minzheng.kit.errors import Conflict, NotFound, ValidationFailed
from minzheng.kit.money import fen_to_yuan
from minzheng.kit.workdays import add_working_days
from minzheng.regions import codes
from minzheng.regions.scoping import scope_queryset
from minzheng.registry import selectors

PERSON_PROGRAMS = {
    Program.TEKUN,
    Program.CHILD_ALLOWANCE,
    Program.DISABILITY_LIVING,
    Program.DISABILITY_NURSING,
}


def cases_for(user):
    return scope_queryset(Case.objects.select_related("household"), user, region_field="region")


def case_for(user, case_id: int) -> Case:
    require_permission(user, "cases.view_case")
    try:
        return cases_for(user).get(pk=case_id)
    except Case.DoesNotExist:
        raise NotFound("案件不存在或不在您的管辖范围内。") from None


def apply(actor, household_id: int, program: str, today: date, *, person_id=None):
    """A new application (申请), entered by staff for a household in their region."""
    require_permission(actor, "cases.add_case", "您的角色不能登记申请。")
    household = selectors.household_for(actor, household_id)
    return open_case(actor, household, program, today, person_id=person_id, channel="staff")


def open_case(actor, household, program: str, today: date, *, person_id, channel: str) -> Case:
    """The application itself, once the caller has checked who may apply for this household."""
    if program not in Program.values:
        raise ValidationFailed(f"未知的救助项目：{program}", field="program")
    person = None
    if program in PERSON_PROGRAMS or (program == Program.DIBAO and person_id):
        # 低保 with a person is a 单人户 application: only that person is assessed and covered
        person = household.members.filter(pk=person_id).first()
        if person is None:
            raise ValidationFailed("请选择申请人（该家庭的成员）。", field="person")
    same = Case.objects.filter(household=household, program=program, status__in=LIVE)
    if program != Program.DIBAO:  # one 低保 case per household: whole household or 单人户
        same = same.filter(person=person)
    open_case = same.first()
    if open_case:
        raise Conflict(f"该家庭已有同一项目的案件 {open_case.number}，不能重复申请。")
    county = codes.county_of(household.region_id)
    case = Case.objects.create(
        number=next_number("case", county, today.year, prefix="SA"),
        program=program,
        household=household,
        person=person,
        region_id=household.region_id,
        channel=channel,
        submitted_on=today,
        created_by=actor,
    )
    audit_step(
        actor,
        case,
        "case.submitted",
        None,
        Status.SUBMITTED,
        {"program": program, "channel": channel},
    )
    return case


LIVE = [s for s in Status.values if s not in (Status.REJECTED, Status.ENDED)]


def perform(actor, case_id: int, action: str, version: int, today: date, **data) -> Case:
    """Take one step on a case; `version` is the one the actor saw (stale → Conflict)."""
    the_step = step(action)
    case = case_for(actor, case_id)
    require_permission(actor, the_step.permission, f"您的角色不能执行“{the_step.label}”。")
    if case.status not in the_step.sources or (
        the_step.programs is not None and case.program not in the_step.programs
    ):
        raise Conflict(f"案件当前状态为“{case.get_status_display()}”，不能执行“{the_step.label}”。")
    changes = HANDLERS[action](actor, case, today, data)
    target = the_step.target or case.status
    won = Case.objects.filter(pk=case.pk, version=version, status=case.status).update(
        status=target, version=F("version") + 1, **changes
    )
    if not won:
        raise Conflict("案件已被他人处理，请刷新后重试。")
    after = {k: v for k, v in changes.items() if k != "snapshot"} | data.get("audit", {})
    audit_step(actor, case, f"case.{action}", case.status, target, after, data.get("reason", ""))
    done = Case.objects.get(pk=case.pk)
    if "notice_number" in changes:  # a decision: its notice is issued with it
        record_decision(actor, done)
    return done


def audit_case(actor, case, action: str, details: dict) -> None:
    """An event on the case (and so on its household's timeline) that does not move it."""
    audit_step(actor, case, action, None, case.status, details)


def audit_step(actor, case, action, before, after, details, reason=""):
    record(
        action,
        actor=actor,
        object_type="case",
        object_id=case.pk,
        region_code=case.region_id,
        before={"status": before} if before else None,
        after={"status": after, "number": case.number, **details},
        reason=reason,
    )


# ---- the steps --------------------------------------------------------------------------------


def _accept(actor, case, today, data):
    days = rules_of_case.integer("cases.decision_working_days", today, case)
    return {"accepted_on": today, "due_on": add_working_days(today, days)}


def _investigate(actor, case, today, data):
    _require_consents(case)
    visited_on = _required(data, "visited_on")
    Investigation.objects.create(
        case=case,
        visited_on=visited_on,
        visitors=_required(data, "visitors"),
        findings=_required(data, "findings"),
        recorded_by=actor,
    )
    return {"snapshot": rules_of_case.evaluate(actor, case, today)}


def _review(actor, case, today, data):
    return {"opinion": _required(data, "opinion")}


def _publicise(actor, case, today, data):
    days = rules_of_case.integer("cases.publicity_days", today, case)
    return {"publicity_ends_on": today + timedelta(days=days)}


def _object(actor, case, today, data):
    Objection.objects.create(case=case, raised_on=today, content=_required(data, "content"))
    return {}


def _resolve_objection(actor, case, today, data):
    resolution = _required(data, "resolution")
    done = Objection.objects.filter(
        case=case, pk=data.get("objection_id"), resolved_on__isnull=True
    ).update(resolution=resolution, resolved_on=today)
    if not done:
        raise ValidationFailed("没有这条待处理的异议。", field="objection_id")
    return {}


def _close_publicity(actor, case, today, data):
    if today < case.publicity_ends_on:
        raise ValidationFailed(f"公示期至 {case.publicity_ends_on} 止，期满后才能报县级审批。")
    if case.objections.filter(resolved_on__isnull=True).exists():
        raise ValidationFailed("公示期间的异议尚未处理完毕。")
    return {}


def _approve(actor, case, today, data):
    amount = data.get("amount_fen")
    if amount is None:
        amount = rules_of_case.amount(case)
    if amount is None or amount < 0:
        raise ValidationFailed("请填写核定的月救助金额。", field="amount_fen")
    start = rules_of_case.months_after(today, 1)  # 批准之日下月起
    return {
        "decided_on": today,
        "amount_fen": amount,
        "start_month": start,
        "notice_number": _notice(case, today),
        "next_review_on": rules_of_case.next_review(case, start, data.get("unstable", False)),
        **_support(case, data),
    }


def _support(case, data) -> dict:
    """特困: the support mode chosen (集中/分散) and the care level of the kept evaluation."""
    if case.program != Program.TEKUN:
        return {}
    mode = data.get("support_mode") or "dispersed"
    if mode not in ("dispersed", "centralised"):
        raise ValidationFailed("供养方式应为集中供养或分散供养。", field="support_mode")
    return {"support_mode": mode, "care_band": rules_of_case.criterion(case, "tekun_care_band")}


def _reject(actor, case, today, data):
    return {
        "decided_on": today,
        "decision_reason": _required(data, "reason"),
        "notice_number": _notice(case, today),
    }


def _extend(actor, case, today, data):
    if case.extended:
        raise ValidationFailed("办理时限已延长过一次。")
    _required(data, "reason")
    days = rules_of_case.integer("cases.extended_working_days", today, case)
    return {"extended": True, "due_on": add_working_days(case.accepted_on, days)}


def _grant_small(actor, case, today, data):
    amount = _required(data, "amount_fen")
    ceiling = rules_of_case.fen("temporary.small_ceiling", today, case)
    if amount > ceiling:
        raise ValidationFailed(f"超过小额临时救助上限 {fen_to_yuan(ceiling)} 元，应报县级审批。")
    return {"decided_on": today, "amount_fen": amount, "notice_number": _notice(case, today)}


def _grant_emergency(actor, case, today, data):
    amount = _required(data, "amount_fen")
    days = rules_of_case.integer("cases.emergency_paperwork_working_days", today, case)
    return {
        "emergency": True,
        "accepted_on": case.accepted_on or today,
        "decided_on": today,
        "amount_fen": amount,
        "paperwork_due_on": add_working_days(today, days),
        "notice_number": _notice(case, today),
    }


def _complete_paperwork(actor, case, today, data):
    if not case.emergency or case.paperwork_done_on:
        raise ValidationFailed("该案件没有待补办的手续。")
    _investigate(actor, case, today, data)
    return {"paperwork_done_on": today}


def _recheck(actor, case, today, data):
    outcome = _required(data, "outcome")
    if outcome not in Review.Outcome.values:
        raise ValidationFailed("复核结论无效。", field="outcome")
    amount = data.get("amount_fen")
    if outcome in (Review.Outcome.INCREASE, Review.Outcome.DECREASE) and amount is None:
        raise ValidationFailed("增发或减发须填写新的月救助金额。", field="amount_fen")
    if outcome == Review.Outcome.STOP:
        raise ValidationFailed("停发须由县级民政部门作出终止决定。", field="outcome")
    if outcome == Review.Outcome.TAPER and (case.program != Program.DIBAO or case.taper_until):
        raise ValidationFailed("渐退只适用于尚未进入渐退期的低保案件。", field="outcome")
    Review.objects.create(
        case=case,
        reviewed_on=today,
        outcome=outcome,
        amount_fen=amount,
        note=data.get("note", ""),
        recorded_by=actor,
    )
    changes = {
        "next_review_on": rules_of_case.next_review(case, today, data.get("unstable", False))
    }
    if amount is not None:
        changes["amount_fen"] = amount
    if outcome == Review.Outcome.TAPER:  # income above the line: paid on for the local months
        months = rules_of_case.integer("dibao.taper_months", today, case)
        changes["taper_until"] = changes["next_review_on"] = rules_of_case.months_after(
            today, months
        )
    return changes


def _with_reason(actor, case, today, data):
    _required(data, "reason")
    return {}


def _end(actor, case, today, data):
    return {"ended_on": today, "decision_reason": _required(data, "reason")}


HANDLERS = {
    "accept": _accept,
    "investigate": _investigate,
    "review": _review,
    "publicise": _publicise,
    "object": _object,
    "resolve_objection": _resolve_objection,
    "close_publicity": _close_publicity,
    "approve": _approve,
    "reject": _reject,
    "extend": _extend,
    "grant_small": _grant_small,
    "grant_emergency": _grant_emergency,
    "complete_paperwork": _complete_paperwork,
    "recheck": _recheck,
    "suspend": _with_reason,
    "resume": _with_reason,
    "end": _end,
}


def _notice(case, today) -> str:
    return next_number("notice", codes.county_of(case.region_id), today.year, prefix="民救")


def _required(data: dict, field: str):
    value = data.get(field)
    if value in (None, ""):
        raise ValidationFailed(f"请填写{FIELD_LABELS.get(field, field)}。", field=field)
    return value.strip() if isinstance(value, str) else value


FIELD_LABELS = {
    "visited_on": "调查日期",
    "visitors": "调查人员",
    "findings": "调查情况",
    "opinion": "审核意见",
    "content": "异议内容",
    "resolution": "处理结果",
    "reason": "理由",
    "amount_fen": "救助金额",
    "outcome": "复核结论",
}


def record_consent(
    actor, case_id: int, today: date, *, person_id=None, supporter_id=None, method="electronic"
) -> Consent:
    """The 核对 authorisation of one adult member or one legal supporter of the household."""
    case = case_for(actor, case_id)
    require_permission(actor, "cases.investigate_case", "您的角色不能登记授权。")
    if (person_id is None) == (supporter_id is None):
        raise ValidationFailed("请选择一名家庭成员或一名赡养（抚养、扶养）义务人。")
    if person_id is not None and not case.household.members.filter(pk=person_id).exists():
        raise ValidationFailed("该人员不是本户成员。", field="person")
    if supporter_id is not None and not case.household.supporters.filter(pk=supporter_id).exists():
        raise ValidationFailed("该义务人不属于本户。", field="supporter")
    consent, created = Consent.objects.get_or_create(
        case=case,
        person_id=person_id,
        supporter_id=supporter_id,
        defaults={"method": method, "given_on": today, "recorded_by": actor},
    )
    if created:
        audit_step(
            actor,
            case,
            "case.consent_recorded",
            None,
            case.status,
            {"person": person_id, "supporter": supporter_id, "method": method},
        )
    return consent


def consents_missing_from(case: Case) -> tuple[list, list]:
    """(adult members, legal supporters) who have not yet authorised the 核对: every member of
    18 or over on the day of the application, and every supporter."""
    adult_before = case.submitted_on.replace(year=case.submitted_on.year - 18)
    given = case.consents.values_list("person_id", "supporter_id")
    people = {p for p, _ in given if p}
    supporters = {s for _, s in given if s}
    members = case.household.members.filter(
        birth_date__lte=adult_before, died_on__isnull=True
    ).order_by("id")
    return (
        [p for p in members if p.pk not in people],
        [s for s in case.household.supporters.order_by("id") if s.pk not in supporters],
    )


def missing_consents(case: Case) -> list[str]:
    members, supporters = consents_missing_from(case)
    return [p.name for p in members] + [s.name for s in supporters]


def _require_consents(case: Case) -> None:
    missing = missing_consents(case)
    if missing:
        raise ValidationFailed(f"以下人员尚未签署核对授权：{'、'.join(missing)}。")
