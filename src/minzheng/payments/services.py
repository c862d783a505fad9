"""Payroll operations after generation: resolve a finding, submit (maker), reject or approve
(checker, never the maker) — approval releases and locks the payroll.

Every operation checks, in this order: the object in the actor's region (else NotFound), the
permission (Forbidden), the payroll's status (PayrollLocked / Conflict), then its own rules.
The payroll row is locked (select_for_update) and its version compared, so two approvers at
once release it once and the other gets a clear conflict. Each change is an audit event in
the caller's transaction.
"""

from django.db.models import F
from django.utils import timezone

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit.errors import Conflict, NotFound, ValidationFailed
from minzheng.payments import recoveries, selectors, storing
from minzheng.payments.errors import OpenFlags, OwnPayroll, PayrollLocked
from minzheng.payments.models import Flag, Line, Payroll

# What each finding may be resolved to: "recover" only where money was paid beyond the end.
RESOLUTIONS = {
    code: (Flag.Resolution.PAY, Flag.Resolution.HOLD, Flag.Resolution.RECOVER)
    if code in (Flag.Code.DEAD, Flag.Code.OVERPAID)
    else (Flag.Resolution.PAY, Flag.Resolution.HOLD)
    for code in Flag.Code.values
}


def resolve_flag(actor, flag_id: int, resolution: str, note: str) -> Flag:
    """Resolve one finding of a draft payroll: pay after verification, hold the payment, or
    hold it and register the overpayment for recovery."""
    flag = selectors.flag_for(actor, flag_id)
    require_permission(actor, "payments.resolve_flag", "您的角色不能处理发放前核查疑点。")
    payroll = _locked(flag.line.payroll_id)
    if payroll.status != Payroll.Status.DRAFT:
        raise PayrollLocked()
    if resolution not in RESOLUTIONS[flag.code]:
        raise ValidationFailed("该疑点不能这样处理。", field="resolution")
    if not note.strip():
        raise ValidationFailed("请填写核实情况。", field="note")
    won = Flag.objects.filter(pk=flag.pk, status=Flag.OPEN).update(
        status=Flag.RESOLVED,
        resolution=resolution,
        note=note.strip(),
        resolved_by=actor,
        resolved_at=timezone.now(),
    )
    if not won:
        raise Conflict("该疑点已被他人处理，请刷新后重试。")
    if resolution == Flag.Resolution.RECOVER:
        recoveries.from_flag(actor, flag)
    storing.refresh_held(payroll)
    storing.refresh_totals(payroll)
    record(
        "payroll.flag_resolved",
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
        raise PayrollLocked(f"发放名册当前为“{payroll.get_status_display()}”，不能提交。")
    if payroll.open_flags:
        raise OpenFlags(f"还有 {payroll.open_flags} 条发放前核查疑点未处理。")
    if not payroll.line_count:
        raise ValidationFailed("发放名册没有发放对象。")
    _move(
        payroll, version, Payroll.Status.SUBMITTED, submitted_by=actor, submitted_at=timezone.now()
    )
    _audit(actor, payroll, "payroll.submitted", {"status": Payroll.Status.SUBMITTED})
    return Payroll.objects.get(pk=payroll.pk)


def reject(actor, payroll_id: int, version: int, reason: str) -> Payroll:
    """The checker sends the payroll back to its maker as a draft."""
    payroll = _for_county_staff(actor, payroll_id, "payments.approve_payroll", "退回")
    if payroll.status != Payroll.Status.SUBMITTED:
        raise Conflict(f"发放名册当前为“{payroll.get_status_display()}”，不能退回。")
    if not reason.strip():
        raise ValidationFailed("请填写退回理由。", field="reason")
    _move(payroll, version, Payroll.Status.DRAFT, submitted_by=None, submitted_at=None)
    _audit(actor, payroll, "payroll.rejected", {"status": Payroll.Status.DRAFT}, reason.strip())
    return Payroll.objects.get(pk=payroll.pk)


def approve(actor, payroll_id: int, version: int) -> Payroll:
    """Approve and release: the held lines stay unpaid (and owed), the others are settled and
    wait for the bank file. From here the payroll is locked."""
    payroll = _for_county_staff(actor, payroll_id, "payments.approve_payroll", "审批")
    if payroll.status != Payroll.Status.SUBMITTED:
        raise Conflict(f"发放名册当前为“{payroll.get_status_display()}”，不能审批。")
    if actor.pk in (payroll.prepared_by_id, payroll.submitted_by_id):
        raise OwnPayroll()
    _move(payroll, version, Payroll.Status.RELEASED, approved_by=actor, approved_at=timezone.now())
    lines = Line.objects.filter(payroll=payroll)
    lines.filter(held=False).update(settled=True)
    lines.filter(held=True).update(status=Line.Status.HELD)
    _audit(
        actor,
        payroll,
        "payroll.released",
        {
            "status": Payroll.Status.RELEASED,
            "lines": payroll.line_count,
            "total_fen": payroll.total_fen,
            "held": payroll.held_count,
            "held_fen": payroll.held_fen,
        },
    )
    return Payroll.objects.get(pk=payroll.pk)


def _for_county_staff(actor, payroll_id: int, permission: str, verb: str) -> Payroll:
    """The payroll, locked, if the actor's region covers its county and he holds the right."""
    payroll = selectors.payroll_for(actor, payroll_id)
    require_permission(actor, permission, f"您的角色不能{verb}发放名册。")
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
        raise Conflict("发放名册已被他人处理，请刷新后重试。")


def _audit(actor, payroll: Payroll, action: str, after: dict, reason: str = "") -> None:
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
