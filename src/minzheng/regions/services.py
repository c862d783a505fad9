"""Loading the shipped region file (see data/SOURCE.md) into the database, idempotently."""

import csv
import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from minzheng.regions import codes
from minzheng.regions.models import Region

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.csv.gz"
_CHUNK = 5000


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: int
    parent_code: str
    urban_rural: str


@lru_cache(maxsize=2)
def read_region_file(path: Path = DATA_FILE) -> tuple[RegionRow, ...]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return tuple(
            RegionRow(r["code"], r["name"], int(r["level"]), r["parent_code"], r["urban_rural"])
            for r in csv.DictReader(handle)
        )


def select_rows(
    rows: Iterable[RegionRow], *, max_level: int = codes.COUNTY, full_within: Iterable[str] = ()
) -> Iterator[RegionRow]:
    """Rows down to `max_level` everywhere, plus every level inside the `full_within` regions
    (e.g. the demo county with its townships and villages), with all their ancestors."""
    prefixes = tuple(codes.prefix_of(codes.normalize_code(c)) for c in full_within)
    ancestors = {a for c in full_within for a in codes.ancestor_codes(codes.normalize_code(c))}
    for row in rows:
        if row.level <= max_level or row.code.startswith(prefixes) or row.code in ancestors:
            yield row


@transaction.atomic
def load_regions(rows: Iterable[RegionRow]) -> int:
    """Upsert rows (parents before children); re-running changes nothing. Returns the count."""
    ordered = sorted(rows, key=lambda r: (r.level, r.code))
    for start in range(0, len(ordered), _CHUNK):
        Region.objects.bulk_create(
            [
                Region(
                    code=r.code,
                    name=r.name,
                    level=r.level,
                    parent_id=r.parent_code or None,
                    urban_rural=r.urban_rural,
                    area_type=codes.area_type_of(r.name, r.urban_rural, r.level),
                )
                for r in ordered[start : start + _CHUNK]
            ],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "parent", "urban_rural", "area_type"],
        )
    return len(ordered)
