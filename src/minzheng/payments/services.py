"""Payroll operations after generation: resolve a finding, submit (maker), reject or approve
(checker, never the maker) — approval releases and locks the payroll —, and record a payment
made outside the bank (cash against a receipt, another channel with its reference).

A payee without a usable bank account is never paid through the bank: that finding is resolved
to hold the line or to pay it by cash or another channel, never "verified: pay"; and submission
and approval refuse a payroll with a line for the bank without an account or bank name,
whatever its findings say (the bank batch leaves such lines out as well).

Every operation checks, in this order: the object in the actor's region (else NotFound), the
permission (Forbidden), the payroll's status (Conflict), then its own rules.
The payroll row is locked (select_for_update) and its version compared, so two approvers at
once release it once and the other gets a clear conflict. Each change is an audit event in
the caller's transaction.
"""

from datetime import date

from django.db.models import F
from django.utils import timezone

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit.errors import NotFound
from minzheng.payments import recoveries, selectors, storing
from minzheng.payments.errors import Error
from minzheng.payments.events import Event
from minzheng.payments.models import Flag, Line, OtherPayment, Payroll

# What each finding may be resolved to: "recover" only where money was paid beyond the end; a
# missing or invalid bank account is held or paid by cash or another channel, never by the bank.
RESOLUTIONS = {
    code: (Flag.Resolution.PAY, Flag.Resolution.HOLD, Flag.Resolution.RECOVER)
    if code in (Flag.Code.DEAD, Flag.Code.OVERPAID)
    else (Flag.Resolution.PAY, Flag.Resolution.HOLD)
    for code in Flag.Code.values
}
RESOLUTIONS[Flag.Code.ACCOUNT] = (
    Flag.Resolution.HOLD,
    Flag.Resolution.CASH,
    Flag.Resolution.OTHER,
)


def resolve_flag(actor, flag_id: int, resolution: str, note: str) -> Flag:
    """Resolve one finding of a draft payroll: pay after verification, hold the payment, or
    hold it and register the overpayment for recovery."""
    flag = selectors.flag_for(actor, flag_id)
    require_permission(actor, "payments.resolve_flag", Error.FLAG_NOT_PERMITTED)
    payroll = _locked(flag.line.payroll_id)
    if payroll.status != Payroll.Status.DRAFT:
        raise Error.PAYROLL_LOCKED.error()
    if flag.code == Flag.Code.ACCOUNT and resolution == Flag.Resolution.PAY:
        raise Error.FLAG_NO_BANK_ACCOUNT.error(field="resolution")
    if resolution not in RESOLUTIONS[flag.code]:
        raise Error.FLAG_BAD_RESOLUTION.error(field="resolution")
    if not note.strip():
        raise Error.FLAG_NOTE_REQUIRED.error(field="note")
    won = Flag.objects.filter(pk=flag.pk, status=Flag.OPEN).update(
        status=Flag.RESOLVED,
        resolution=resolution,
        note=note.strip(),
        resolved_by=actor,
        resolved_at=timezone.now(),
    )
    if not won:
        raise Error.FLAG_TAKEN.error()
    if resolution == Flag.Resolution.RECOVER:
        recoveries.from_flag(actor, flag)
    storing.refresh_held(payroll)
    storing.refresh_channel(payroll)
    storing.refresh_totals(payroll)
    record(
        Event.FLAG_RESOLVED,
        actor=actor,
        object_type="payroll",
        object_id=payroll.pk,
        region_code=flag.line.region_id,
        after={"line": flag.line_id, "check": flag.code, "resolution": resolution},
        reason=note.strip(),
    )
    return Flag.objects.get(pk=flag.pk)


def submit(actor, payroll_id: int, version: int) -> Payroll:
    payroll = _for_county_staff(actor, payroll_id, "payments.prepare_payroll", "提交")
    if payroll.status != Payroll.Status.DRAFT:
        raise Error.PAYROLL_WRONG_STATUS.error(status=payroll.get_status_display(), verb="提交")
    if payroll.open_flags:
        raise Error.PAYROLL_OPEN_FLAGS.error(count=payroll.open_flags)
    if not payroll.line_count:
        raise Error.PAYROLL_EMPTY.error()
    _refuse_unbankable(payroll)
    _move(
        payroll, version, Payroll.Status.SUBMITTED, submitted_by=actor, submitted_at=timezone.now()
    )
    _audit(actor, payroll, Event.PAYROLL_SUBMITTED, {"status": Payroll.Status.SUBMITTED})
    return Payroll.objects.get(pk=payroll.pk)


def reject(actor, payroll_id: int, version: int, reason: str) -> Payroll:
    """The checker sends the payroll back to its maker as a draft."""
    payroll = _for_county_staff(actor, payroll_id, "payments.approve_payroll", "退回")
    if payroll.status != Payroll.Status.SUBMITTED:
        raise Error.PAYROLL_WRONG_STATUS.error(status=payroll.get_status_display(), verb="退回")
    if not reason.strip():
        raise Error.PAYROLL_REJECT_REASON.error(field="reason")
    _move(payroll, version, Payroll.Status.DRAFT, submitted_by=None, submitted_at=None)
    _audit(actor, payroll, Event.PAYROLL_REJECTED, {"status": Payroll.Status.DRAFT}, reason.strip())
    return Payroll.objects.get(pk=payroll.pk)


