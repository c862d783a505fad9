"""Reads of the monitoring screens, each scoped to the user's region: the warning inbox with its
filters and figures, the outreach tasks, the department files with their problem rows, the
核对 reports, and what raised a warning shown as label/value pairs."""

import statistics
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minzheng.kit.masking import mask_text
from minzheng.kit.money import format_fen
from minzheng.monitoring import feeds
from minzheng.monitoring.indicators import BY_CODE
from minzheng.monitoring.models import CheckReport, FeedFile, FeedProblem, OutreachTask, Warning
from minzheng.policies import programs
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import get_scoped, scope_queryset, user_may_access_region

PENDING = "pending"  # a pseudo-status of the inbox: every warning not yet closed
PROBLEMS_PER_PAGE = 50

# Keys of a warning's detail that are not a feed's column (registry dates, computed sums).
DETAIL_LABELS = {
    "source": _("Department file, row"),
    "income_fen": _("Monthly income (yuan)"),
    "household_income_fen": _("Household monthly income in department data (yuan)"),
    "line_fen": _("Household 低保 line (yuan)"),
    "age": _("Age reached"),
    "birth_date": _("Date of birth"),
    "case_number": _("case number"),
    "program": _("program"),
    "taper_until": _("gradual exit until"),
    "next_review_on": _("next review on"),
}


# ---- warnings ---------------------------------------------------------------------------------


def _warnings(user) -> QuerySet[Warning]:
    queryset = Warning.objects.select_related("person", "household", "region", "assigned_to")
    return scope_queryset(queryset, user)


def warnings_for(
    user,
    status: str | None = None,
    severity: str | None = None,
    indicator: str | None = None,
    overdue: bool = False,
    today: date | None = None,
    period: str | None = None,
) -> QuerySet[Warning]:
    """The warnings of the user's region; `status` "pending" means every one not closed."""
    queryset = _warnings(user)
    if status == PENDING:
        queryset = queryset.exclude(status=Warning.CLOSED)
    elif status:
        queryset = queryset.filter(status=status)
    if severity:
        queryset = queryset.filter(severity=severity)
    if indicator:
        queryset = queryset.filter(indicator=indicator)
    if period:
        queryset = queryset.filter(period=period)
    if overdue:
        queryset = queryset.filter(_overdue(today or timezone.localdate()))
    return queryset.order_by("due_on", "id")


def _overdue(today: date) -> Q:
    return Q(due_on__lt=today) & ~Q(status=Warning.CLOSED)


def overdue(user, today: date) -> QuerySet[Warning]:
    """Warnings not closed by their due date."""
    return _warnings(user).filter(_overdue(today)).order_by("due_on", "id")


def kpis(user, period: str | None = None, today: date | None = None) -> dict:
    """Total, closed, handling rate (% closed, one decimal), median handling days (closed_at −
    created_at, one decimal) and overdue count of the user's warnings, of one period if given."""
    queryset = _warnings(user)
    if period:
        queryset = queryset.filter(period=period)
    total = queryset.count()
    spans = queryset.filter(status=Warning.CLOSED, closed_at__isnull=False).values_list(
        "created_at", "closed_at"
    )
    days = [(closed - created).total_seconds() / 86400 for created, closed in spans]
    closed = queryset.filter(status=Warning.CLOSED).count()
    return {
        "total": total,
        "closed": closed,
        "rate": _one_decimal(Decimal(closed * 100) / total) if total else None,
        "median_days": _one_decimal(Decimal(str(statistics.median(days)))) if days else None,
        "overdue": queryset.filter(_overdue(today or timezone.localdate())).count(),
    }


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def assign_choices(warning: Warning) -> list[tuple[str, str]]:
    """The household's township and its villages: where a warning may be sent."""
    township = warning.region_id[: codes.PREFIX_LENGTH[codes.TOWNSHIP]]
    regions = Region.objects.filter(
        code__startswith=township, level__in=[codes.TOWNSHIP, codes.VILLAGE]
    ).order_by("code")
    return [(r.code, r.name if r.level == codes.TOWNSHIP else f"　{r.name}") for r in regions]


