"""What each statutory step of a case checks and writes (the `handler` of its row in
cases/workflow.py). A handler validates the input (ValidationFailed), may add the step's own
records (an investigation, an objection, a review), and returns the case's changed columns;
the procedure layer does the rest: the version check, the periods, the audit event and the
decision notice. Details an audit event should carry beyond the columns go in data["audit"].
"""

from minzheng.cases import rules_of_case
from minzheng.cases.consents import require_consents
from minzheng.cases.errors import Error
from minzheng.cases.models import (
    GradualExit,
    Investigation,
    Objection,
    Program,
    Review,
    TekunSupport,
)
from minzheng.kit.money import fen_to_yuan, format_fen
from minzheng.procedures.numbering import next_number
from minzheng.regions import codes


def accept(actor, case, today, data):
    return {"accepted_on": today}


def investigate(actor, case, today, data):
    require_consents(case)
    Investigation.objects.create(
        case=case,
        visited_on=required(data, "visited_on"),
        visitors=required(data, "visitors"),
        findings=required(data, "findings"),
        recorded_by=actor,
    )
    return {"snapshot": rules_of_case.evaluate(actor, case, today)}


AGREE, DISAGREE = "同意", "不同意"
OPINIONS = (AGREE, DISAGREE)


def review(actor, case, today, data):
    """The township's 审核意见: 同意 or 不同意, with reasons for 不同意, and for 同意 too when the
    kept evaluation found the household ineligible. Either way the case goes on to 公示 and the
    county's decision (民发〔2021〕57号: the township proposes, the county decides; 不予批准 is
    the county's step). The column keeps the opinion as it reads; the event keeps both parts."""
    opinion = (data.get("opinion") or "").strip()
    if opinion not in OPINIONS:
        raise Error.REVIEW_OPINION_REQUIRED.error(field="opinion")
    reasons = (data.get("reasons") or "").strip()
    ineligible = rules_of_case.ineligible(case)
    if not reasons and opinion == DISAGREE:
        raise Error.REVIEW_REASONS_REQUIRED.error(field="reasons")
    if not reasons and ineligible:
        raise Error.INELIGIBLE_AGREE_REASONS.error(field="reasons")
    data.setdefault("audit", {}).update(opinion=opinion, reasons=reasons, ineligible=ineligible)
    if reasons:
        data["reason"] = reasons  # the event's reason too (the audit screen's column)
    return {"opinion": f"{opinion}。{reasons}" if reasons else opinion}


def publicise(actor, case, today, data):
    """The 公示 lists the proposed amount: a case whose evaluation gives none (ineligible, or
    never evaluated) is not publicised."""
    if rules_of_case.amount(case) is None:
        raise Error.NO_AMOUNT_TO_PUBLICISE.error()
    return {}


def raise_objection(actor, case, today, data):
    Objection.objects.create(case=case, raised_on=today, content=required(data, "content"))
    return {}


def resolve_objection(actor, case, today, data):
    resolution = required(data, "resolution")
    done = Objection.objects.filter(
        case=case, pk=data.get("objection_id"), resolved_on__isnull=True
    ).update(resolution=resolution, resolved_on=today)
    if not done:
        raise Error.NO_PENDING_OBJECTION.error(field="objection_id")
    return {}


def close_publicity(actor, case, today, data):
    if today < case.publicity_ends_on:
        raise Error.PUBLICITY_NOT_OVER.error(ends_on=case.publicity_ends_on)
    if case.objections.filter(resolved_on__isnull=True).exists():
        raise Error.OBJECTIONS_UNRESOLVED.error()
    return {}


def approve(actor, case, today, data):
    evaluated = rules_of_case.amount(case)
    amount = data.get("amount_fen")
    if amount is None:
        amount = evaluated
    if amount is None or amount < 0:
        raise Error.AMOUNT_REQUIRED.error(field="amount_fen")
    reason = _amount_reason(case, evaluated, amount, data)
    start = rules_of_case.months_after(today, 1)  # 批准之日下月起
    if case.program == Program.TEKUN:
        _keep_support(case, data)
    data.setdefault("audit", {}).update(evaluated_fen=evaluated, approved_fen=amount, reason=reason)
    if reason:
        data["reason"] = reason  # the event's reason too (the audit screen's column)
    return {
        "decided_on": today,
        "amount_fen": amount,
        "start_month": start,
        "notice_number": notice(case, today),
        "next_review_on": rules_of_case.next_review(case, start, data.get("unstable", False)),
        # the reason a different amount was approved prints on the notice (cases/notices.py)
        "decision_reason": reason,
    }


