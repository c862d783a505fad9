"""追回: recoveries of money paid after death, beyond the end of entitlement, or obtained by fraud
(社会救助暂行办法 第六十八条), tracked per person with every repayment until recovered or
written off. A recovery registered for a case counts against its overpayment, so the payroll
stops raising the same finding."""

from datetime import date

from django.db.models import F

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit.money import fen_to_yuan
from minzheng.payments.errors import Error
from minzheng.payments.events import Event
from minzheng.payments.models import Flag, Recovery, Repayment
from minzheng.regions.scoping import scope_queryset
from minzheng.registry import selectors as registry


def recoveries_for(user):
    if not user.has_perm("payments.view_recovery"):
        return Recovery.objects.none()
    return scope_queryset(Recovery.objects.select_related("person", "case"), user)


def recovery_for(user, pk: int) -> Recovery:
    try:
        return recoveries_for(user).get(pk=pk)
    except Recovery.DoesNotExist:
        raise Error.RECOVERY_NOT_FOUND.error() from None


def register(actor, person_id: int, kind: str, amount_fen: int, reason: str, *, case_id=None):
    """A recovery entered by hand (e.g. fraud found by an inspection)."""
    require_permission(
        actor, "payments.manage_recovery", Error.RECOVERY_NOT_PERMITTED, action="登记追回"
    )
    person = registry.person_for(actor, person_id)
    if kind not in Recovery.Kind.values:
        raise Error.RECOVERY_BAD_KIND.error(field="kind")
    case = None
    if case_id is not None:
        case = (
            person.cases.filter(pk=case_id).first()
            or person.household.cases.filter(pk=case_id).first()
        )
        if case is None:
            raise Error.RECOVERY_CASE_ELSEWHERE.error(field="case")
    program = case.program if case else ""
    return _create(actor, person, kind, amount_fen, reason, case=case, program=program)


def from_flag(actor, flag: Flag) -> Recovery | None:
    """The overpayment a resolved finding names (death, paid beyond the end), if any."""
    amount = int(flag.detail.get("overpaid_fen") or 0)
    if amount <= 0:
        return None
    line = flag.line
    kind = Recovery.Kind.DEATH if flag.code == Flag.Code.DEAD else Recovery.Kind.OVERPAYMENT
    reason = f"{line.payroll.number} 发放前核查：{flag.get_code_display()}"
    return _create(
        actor,
        line.beneficiary,
        kind,
        amount,
        reason,
        case=line.case,
        line=line,
        program=line.program,
    )


def _create(
    actor, person, kind, amount_fen, reason, *, case=None, line=None, program=""
) -> Recovery:
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        raise Error.RECOVERY_BAD_AMOUNT.error(field="amount")
    if not reason.strip():
        raise Error.RECOVERY_REASON.error(field="reason")
    recovery = Recovery.objects.create(
        person=person,
        case=case,
        line=line,
        program=program or (case.program if case else ""),
        region_id=person.region_id,
        kind=kind,
        amount_fen=amount_fen,
        reason=reason.strip(),
        created_by=actor,
    )
    _audit(actor, recovery, Event.RECOVERY_REGISTERED, {"kind": kind, "amount_fen": amount_fen})
    return recovery


def repay(actor, recovery_id: int, version: int, amount_fen: int, method: str, received_on: date):
    """Record money received back; the recovery is closed when it is all back."""
    recovery = recovery_for(actor, recovery_id)
    require_permission(
        actor, "payments.manage_recovery", Error.RECOVERY_NOT_PERMITTED, action="登记追回款"
    )
    if recovery.status != Recovery.Status.OPEN:
        raise Error.RECOVERY_CLOSED.error()
    if method not in Repayment.Method.values:
        raise Error.REPAYMENT_BAD_METHOD.error(field="method")
    if not isinstance(amount_fen, int) or not 0 < amount_fen <= recovery.outstanding_fen:
        raise Error.REPAYMENT_BAD_AMOUNT.error(
            outstanding=fen_to_yuan(recovery.outstanding_fen), field="amount"
        )
    done = recovery.recovered_fen + amount_fen == recovery.amount_fen
    won = Recovery.objects.filter(
        pk=recovery.pk, version=version, status=Recovery.Status.OPEN
    ).update(
        recovered_fen=F("recovered_fen") + amount_fen,
        status=Recovery.Status.RECOVERED if done else Recovery.Status.OPEN,
        version=F("version") + 1,
    )
    if not won:
        raise Error.RECOVERY_TAKEN.error()
    Repayment.objects.create(
        recovery=recovery,
        amount_fen=amount_fen,
        method=method,
        received_on=received_on,
        recorded_by=actor,
    )
    _audit(actor, recovery, Event.RECOVERY_REPAID, {"amount_fen": amount_fen, "method": method})
    return Recovery.objects.get(pk=recovery.pk)


def waive(actor, recovery_id: int, version: int, reason: str) -> Recovery:
    """核销: the rest cannot be recovered (the checker decides)."""
    recovery = recovery_for(actor, recovery_id)
    require_permission(
        actor, "payments.approve_payroll", Error.RECOVERY_NOT_PERMITTED, action="核销追回款"
    )
    if not reason.strip():
        raise Error.WAIVER_REASON.error(field="reason")
    won = Recovery.objects.filter(
        pk=recovery.pk, version=version, status=Recovery.Status.OPEN
    ).update(status=Recovery.Status.WAIVED, version=F("version") + 1)
    if not won:
        raise Error.WAIVER_TAKEN.error()
    _audit(
        actor,
        recovery,
        Event.RECOVERY_WAIVED,
        {"outstanding_fen": recovery.outstanding_fen},
        reason,
    )
    return Recovery.objects.get(pk=recovery.pk)


def _audit(actor, recovery: Recovery, action: Event, after: dict, reason: str = "") -> None:
    record(
        action,
        actor=actor,
        object_type="recovery",
        object_id=recovery.pk,
        region_code=recovery.region_id,
        after={"person": recovery.person_id, **after},
        reason=reason.strip(),
    )
