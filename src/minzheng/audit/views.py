from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from minzheng.audit import export, selectors
from minzheng.audit.actions import label_of
from minzheng.audit.errors import Error
from minzheng.audit.events import Event
from minzheng.audit.forms import EventFilterForm
from minzheng.audit.services import record


def _require(request, perm: str) -> None:
    """Refusals of the audit screen are themselves audited: who tried to read the log."""
    if not request.user.has_perm(perm):
        with transaction.atomic():
            record(
                Event.ACCESS_DENIED,
                request=request,
                object_type="audit",
                region_code=request.user.region_id or "",
                after={"path": request.path},
            )
        raise Error.AUDITORS_ONLY.error()


@login_required
def event_list(request):
    _require(request, "audit.view_auditevent")
    form = EventFilterForm(request.GET or None)
    events = selectors.events_for(request.user, form.to_filter())
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.label = label_of(event.action)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "extra_query": query.urlencode() + "&" if query else ""}
    return render(request, "audit/event_list.html", context)


@login_required
def event_export(request, fmt: str):
    _require(request, "audit.export_auditevent")
    form = EventFilterForm(request.GET or None)
    events = selectors.events_for(request.user, form.to_filter())
    count = events.count()
    if count > export.MAX_ROWS:
        raise Error.EXPORT_TOO_LARGE.error(count=count, limit=export.MAX_ROWS)
    with transaction.atomic():
        record(
            Event.EXPORTED,
            request=request,
            object_type="audit",
            after={"format": fmt, "rows": count, "filter": request.GET.dict()},
        )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body = export.to_xlsx(events)
    else:
        content_type, body = "text/csv; charset=utf-8", export.to_csv(events)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response