def _amount_reason(case, evaluated: int | None, amount: int, data) -> str:
    """An amount other than the kept evaluation's (or any amount where it found the household
    ineligible) is approved only with a reason; "" when equal, or with no evaluation kept."""
    if case.snapshot_id is None or amount == evaluated:
        return ""
    reason = (data.get("amount_reason") or "").strip()
    if not reason:
        raise Error.AMOUNT_REASON_REQUIRED.error(
            evaluated="无金额" if evaluated is None else f"{format_fen(evaluated)} 元",
            approved=f"{format_fen(amount)} 元",
            field="amount_reason",
        )
    return reason


def _keep_support(case, data) -> None:
    """特困: the support mode chosen (集中/分散) and the care level of the kept evaluation."""
    mode = data.get("support_mode") or "dispersed"
    if mode not in ("dispersed", "centralised"):
        raise Error.BAD_SUPPORT_MODE.error(field="support_mode")
    band = rules_of_case.criterion(case, "tekun_care_band")
    TekunSupport.objects.update_or_create(case=case, defaults={"mode": mode, "care_band": band})
    data.setdefault("audit", {}).update(support_mode=mode, care_band=band)


def reject(actor, case, today, data):
    return {
        "decided_on": today,
        "decision_reason": required(data, "reason"),
        "notice_number": notice(case, today),
    }


def with_reason(actor, case, today, data):
    required(data, "reason")
    return {}


def grant_small(actor, case, today, data):
    amount = required(data, "amount_fen")
    ceiling = rules_of_case.fen("temporary.small_ceiling", today, case)
    if amount > ceiling:
        raise Error.ABOVE_SMALL_CEILING.error(ceiling=fen_to_yuan(ceiling))
    return {"decided_on": today, "amount_fen": amount, "notice_number": notice(case, today)}


def grant_emergency(actor, case, today, data):
    return {
        "accepted_on": case.accepted_on or today,
        "decided_on": today,
        "amount_fen": required(data, "amount_fen"),
        "notice_number": notice(case, today),
    }


def grant_automatic(actor, case, today, data):
    """免申即享: the county confirms what the monthly screening found; today's evaluation is
    kept with the case and decides the amount, paid from the next month."""
    case.snapshot = rules_of_case.evaluate(actor, case, today)
    amount = rules_of_case.amount(case)
    if amount is None:
        raise Error.NO_LONGER_ELIGIBLE.error()
    return {
        "accepted_on": today,
        "decided_on": today,
        "snapshot": case.snapshot,
        "amount_fen": amount,
        "start_month": rules_of_case.months_after(today, 1),
        "notice_number": notice(case, today),
    }


def complete_paperwork(actor, case, today, data):
    period = case.periods.get("paperwork")
    if period is None or not period.running:
        raise Error.NO_PAPERWORK_DUE.error()
    investigate(actor, case, today, data)
    return {}


def recheck(actor, case, today, data):
    outcome = required(data, "outcome")
    if outcome not in Review.Outcome.values:
        raise Error.BAD_RECHECK_OUTCOME.error(field="outcome")
    amount = data.get("amount_fen")
    if outcome in (Review.Outcome.INCREASE, Review.Outcome.DECREASE) and amount is None:
        raise Error.NEW_AMOUNT_REQUIRED.error(field="amount_fen")
    if outcome == Review.Outcome.STOP:
        raise Error.STOP_BY_COUNTY.error(field="outcome")
    if outcome == Review.Outcome.TAPER and (case.program != Program.DIBAO or case.taper_until):
        raise Error.TAPER_NOT_APPLICABLE.error(field="outcome")
    Review.objects.create(
        case=case,
        reviewed_on=today,
        outcome=outcome,
        amount_fen=amount,
        note=data.get("note", ""),
        recorded_by=actor,
    )
    unstable = data.get("unstable", False)
    changes = {"next_review_on": rules_of_case.next_review(case, today, unstable)}
    if amount is not None:
        changes["amount_fen"] = amount
    if outcome == Review.Outcome.TAPER:  # income above the line: paid on for the local months
        months = rules_of_case.integer("dibao.taper_months", today, case)
        until = rules_of_case.months_after(today, months)
        GradualExit.objects.create(case=case, since=today, until=until)
        changes["next_review_on"] = until
        data.setdefault("audit", {})["taper_until"] = until.isoformat()
    return changes


def recheck_due(actor, case, today, data):
    return {"next_review_on": today}


def end(actor, case, today, data):
    return {"ended_on": today, "decision_reason": required(data, "reason")}


def notice(case, today) -> str:
    """The decision notice's number (民救, gap-free per county and year)."""
    return next_number("notice", codes.county_of(case.region_id), today.year, prefix="民救")


def required(data: dict, field: str):
    value = data.get(field)
    if value in (None, ""):
        raise Error.FIELD_REQUIRED.error(label=FIELD_LABELS.get(field, field), field=field)
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
