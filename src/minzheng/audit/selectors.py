"""Reads of the audit log for the audit administrator."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from minzheng.audit.models import AuditEvent
from minzheng.regions.scoping import user_region_prefix


@dataclass(frozen=True)
class EventFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    region_code: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_for(user, flt: EventFilter) -> QuerySet[AuditEvent]:
    """Events the audit administrator may read: his region's and the system-wide ones."""
    queryset = AuditEvent.objects.all()
    prefix = user_region_prefix(user)
    if prefix:
        queryset = queryset.filter(Q(region_code__startswith=prefix) | Q(region_code=""))
    if flt.actor:
        queryset = queryset.filter(actor_name=flt.actor)
    if flt.action:
        queryset = queryset.filter(action__startswith=flt.action)
    if flt.object_type:
        queryset = queryset.filter(object_type=flt.object_type)
    if flt.object_id:
        queryset = queryset.filter(object_id=flt.object_id)
    if flt.region_code:
        queryset = queryset.filter(region_code__startswith=flt.region_code)
    if flt.date_from:
        queryset = queryset.filter(at__gte=_start_of(flt.date_from))
    if flt.date_to:
        queryset = queryset.filter(at__lt=_start_of(flt.date_to) + timedelta(days=1))
    return queryset.order_by("-seq")


def action_names() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
