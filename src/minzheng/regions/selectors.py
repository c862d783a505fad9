"""Reads of the region tree: by code, by name, ancestors, descendants."""

from django.db.models import QuerySet

from minzheng.regions import codes
from minzheng.regions.errors import Error
from minzheng.regions.models import Region


def get_region(code: str) -> Region:
    try:
        return Region.objects.get(code=codes.normalize_code(code))
    except (Region.DoesNotExist, ValueError):
        raise Error.REGION_NOT_FOUND.error(code=code) from None


def search_regions(name: str, *, within: Region | None = None, limit: int = 50) -> list[Region]:
    """Regions whose name contains `name`, shortest (most exact) names first."""
    queryset = Region.objects.filter(name__contains=name.strip())
    if within is not None:
        queryset = queryset.filter(code__startswith=within.prefix)
    return sorted(queryset[: limit * 4], key=lambda r: (len(r.name), r.code))[:limit]


def ancestors(region: Region) -> list[Region]:
    """Province first; one query."""
    wanted = codes.ancestor_codes(region.code)
    found = Region.objects.in_bulk(wanted)
    return [found[code] for code in wanted if code in found]


def descendants(region: Region, *, level: int | None = None) -> QuerySet[Region]:
    queryset = Region.objects.filter(code__startswith=region.prefix).exclude(code=region.code)
    return queryset.filter(level=level) if level is not None else queryset


def full_name(region: Region) -> str:
    """河北省石家庄市长安区: the address-style name, skipping NBS's placeholder '市辖区'."""
    parts = [r.name for r in [*ancestors(region), region] if r.name not in ("市辖区", "县")]
    return "".join(parts)
