"""Resolving findings, submitting (maker) and approving (checker, never the maker): the release
locks the payroll — in the services and in the database."""

import pytest
from django.db import DatabaseError, transaction

from minzheng.audit.models import AuditEvent
from minzheng.payments import generation, services
from minzheng.payments.errors import Error
from minzheng.payments.models import Flag, Line, Payroll, Recovery
from minzheng.regions.models import Region
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_household, make_user
from tests.payments.conftest import COUNTY, NOVEMBER, approved, generate, release, with_account
from tests.refusals import refused


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def _state(payroll) -> tuple:
    payroll = Payroll.objects.get(pk=payroll.pk)
    return payroll.status, payroll.version, payroll.submitted_by_id, payroll.approved_by_id


@pytest.fixture
def flagged(staff):
    """A November payroll with one finding: the payee has no bank account."""
    household = make_household(first_village(TOWNSHIP_A), members=2)
    approved(household, created_by=staff["clerk"])
    payroll = generate(staff)
    return payroll, Flag.objects.get(line__payroll=payroll)


def test_submit_with_open_findings_is_refused_and_changes_nothing(staff, flagged):
    payroll, _ = flagged
    before = _state(payroll)
    with refused(Error.PAYROLL_OPEN_FLAGS):
        services.submit(staff["maker"], payroll.pk, payroll.version)
    assert (_state(payroll), _events("payroll.submitted")) == (before, 0)
    assert Payroll.objects.get(pk=payroll.pk).open_flags == 1


@pytest.mark.parametrize(
    ("case", "resolution", "held", "open_flags"),
    [("pay in cash", "cash", False, 0), ("hold the payment", "hold", True, 0)],
)
def test_resolving_a_finding(staff, flagged, case, resolution, held, open_flags):
    payroll, flag = flagged
    services.resolve_flag(staff["clerk"], flag.pk, resolution, "已电话核实")
    flag = Flag.objects.get(pk=flag.pk)
    assert (flag.status, flag.resolution, flag.note, flag.resolved_by_id) == (
        "resolved",
        resolution,
        "已电话核实",
        staff["clerk"].pk,
    )
    payroll = Payroll.objects.get(pk=payroll.pk)
    assert Line.objects.get(pk=flag.line_id).held == held
    assert (payroll.open_flags, payroll.held_count, payroll.held_fen) == (
        open_flags,
        int(held),
        90000 if held else 0,
    )
    event = AuditEvent.objects.get(action="payroll.flag_resolved")
    assert (event.actor_id, event.after, event.reason) == (
        staff["clerk"].pk,
        {"line": flag.line_id, "check": "account", "resolution": resolution},
        "已电话核实",
    )


@pytest.mark.parametrize(
    ("case", "resolution", "note", "error"),
    [
        ("recover is not for a bank account", "recover", "核实", Error.FLAG_BAD_RESOLUTION),
        ("a note is required", "hold", "  ", Error.FLAG_NOTE_REQUIRED),
        ("no bank payment without an account", "pay", "核实", Error.FLAG_NO_BANK_ACCOUNT),
    ],
)
def test_refused_resolutions_change_nothing(staff, flagged, case, resolution, note, error):
    _, flag = flagged
    with refused(error):
        services.resolve_flag(staff["maker"], flag.pk, resolution, note)
    assert Flag.objects.get(pk=flag.pk).status == "open"
    assert (_events("payroll.flag_resolved"), Recovery.objects.count()) == (0, 0)


def test_a_township_resolves_only_its_own_lines(staff, flagged):
    _, flag = flagged
    other = make_user("township_clerk", TOWNSHIP_B)
    with refused(Error.FLAG_NOT_FOUND):
        services.resolve_flag(other, flag.pk, "pay", "核实")
    with refused(Error.FLAG_NOT_PERMITTED):
        services.resolve_flag(make_user("township_reviewer", TOWNSHIP_A), flag.pk, "pay", "核实")
    assert (Flag.objects.get(pk=flag.pk).status, _events("payroll.flag_resolved")) == ("open", 0)


def test_a_resolution_survives_a_regeneration_while_the_finding_is_the_same(staff, flagged):
    payroll, flag = flagged
    services.resolve_flag(staff["maker"], flag.pk, "hold", "待补录账户")
    generate(staff)
    flag = Flag.objects.get(pk=flag.pk)
    assert (flag.status, flag.resolution, Line.objects.get(pk=flag.line_id).held) == (
        "resolved",
        "hold",
        True,
    )


def test_a_changed_finding_opens_again(staff, flagged):
    payroll, flag = flagged
    services.resolve_flag(staff["maker"], flag.pk, "hold", "已核实")
    head = flag.line.beneficiary
    head.bank_name, head.bank_account = "农村信用社", "12345"  # now invalid instead of missing
    head.save(update_fields=["bank_name", "bank_account"])
    generate(staff)
    flag = Flag.objects.get(pk=flag.pk)
    assert (flag.status, flag.resolution, flag.detail) == ("open", "", {"reason": "invalid"})


