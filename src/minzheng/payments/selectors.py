"""Reads of the payment screens, each scoped to the user's region: a township sees the payrolls of
its county but only its own lines and findings; a county or city sees all of its counties'.
Findings' details are shown as label/value pairs, names masked, amounts in yuan."""

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Trim
from django.utils.translation import gettext_lazy as _

from minzheng.kit.money import fen_to_yuan
from minzheng.payments.errors import Error
from minzheng.payments.models import Flag, Line, Payroll, RelativeDeclaration, ReturnFile
from minzheng.policies import programs
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import scope_queryset, user_may_access_region, user_region_prefix


def payrolls_for(user) -> QuerySet[Payroll]:
    """Payrolls of the counties the user works in or under."""
    prefix = user_region_prefix(user)
    if prefix is None or not user.has_perm("payments.view_payroll"):
        return Payroll.objects.none()
    return Payroll.objects.filter(county__code__startswith=prefix[:6]).select_related(
        "county", "prepared_by", "submitted_by", "approved_by"
    )


def payroll_for(user, pk: int) -> Payroll:
    try:
        return payrolls_for(user).get(pk=pk)
    except Payroll.DoesNotExist:
        raise Error.PAYROLL_NOT_FOUND.error() from None


def covers_county(user, payroll: Payroll) -> bool:
    """Whether the user works at the payroll's county or above (payroll-wide operations)."""
    return user_may_access_region(user, payroll.county_id)


def lines_for(user, payroll: Payroll) -> QuerySet[Line]:
    lines = Line.objects.filter(payroll=payroll).select_related("beneficiary", "region", "case")
    return scope_queryset(lines, user)


def for_the_bank(payroll: Payroll) -> QuerySet[Line]:
    """The lines of a payroll that the bank is to pay: not held, not paid by another channel,
    something to pay, not sent yet."""
    return Line.objects.filter(
        payroll=payroll,
        status=Line.Status.DUE,
        held=False,
        channel=Line.Channel.BANK,
        amount_fen__gt=0,
    )


def unbankable(lines: QuerySet[Line]) -> QuerySet[Line]:
    """Those of `lines` whose payee has no account or no bank name on the line: whatever their
    findings say, they never go into a bank file (the account is encrypted, but an empty one
    is stored empty)."""
    return lines.annotate(bank=Trim("bank_name")).filter(Q(bank_account="") | Q(bank=""))


def line_for(user, pk: int) -> Line:
    lines = Line.objects.filter(payroll__in=payrolls_for(user)).select_related(
        "payroll", "beneficiary", "region", "case", "household"
    )
    try:
        return scope_queryset(lines, user).get(pk=pk)
    except Line.DoesNotExist:
        raise Error.LINE_NOT_FOUND.error() from None


def flag_for(user, pk: int) -> Flag:
    flags = Flag.objects.filter(line__payroll__in=payrolls_for(user)).select_related(
        "line", "line__payroll"
    )
    try:
        return scope_queryset(flags, user, region_field="line__region").get(pk=pk)
    except Flag.DoesNotExist:
        raise Error.FLAG_NOT_FOUND.error() from None


def flags_for(user, payroll: Payroll, *, open_only: bool = False) -> QuerySet[Flag]:
    flags = Flag.objects.filter(line__payroll=payroll).select_related(
        "line", "line__beneficiary", "line__region", "line__case", "resolved_by"
    )
    if open_only:
        flags = flags.filter(status=Flag.OPEN)
    return scope_queryset(flags, user, region_field="line__region").order_by("code", "line_id")


def flag_counts(user, payroll: Payroll) -> list[dict]:
    """Per check: its label, findings and how many are still open (the check report)."""
    counts = (
        flags_for(user, payroll)
        .order_by()
        .values("code")
        .annotate(total=Count("id"), open=Count("id", filter=Q(status=Flag.OPEN)))
    )
    by_code = {row["code"]: row for row in counts}
    return [
        {
            "code": code,
            "label": label,
            "total": by_code.get(code, {}).get("total", 0),
            "open": by_code.get(code, {}).get("open", 0),
        }
        for code, label in Flag.Code.choices
    ]


def counties_for(user) -> list[tuple[str, str]]:
    """The counties whose payrolls the user may prepare: his own, or those of his city."""
    prefix = user_region_prefix(user)
    if prefix is None or len(prefix) > codes.PREFIX_LENGTH[codes.COUNTY]:
        return []
    counties = Region.objects.filter(code__startswith=prefix, level=codes.COUNTY).order_by("code")
    return [(r.code, r.name) for r in counties]


def return_file_for(user, pk: int) -> ReturnFile:
    files = ReturnFile.objects.filter(payroll__in=payrolls_for(user)).select_related("payroll")
    found = files.filter(pk=pk).first()
    if found is None or not covers_county(user, found.payroll):
        raise Error.RETURN_FILE_NOT_FOUND.error()
    return found


def program_label(code: str) -> str:
    return programs.label_of(code)


REASONS = {
    "moved_away": _("The payee now lives in another household"),
    "counted_twice": _("Moved into another household paid by the same program"),
    "lives_elsewhere": _("Lives in another county"),
    "hukou_moved_out": _("Hukou moved out (public security)"),
    "no_account": _("No bank account"),
    "no_bank": _("No bank name"),
    "invalid": _("Invalid account number"),
    "registry": _("Registry"),
}
DETAIL_LABELS = {
    "died_on": _("Died on"),
    "death_source": _("Source"),
    "overpaid_fen": _("Paid beyond entitlement (yuan)"),
    "previous_fen": _("Last month (yuan)"),
    "amount_fen": _("This payroll (yuan)"),
    "monthly_fen": _("Monthly amount (yuan)"),
    "cap_fen": _("Cap per person (yuan)"),
    "persons": _("Persons covered"),
    "reason": _("Reason"),
}


def detail_rows(flag: Flag) -> list[tuple[str, str]]:
    """A finding's detail as (label, value) pairs for the screen."""
    rows = []
    for key, value in flag.detail.items():
        if key == "found":
            rows += [(_describe_label(flag.code), _describe(item)) for item in value]
        else:
            rows.append((str(DETAIL_LABELS.get(key, key)), _value(key, value)))
    return rows


def _describe_label(code: str) -> str:
    return str(dict(Flag.Code.choices)[code])


def _describe(item: dict) -> str:
    parts = []
    for key, value in item.items():
        if value in (None, ""):
            continue
        if key == "program":
            value = program_label(value)
        elif key == "relation":
            value = str(dict(RelativeDeclaration.Relation.choices).get(value, value))
        elif key in REASONS:
            value = str(REASONS[key])
        parts.append(str(REASONS.get(value, value)))
    return "，".join(parts)


def _value(key: str, value) -> str:
    if key.endswith("_fen") and isinstance(value, int):
        return str(fen_to_yuan(value))
    return str(REASONS.get(value, value)) if isinstance(value, str) else str(value)