def detail_rows(warning: Warning, user) -> list[dict]:
    """What raised the warning as label/value pairs: a feed column under its catalogue label,
    money in yuan, a choice under its Chinese label. ID-shaped text is masked."""
    indicator = BY_CODE.get(warning.indicator)
    feed = feeds.catalogue().get(indicator.source) if indicator else None
    columns = {c.code: c for c in feed.value_columns} if feed else {}
    rows = []
    for key, value in (warning.detail or {}).items():
        if key in ("id_number", "person_id", "name") or value is None:
            continue
        if key == "source":
            rows.append(_source_row(value, user))
            continue
        column = columns.get(key)
        label = column.label if column else DETAIL_LABELS.get(key, key)
        rows.append({"key": key, "label": label, "value": _shown(column, key, value)})
    return rows


def _shown(column, key: str, value) -> str:
    if (column and column.type == "money") or key.endswith("_fen"):
        try:
            return format_fen(int(value))
        except (TypeError, ValueError):
            return mask_text(str(value))
    if key == "program":
        return program_label(value)
    if column and column.type == "choice":
        return {code: label for label, code in column.choices.items()}.get(value, str(value))
    return mask_text(str(value))


def _source_row(value, user) -> dict:
    """ "file_id:row" → the file's name and the row; its id for a link when the user may open
    the file's report (files belong to the region that received them)."""
    file_id, _sep, row = str(value).partition(":")
    file = FeedFile.objects.filter(pk=int(file_id)).first() if file_id.isdigit() else None
    linked = (
        file is not None
        and user.has_perm("monitoring.view_feedfile")
        and user_may_access_region(user, file.region_id)
    )
    return {
        "key": "source",
        "label": DETAIL_LABELS["source"],
        "value": f"{file.filename} · {row}" if file else mask_text(str(value)),
        "file_id": file.pk if linked else None,
    }


# ---- outreach ---------------------------------------------------------------------------------


def outreach_for(user, status: str | None = None) -> QuerySet[OutreachTask]:
    queryset = scope_queryset(
        OutreachTask.objects.select_related("household", "region", "handled_by"), user
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("status", "-period", "id")


def program_label(code: str) -> str:
    return programs.label_of(code)


def outreach_task_for(user, pk: int) -> OutreachTask:
    return get_scoped(OutreachTask.objects.select_related("household", "region"), user, pk=pk)


# ---- department files -------------------------------------------------------------------------


def files_for(user) -> QuerySet[FeedFile]:
    return scope_queryset(FeedFile.objects.select_related("region", "received_by"), user).order_by(
        "-received_at", "-id"
    )


def file_for(user, pk: int) -> FeedFile:
    return get_scoped(FeedFile.objects.select_related("region", "received_by"), user, pk=pk)


def problems_of(file: FeedFile, page: int | str | None = 1, kind: str | None = None) -> Page:
    """The file's invalid and unmatched rows, in row order, one page at a time."""
    problems = file.problems.all()
    if kind in (FeedProblem.INVALID, FeedProblem.UNMATCHED):
        problems = problems.filter(kind=kind)
    return Paginator(problems.order_by("row", "id"), PROBLEMS_PER_PAGE).get_page(page)


def column_label(feed_code: str, column: str) -> str:
    """A file's column under its catalogue label (the code when the catalogue lacks it)."""
    feed = feeds.catalogue().get(feed_code)
    if feed is None or not column:
        return column
    return next((c.label for c in feed.columns if c.code == column), column)


def value_rows(feed_code: str, values: dict) -> list[tuple[str, str]]:
    """A row's stored values (a fact, a row to review) under the catalogue's column labels."""
    feed = feeds.catalogue().get(feed_code)
    columns = {c.code: c for c in feed.value_columns} if feed else {}
    return [
        (columns[key].label if key in columns else key, _shown(columns.get(key), key, value))
        for key, value in (values or {}).items()
        if value is not None and key not in ("id_number", "name")
    ]


def feed_choices() -> list[tuple[str, str]]:
    return [(f.code, f"{f.department} · {f.label}") for f in feeds.catalogue().values()]


def feed_label(code: str) -> str:
    feed = feeds.catalogue().get(code)
    return f"{feed.department} · {feed.label}" if feed else code


# ---- 核对 -------------------------------------------------------------------------------------


def check_report_for(user, pk: int) -> CheckReport:
    queryset = CheckReport.objects.select_related("household", "case", "requested_by")
    return get_scoped(queryset, user, region_field="household__region", pk=pk)


def check_reports_of(household) -> QuerySet[CheckReport]:
    return household.check_reports.select_related("requested_by").order_by("-requested_at", "-id")
