"""部门数据: the received files with their provenance and counts, the upload form, a file's report
of invalid and unmatched rows, the recomputation of warnings and 政策找人 for a period, and the
review queue of rows matched by ID number under another name."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minzheng.kit.forms import attempt, status_of
from minzheng.monitoring import forms, ingest, reviews, runs, selectors
from minzheng.monitoring.models import FeedProblem
from minzheng.monitoring.views import PER_PAGE, query_without_page

INGEST = "monitoring.ingest_feed"


def _last_month() -> dict:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 2
    return {"period": f"{index // 12:04d}-{index % 12 + 1:02d}"}


def _upload_form(data=None, files=None) -> forms.UploadForm:
    return forms.UploadForm(data, files, feeds=selectors.feed_choices(), initial=_last_month())


@login_required
@permission_required("monitoring.view_feedfile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def feeds(request):
    if request.method == "POST" and not request.user.has_perm(INGEST):
        raise PermissionDenied
    form = _upload_form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data, today = form.for_service(), timezone.localdate()
        received = attempt(form, lambda: ingest.receive(request.user, today=today, **data))
        if received:
            file, created = received
            if created:
                messages.success(request, _("The file is received."))
            else:
                messages.info(request, _("This file was received before; here is its report."))
            return redirect("monitoring:feed_file", pk=file.pk)
    status = status_of(form) if request.method == "POST" else 200
    return _feeds(request, upload_form=form, status=status)


def _feeds(request, *, upload_form=None, recompute_form=None, status=200):
    page = Paginator(selectors.files_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    for file in page:
        file.feed_label = selectors.feed_label(file.feed)
    context = {
        "page": page,
        "upload_form": upload_form if request.user.has_perm(INGEST) else None,
        "recompute_form": recompute_form or forms.RecomputeForm(initial=_last_month()),
    }
    return render(request, "monitoring/feeds.html", context, status=status)


@login_required
@permission_required("monitoring.view_feedfile", raise_exception=True)
def feed_file(request, pk: int):
    file = selectors.file_for(request.user, pk)
    kind = request.GET.get("kind", "")
    page = selectors.problems_of(file, request.GET.get("page"), kind=kind or None)
    for problem in page:
        problem.column_label = selectors.column_label(file.feed, problem.column)
    context = {
        "file": file,
        "feed_label": selectors.feed_label(file.feed),
        "page": page,
        "kind": kind,
        "kinds": [(FeedProblem.INVALID, _("Invalid")), (FeedProblem.UNMATCHED, _("Unmatched"))],
        "extra_query": query_without_page(request),
    }
    return render(request, "monitoring/feed_file.html", context)


@login_required
@permission_required(INGEST, raise_exception=True)
@require_POST
def recompute(request):
    """Warnings and 政策找人 of the user's region for one period, again after new uploads."""
    form = forms.RecomputeForm(request.POST)
    if form.is_valid():
        period, today = form.cleaned_data["period"], timezone.localdate()
        run = attempt(form, lambda: _monitor(request.user, period, today))
        if run:
            messages.success(
                request,
                _("%(period)s recomputed: %(warnings)s new warnings, %(tasks)s new outreach tasks.")
                % {
                    "period": period,
                    "warnings": run.counts.get("warnings_new", 0),
                    "tasks": run.counts.get("outreach_new", 0),
                },
            )
            return redirect("monitoring:feeds")
    return _feeds(request, upload_form=_upload_form(), recompute_form=form, status=status_of(form))


def _monitor(user, period: str, today):
    return runs.monitor(user.region_id or "", period, today, again=True, actor=user)


# ---- the review queue -------------------------------------------------------------------------


@login_required
@permission_required("monitoring.review_match", raise_exception=True)
def review_queue(request):
    return _reviews(request)


@login_required
@permission_required("monitoring.review_match", raise_exception=True)
@require_POST
def review_decide(request, pk: int):
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        if attempt(form, lambda: reviews.decide(request.user, pk, accept)):
            if accept:
                messages.success(request, _("Accepted: the row is now the person's fact."))
            else:
                messages.success(request, _("Rejected: the row is left out."))
            return redirect("monitoring:reviews")
    errors = [e for errors in form.errors.values() for e in errors]
    return _reviews(request, errors=errors, status=status_of(form))


def _reviews(request, *, errors=(), status=200):
    page = Paginator(reviews.pending(request.user).order_by("file_id", "row"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for review in page:
        review.feed_label = selectors.feed_label(review.file.feed)
        review.shown = selectors.value_rows(review.file.feed, review.values)
    context = {"page": page, "errors": errors, "extra_query": ""}
    return render(request, "monitoring/reviews.html", context, status=status)
