"""Publishing parameter values (value, effective date, 文号) over the shipped YAML, with a
preview of how many households of the region would change program or amount."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet

from minzheng.audit.services import record
from minzheng.kit.uploads import store_document
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import user_may_access_region
from minzheng.registry.snapshot import snapshot
from minzheng.rules.errors import Error
from minzheng.rules.evaluate import evaluate
from minzheng.rules.events import Event
from minzheng.rules.explain import household_summary
from minzheng.rules.facts import frames_of
from minzheng.rules.models import PublishedValue
from minzheng.rules.parameters import AREAS, Entry, Parameter, shipped_tree


@dataclass(frozen=True)
class Proposal:
    parameter: str
    region_code: str
    area: str
    start: date
    value: Decimal
    document_number: str


def effective_tree() -> dict[str, Parameter]:
    """The shipped tree with every published value merged in (published wins on equal dates).

    Publications are only ever added, so their count, last id and last time tell whether the
    merged tree kept from the last call is still right (the time tells apart a rolled-back
    publication whose id was given again): one small query instead of a rebuild, and the same
    tree object while nothing is published (evaluations keep their bindings per tree)."""
    global _effective
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT)
        fingerprint = tuple(cursor.fetchone())
    kept = _effective
    if kept is not None and kept[0] == fingerprint:
        return kept[1]
    tree = dict(shipped_tree())
    for published in PublishedValue.objects.order_by("published_at"):
        tree = _with_entry(tree, published.parameter, _entry(published))
    _effective = (fingerprint, tree)
    return tree


_FINGERPRINT = f"SELECT COUNT(*), MAX(id), MAX(published_at) FROM {PublishedValue._meta.db_table}"  # noqa: S608
_effective: tuple[tuple, dict[str, Parameter]] | None = None


def preview(actor, proposal: Proposal) -> int:
    """Households of the region whose result for any program (eligibility, members who qualify
    or amount) would change on the start date."""
    _check(actor, proposal)
    current = effective_tree()
    proposed = _with_entry(current, proposal.parameter, _entry(proposal))
    shot = snapshot(proposal.region_code)
    if shot.households.height == 0:
        return 0
    frames = frames_of(shot)
    before = household_summary(evaluate(frames, proposal.start, current))
    after = household_summary(evaluate(frames, proposal.start, proposed))
    compared = [c for c in before.columns if c.endswith(("_eligible", "_members", "_amount_fen"))]
    joined = before.join(after, on="household_id", suffix="_new")
    differs = pl.any_horizontal(pl.col(c) != pl.col(f"{c}_new") for c in compared)
    return joined.filter(differs).height


def publish(actor, proposal: Proposal, attachment=None) -> PublishedValue:
    """Publish the value; `attachment` (the document, PDF or image) is stored outside the web
    root with its SHA-256, and removed again if the publication is refused."""
    _check(actor, proposal)
    stored, sha256 = store_document(attachment, "publications") if attachment else ("", "")
    try:
        with transaction.atomic():
            published = PublishedValue.objects.create(
                attachment=stored,
                attachment_sha256=sha256,
                parameter=proposal.parameter,
                region_id=proposal.region_code,
                area=proposal.area,
                start=proposal.start,
                value=proposal.value,
                document_number=proposal.document_number.strip(),
                published_by=actor,
            )
    except IntegrityError:
        if stored:
            (Path(settings.MEDIA_ROOT) / stored).unlink(missing_ok=True)
        raise Error.ALREADY_PUBLISHED.error() from None
    record(
        Event.PARAMETER_PUBLISHED,
        actor=actor,
        object_type="parameter",
        object_id=proposal.parameter,
        region_code=proposal.region_code,
        after={
            "area": proposal.area,
            "start": proposal.start,
            "value": str(proposal.value),
            "document_number": published.document_number,
            "attachment_sha256": sha256,
        },
    )
    return published


def _check(actor, proposal: Proposal) -> None:
    if not actor.has_perm("rules.publish_parameter"):
        raise Error.PUBLISH_NOT_PERMITTED.error()
    parameter = shipped_tree().get(proposal.parameter)
    if parameter is None:
        raise Error.UNKNOWN_PARAMETER.error(field="parameter", name=proposal.parameter)
    region = Region.objects.filter(code=proposal.region_code).first()
    if region is None or region.level > codes.COUNTY:
        raise Error.PUBLISH_REGION_LEVEL.error(field="region")
    if not user_may_access_region(actor, region.code):
        raise Error.PUBLISH_OUT_OF_SCOPE.error()
    if parameter.by_area and proposal.area not in AREAS:
        raise Error.PARAMETER_AREA_MISSING.error(field="area")
    if not parameter.by_area and proposal.area:
        raise Error.PARAMETER_NOT_BY_AREA.error(field="area")
    if proposal.value < 0:
        raise Error.PARAMETER_NEGATIVE.error(field="value")
    if not proposal.document_number.strip():
        raise Error.DOCUMENT_NUMBER_MISSING.error(field="document_number")


def _entry(source) -> Entry:
    region_code = getattr(source, "region_code", None) or source.region_id
    return Entry(
        codes.prefix_of(region_code),
        source.area or None,
        source.start,
        None,
        Decimal(source.value),
        source.document_number,
    )


def _with_entry(tree: dict[str, Parameter], name: str, entry: Entry) -> dict[str, Parameter]:
    parameter = tree[name]
    kept = tuple(
        e
        for e in parameter.entries
        if (e.region, e.area, e.start) != (entry.region, entry.area, entry.start)
    )
    return {**tree, name: replace(parameter, entries=(*kept, entry))}


def publications_for(user) -> QuerySet[PublishedValue]:
    """The publications a user may read: those in force for his region (its own and its
    ancestors') and those made inside it; never another county's."""
    region = getattr(user, "region_id", None)
    if not region:
        return PublishedValue.objects.none()
    inside = Q(region__code__startswith=codes.prefix_of(region))
    return PublishedValue.objects.filter(inside | Q(region_id__in=codes.ancestor_codes(region)))
