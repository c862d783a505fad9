"""Receiving a department file: read and validate it, match its rows with the registry of the
region, and keep the provenance, the facts, the rows to review and the report of bad rows.

The same content twice for the same region and period is a no-op (the first receipt is
returned); another region's or another period's receipt is never looked at. A file refused whole
(wrong columns, unreadable) leaves nothing stored. Invalid rows are reported with their row
number and reason; the valid rows are kept.
"""

import hashlib
import re
from datetime import date

import polars as pl
from django.db import IntegrityError, transaction

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit.masking import mask_id_number
from minzheng.monitoring import feeds
from minzheng.monitoring.errors import Error
from minzheng.monitoring.events import Event
from minzheng.monitoring.matching import Matched
from minzheng.monitoring.models import Fact, FeedFile, FeedProblem, MatchReview
from minzheng.monitoring.reading import Read
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.registry import readers as registry
from minzheng.rules.engines import runner_of

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
UNMATCHED_REASON = "身份证号码在本辖区对象库中未找到"


def receive(actor, feed_code: str, period: str, filename: str, content: bytes, today: date):
    """An upload by a user: into the user's region. Returns (FeedFile, created)."""
    require_permission(actor, "monitoring.ingest_feed", Error.INGEST_NOT_PERMITTED)
    if not actor.region_id:
        raise Error.INGEST_WITHOUT_REGION.error()
    region = Region.objects.get(code=actor.region_id)
    return ingest_file(region, feed_code, period, filename, content, today, actor=actor)


def ingest_file(region, feed_code, period, filename, content, today, actor=None, runner=None):
    """`runner` reads and matches the file (batch/runners.py): this process unless given."""
    runner = runner or runner_of("polars")
    feed = feeds.feed(feed_code)
    if not PERIOD.match(period or ""):
        raise Error.BAD_PERIOD.error(field="period")
    digest = hashlib.sha256(content).hexdigest()
    same = {"feed": feed.code, "region": region, "period": period, "sha256": digest}
    known = FeedFile.objects.filter(**same).first()
    if known:
        return known, False
    read = runner.read_feed(feed, filename, content, today)
    matched = runner.match(read.frame, _persons(region), _supporters(region))
    try:
        with transaction.atomic():  # a concurrent receipt of the same content wins or we do
            file = _store(region, feed, period, filename, digest, read, matched, actor)
    except IntegrityError:
        return FeedFile.objects.get(**same), False
    return file, True


def _persons(region) -> pl.DataFrame:
    return registry.identities(codes.prefix_of(region.code))


def _supporters(region) -> pl.DataFrame:
    return registry.supporter_identities(codes.prefix_of(region.code))


def _store(region, feed, period, filename, digest, read: Read, matched: Matched, actor):
    file = FeedFile.objects.create(
        feed=feed.code,
        department=feed.department,
        period=period,
        sha256=digest,
        filename=filename[:200],
        region=region,
        received_by=actor,
        rows_total=read.rows_total,
        rows_invalid=len({p.row for p in read.problems}),
        rows_matched=matched.matched.height + matched.supporters.height,
        rows_review=matched.review.height,
        rows_unmatched=matched.unmatched.height,
    )
    FeedProblem.objects.bulk_create(_problems(file, read, matched), batch_size=2000)
    values = [c.code for c in feed.value_columns]
    facts = [
        Fact(
            person_id=r["person_id"],
            feed=feed.code,
            period=period,
            file=file,
            row=r["_row"],
            values=_json(r, values),
        )
        for r in matched.matched.iter_rows(named=True)
    ] + [
        Fact(
            supporter_id=r["supporter_id"],
            feed=feed.code,
            period=period,
            file=file,
            row=r["_row"],
            values=_json(r, values),
        )
        for r in matched.supporters.iter_rows(named=True)
    ]
    Fact.objects.bulk_create(facts, batch_size=2000)
    MatchReview.objects.bulk_create(
        [
            MatchReview(
                file=file,
                row=r["_row"],
                person_id=r["person_id"],
                name_in_file=r["name"][:50],
                values=_json(r, values),
            )
            for r in matched.review.iter_rows(named=True)
        ],
        batch_size=2000,
    )
    record(
        Event.FEED_RECEIVED,
        actor=actor,
        object_type="feed_file",
        object_id=file.pk,
        region_code=region.code,
        after={
            "feed": feed.code,
            "period": period,
            "sha256": digest,
            "rows": file.rows_total,
            "invalid": file.rows_invalid,
            "matched": file.rows_matched,
            "review": file.rows_review,
            "unmatched": file.rows_unmatched,
        },
    )
    return file


def _problems(file, read: Read, matched: Matched) -> list[FeedProblem]:
    invalid = [
        FeedProblem(
            file=file,
            kind=FeedProblem.INVALID,
            row=p.row,
            column=p.column or "",
            reason=p.reason[:300],
            masked_id=p.masked_id,
        )
        for p in read.problems
    ]
    unmatched = [
        FeedProblem(
            file=file,
            kind=FeedProblem.UNMATCHED,
            row=r["_row"],
            column="id_number",
            reason=UNMATCHED_REASON,
            masked_id=mask_id_number(r["id_number"]),
        )
        for r in matched.unmatched.select("_row", "id_number").iter_rows(named=True)
    ]
    return invalid + unmatched


def _json(row: dict, columns: list[str]) -> dict:
    """Values as JSON: dates in ISO form, money already integer fen."""
    return {
        c: v.isoformat() if isinstance(v, date) else v for c, v in ((c, row[c]) for c in columns)
    }
