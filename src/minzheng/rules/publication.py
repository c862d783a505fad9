"""Publishing parameter values (value, effective date, 文号) over the shipped YAML, with a
preview of how many households of the region would change program or amount."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import polars as pl
from django.db import IntegrityError, transaction

from minzheng.audit.services import record
from minzheng.kit.errors import Conflict, Forbidden, ValidationFailed
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import user_may_access_region
from minzheng.registry.snapshot import snapshot
from minzheng.rules.evaluate import Frames, evaluate
from minzheng.rules.models import PublishedValue
from minzheng.rules.parameters import AREAS, Entry, Parameter, shipped_tree

_COMPARED = ["dibao_eligible", "dibao_amount_fen", "dibao_edge_eligible"]


@dataclass(frozen=True)
class Proposal:
    parameter: str
    region_code: str
    area: str
    start: date
    value: Decimal
    document_number: str


def effective_tree() -> dict[str, Parameter]:
    """The shipped tree with every published value merged in (published wins on equal dates)."""
    tree = dict(shipped_tree())
    for published in PublishedValue.objects.order_by("published_at"):
        tree = _with_entry(tree, published.parameter, _entry(published))
    return tree


def preview(actor, proposal: Proposal) -> int:
    """Households of the region whose 低保/低保边缘 result would change on the start date."""
    _check(actor, proposal)
    current = effective_tree()
    proposed = _with_entry(current, proposal.parameter, _entry(proposal))
    shot = snapshot(proposal.region_code)
    if shot.households.height == 0:
        return 0
    frames = Frames(shot.households, shot.persons, shot.incomes)
    before = evaluate(frames, proposal.start, current).select("household_id", *_COMPARED)
    after = evaluate(frames, proposal.start, proposed).select("household_id", *_COMPARED)
    joined = before.join(after, on="household_id", suffix="_new")
    differs = pl.any_horizontal(pl.col(c) != pl.col(f"{c}_new") for c in _COMPARED)
    return joined.filter(differs).height


def publish(actor, proposal: Proposal) -> PublishedValue:
    _check(actor, proposal)
    try:
        with transaction.atomic():
            published = PublishedValue.objects.create(
                parameter=proposal.parameter,
                region_id=proposal.region_code,
                area=proposal.area,
                start=proposal.start,
                value=proposal.value,
                document_number=proposal.document_number.strip(),
                published_by=actor,
            )
    except IntegrityError:
        raise Conflict(
            "该区划在同一生效日期已发布过此参数；如需更正，请以新的生效日期发布。"
        ) from None
    record(
        "parameter.published",
        actor=actor,
        object_type="parameter",
        object_id=proposal.parameter,
        region_code=proposal.region_code,
        after={
            "area": proposal.area,
            "start": proposal.start,
            "value": str(proposal.value),
            "document_number": published.document_number,
        },
    )
    return published


def _check(actor, proposal: Proposal) -> None:
    if not actor.has_perm("rules.publish_parameter"):
        raise Forbidden("您的角色不能发布政策参数。")
    parameter = shipped_tree().get(proposal.parameter)
    if parameter is None:
        raise ValidationFailed(f"未知参数：{proposal.parameter}", field="parameter")
    region = Region.objects.filter(code=proposal.region_code).first()
    if region is None or region.level > codes.COUNTY:
        raise ValidationFailed("参数只能按省、市、县级区划发布。", field="region")
    if not user_may_access_region(actor, region.code):
        raise Forbidden("不能为管辖范围以外的区划发布参数。")
    if parameter.by_area and proposal.area not in AREAS:
        raise ValidationFailed("该参数分城乡，请选择城镇或农村。", field="area")
    if not parameter.by_area and proposal.area:
        raise ValidationFailed("该参数不分城乡。", field="area")
    if proposal.value < 0:
        raise ValidationFailed("数值不能为负数。", field="value")
    if not proposal.document_number.strip():
        raise ValidationFailed("请填写文号。", field="document_number")


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