def test_a_finding_no_longer_raised_disappears(staff, flagged):
    payroll, flag = flagged
    with_account(flag.line.beneficiary)
    payroll = generate(staff)
    assert (Flag.objects.filter(pk=flag.pk).exists(), payroll.open_flags) == (False, 0)


def test_maker_submits_and_another_approves_then_the_payroll_is_locked(staff, paid_household):
    payroll = generate(staff)
    submitted = services.submit(staff["maker"], payroll.pk, payroll.version)
    assert (submitted.status, submitted.submitted_by_id) == ("submitted", staff["maker"].pk)
    released = services.approve(staff["checker"], submitted.pk, submitted.version)
    assert (released.status, released.approved_by_id, released.version) == (
        "released",
        staff["checker"].pk,
        payroll.version + 2,
    )
    line = released.lines.get()
    assert (line.settled, line.status) == (True, "due")
    event = AuditEvent.objects.get(action="payroll.released")
    assert event.after == {
        "number": payroll.number,
        "status": "released",
        "lines": 1,
        "total_fen": 90000,
        "held": 0,
        "held_fen": 0,
    }
    with refused(Error.PAYROLL_NOT_REGENERABLE):
        generation.generate(staff["maker"], COUNTY, "dibao", NOVEMBER)
    assert Payroll.objects.get(pk=payroll.pk).generation == 1


def test_the_maker_may_not_approve_his_own_payroll(staff, paid_household):
    both = make_user("county_approver", COUNTY)
    both.groups.add(*staff["maker"].groups.all())
    payroll = generation.generate(both, COUNTY, "dibao", NOVEMBER)
    payroll = services.submit(both, payroll.pk, payroll.version)
    before = _state(payroll)
    with refused(Error.OWN_PAYROLL):
        services.approve(both, payroll.pk, payroll.version)
    assert (_state(payroll), _events("payroll.released")) == (before, 0)


def test_a_stale_version_is_a_conflict(staff, paid_household):
    payroll = generate(staff)
    with refused(Error.PAYROLL_TAKEN):
        services.submit(staff["maker"], payroll.pk, payroll.version - 1)
    assert _state(payroll)[0] == "draft"


def test_the_checker_sends_it_back_with_a_reason(staff, paid_household):
    payroll = generate(staff)
    payroll = services.submit(staff["maker"], payroll.pk, payroll.version)
    rejected = services.reject(staff["checker"], payroll.pk, payroll.version, "金额需复核")
    assert (rejected.status, rejected.submitted_by_id) == ("draft", None)
    assert AuditEvent.objects.get(action="payroll.rejected").reason == "金额需复核"


@pytest.mark.parametrize(
    ("case", "who", "error"),
    [
        ("township clerk", ("township_clerk", TOWNSHIP_A), Error.PAYROLL_NOT_PERMITTED),
        ("maker", ("county_admin", COUNTY), Error.PAYROLL_NOT_PERMITTED),
        (
            "approver of another county",
            ("county_approver", "330127000000"),
            Error.PAYROLL_NOT_FOUND,
        ),
        ("no role", ("", COUNTY), Error.PAYROLL_NOT_FOUND),
    ],
)
def test_who_may_approve(staff, paid_household, case, who, error):
    Region.objects.get_or_create(
        code="330127000000", defaults={"name": "淳安县", "level": 3, "parent_id": "330100000000"}
    )
    payroll = generate(staff)
    payroll = services.submit(staff["maker"], payroll.pk, payroll.version)
    before = _state(payroll)
    with refused(error):
        services.approve(make_user(*who), payroll.pk, payroll.version)
    assert (_state(payroll), _events("payroll.released")) == (before, 0)


def test_the_database_refuses_to_change_a_released_line(staff, paid_household):
    payroll = release(staff, generate(staff))
    line = payroll.lines.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        Line.objects.filter(pk=line.pk).update(amount_fen=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Payroll.objects.filter(pk=payroll.pk).update(status="draft")
    Line.objects.filter(pk=line.pk).update(status="sent")  # the bank status still moves
    assert Line.objects.get(pk=line.pk).amount_fen == 90000


def test_resolving_after_the_release_is_refused(staff, flagged):
    payroll, flag = flagged
    services.resolve_flag(staff["maker"], flag.pk, "hold", "待补录")
    release(staff, Payroll.objects.get(pk=payroll.pk))
    Flag.objects.filter(pk=flag.pk).update(status="open")  # even if reopened by hand
    with refused(Error.PAYROLL_LOCKED):
        services.resolve_flag(staff["maker"], flag.pk, "pay", "核实")