def approve(actor, payroll_id: int, version: int) -> Payroll:
    """Approve and release: the held lines stay unpaid (and owed), the others are settled and
    wait for the bank file. From here the payroll is locked."""
    payroll = _for_county_staff(actor, payroll_id, "payments.approve_payroll", "审批")
    if payroll.status != Payroll.Status.SUBMITTED:
        raise Error.PAYROLL_WRONG_STATUS.error(status=payroll.get_status_display(), verb="审批")
    if actor.pk in (payroll.prepared_by_id, payroll.submitted_by_id):
        raise Error.OWN_PAYROLL.error()
    _refuse_unbankable(payroll)
    _move(payroll, version, Payroll.Status.RELEASED, approved_by=actor, approved_at=timezone.now())
    lines = Line.objects.filter(payroll=payroll)
    lines.filter(held=False).update(settled=True)
    lines.filter(held=True).update(status=Line.Status.HELD)
    _audit(
        actor,
        payroll,
        Event.PAYROLL_RELEASED,
        {
            "status": Payroll.Status.RELEASED,
            "lines": payroll.line_count,
            "total_fen": payroll.total_fen,
            "held": payroll.held_count,
            "held_fen": payroll.held_fen,
        },
    )
    return Payroll.objects.get(pk=payroll.pk)


def record_other_payment(
    actor, line_id: int, version: int, receipt: str, paid_on: date
) -> OtherPayment:
    """A released line resolved to be paid by cash or another channel is paid: the receipt
    (or the channel's reference) is recorded once, audited, and the line counts as paid."""
    line = selectors.line_for(actor, line_id)
    require_permission(actor, "payments.prepare_payroll", Error.OTHER_PAYMENT_NOT_PERMITTED)
    payroll = Payroll.objects.get(pk=line.payroll_id)
    if (
        payroll.status != Payroll.Status.RELEASED
        or line.channel == Line.Channel.BANK
        or line.status != Line.Status.DUE
        or line.held
        or line.amount_fen <= 0
    ):
        raise Error.OTHER_PAYMENT_NOT_DUE.error()
    receipt = receipt.strip()
    if not receipt:
        raise Error.OTHER_PAYMENT_RECEIPT.error(field="receipt")
    approved_on = timezone.localdate(payroll.approved_at) if payroll.approved_at else None
    if paid_on > timezone.localdate() or (approved_on and paid_on < approved_on):
        raise Error.OTHER_PAYMENT_DATE.error(field="paid_on")
    won = Line.objects.filter(
        pk=line.pk, version=version, status=Line.Status.DUE, channel=line.channel, held=False
    ).update(status=Line.Status.PAID_OTHER, version=F("version") + 1)
    if not won:
        raise Error.PAYMENT_TAKEN.error()
    payment = OtherPayment.objects.create(
        line=line,
        channel=line.channel,
        receipt=receipt,
        paid_on=paid_on,
        amount_fen=line.amount_fen,
        recorded_by=actor,
    )
    record(
        Event.OTHER_PAYMENT_RECORDED,
        actor=actor,
        object_type="payroll",
        object_id=payroll.pk,
        region_code=line.region_id,
        before={"status": line.status},
        after={
            "line": line.pk,
            "status": Line.Status.PAID_OTHER,
            "channel": line.channel,
            "receipt": receipt,
            "paid_on": paid_on.isoformat(),
            "amount_fen": line.amount_fen,
        },
    )
    return payment


def _refuse_unbankable(payroll: Payroll) -> None:
    """The second line of defence: no line for the bank without an account or bank name."""
    count = selectors.unbankable(selectors.for_the_bank(payroll)).count()
    if count:
        raise Error.PAYROLL_UNBANKABLE.error(count=count)


def _for_county_staff(actor, payroll_id: int, permission: str, verb: str) -> Payroll:
    """The payroll, locked, if the actor's region covers its county and he holds the right."""
    payroll = selectors.payroll_for(actor, payroll_id)
    require_permission(actor, permission, Error.PAYROLL_NOT_PERMITTED, verb=verb)
    if not selectors.covers_county(actor, payroll):
        raise NotFound()
    return _locked(payroll.pk)


def _locked(payroll_id: int) -> Payroll:
    return Payroll.objects.select_for_update().get(pk=payroll_id)


def _move(payroll: Payroll, version: int, status: str, **changes) -> None:
    won = Payroll.objects.filter(pk=payroll.pk, version=version, status=payroll.status).update(
        status=status, version=F("version") + 1, **changes
    )
    if not won:
        raise Error.PAYROLL_TAKEN.error()


def _audit(actor, payroll: Payroll, action: Event, after: dict, reason: str = "") -> None:
    record(
        action,
        actor=actor,
        object_type="payroll",
        object_id=payroll.pk,
        region_code=payroll.county_id,
        before={"status": payroll.status},
        after={"number": payroll.number, **after},
        reason=reason,
    )
