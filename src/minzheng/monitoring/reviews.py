"""The review queue: a row whose ID number belongs to a registry person under another name is
never applied by itself. Accepting it makes it that person's fact (a typo in the name, a
changed name); rejecting leaves it out (a wrong ID number in the department's data)."""

from django.utils import timezone

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit.errors import NotFound
from minzheng.monitoring.errors import Error
from minzheng.monitoring.events import Event
from minzheng.monitoring.models import Fact, MatchReview
from minzheng.regions.scoping import scope_queryset


def pending(actor):
    require_permission(actor, "monitoring.review_match", Error.REVIEW_NOT_PERMITTED)
    reviews = MatchReview.objects.filter(status=MatchReview.PENDING).select_related(
        "file", "person"
    )
    return scope_queryset(reviews, actor, region_field="person__region")


def decide(actor, review_id: int, accept: bool) -> MatchReview:
    require_permission(actor, "monitoring.review_match", Error.REVIEW_NOT_PERMITTED)
    try:
        review = scope_queryset(
            MatchReview.objects.select_related("file"), actor, region_field="person__region"
        ).get(pk=review_id)
    except MatchReview.DoesNotExist:
        raise NotFound() from None
    status = MatchReview.ACCEPTED if accept else MatchReview.REJECTED
    won = MatchReview.objects.filter(pk=review.pk, status=MatchReview.PENDING).update(
        status=status, decided_by=actor, decided_at=timezone.now()
    )
    if not won:
        raise Error.ALREADY_REVIEWED.error()
    if accept:
        Fact.objects.create(
            person_id=review.person_id,
            feed=review.file.feed,
            period=review.file.period,
            file=review.file,
            row=review.row,
            values=review.values,
        )
    record(
        Event.MATCH_REVIEWED,
        actor=actor,
        object_type="match_review",
        object_id=review.pk,
        region_code=review.file.region_id,
        after={"status": status, "file": review.file_id, "row": review.row},
    )
    review.refresh_from_db()
    return review
