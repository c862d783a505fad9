"""The demo county: regions, a synthetic population and one account per role.

Idempotent: running it again loads nothing twice and keeps existing accounts.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from minzheng.accounts import services as accounts
from minzheng.accounts.models import User
from minzheng.regions import codes
from minzheng.regions import services as regions
from minzheng.regions.models import Region
from minzheng.registry import bulk as registry_bulk
from minzheng.registry import readers as registry_readers
from minzheng.registry.synthetic import Village, generate

DEMO_COUNTY = "330122000000"  # 浙江省杭州市桐庐县: 14 townships, 218 villages (2023 data)
DEMO_PASSWORD = "Minzheng@2024"  # noqa: S105 - public demo password, refused outside DEBUG


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    level: int | None


DEMO_ACCOUNTS = [
    DemoAccount("village_worker", "village_worker", codes.VILLAGE),
    DemoAccount("township_clerk", "township_clerk", codes.TOWNSHIP),
    DemoAccount("township_reviewer", "township_reviewer", codes.TOWNSHIP),
    DemoAccount("county_approver", "county_approver", codes.COUNTY),
    DemoAccount("county_admin", "county_admin", codes.COUNTY),
    DemoAccount("city_admin", "city_admin", codes.CITY),
    DemoAccount("city_viewer", "city_viewer", codes.CITY),
    DemoAccount("leader", "bureau_leader", codes.COUNTY),
    DemoAccount("target_owner", "target_owner", codes.COUNTY),
    DemoAccount("resident", "resident", codes.VILLAGE),
    DemoAccount("sysadmin", "system_admin", codes.COUNTY),
    DemoAccount("secadmin", "security_admin", codes.COUNTY),
    DemoAccount("auditadmin", "audit_admin", codes.COUNTY),
]


def load_demo_regions(county: str = DEMO_COUNTY) -> int:
    rows = regions.select_rows(regions.read_region_file(), full_within=[county])
    return regions.load_regions(rows)


def county_villages(county: str) -> list[Village]:
    villages = Region.objects.filter(
        code__startswith=codes.prefix_of(county), level=codes.VILLAGE
    ).order_by("code")
    return [
        Village(v.code, v.urban_rural or ("111" if v.area_type == "urban" else "220"))
        for v in villages
    ]


def load_demo_population(
    county: str, households: int, seed: int, progress: registry_bulk.Progress
) -> registry_bulk.LoadCounts | None:
    """None when the county already has households (nothing is loaded twice).

    The synthetic population goes through the spreadsheet import's checks and writer, as the
    command-line operator (no account yet) confined to this county."""
    from minzheng.registry import importer

    if registry_readers.has_households(codes.prefix_of(county)):
        return None
    population = generate(
        county_villages(county), households=households, seed=seed, today=timezone.localdate()
    )
    frame = importer.frame_from_population(population)
    return importer.run_import(
        frame, None, source_name="demo", operator_region=county, progress=progress
    )


def demo_region_for(level: int | None, county: str) -> str:
    """The first region of the wanted level along the demo county's tree."""
    if level is None or level == codes.COUNTY:
        return county
    if level < codes.COUNTY:
        return codes.ancestor_codes(county)[level - 1]
    return (
        Region.objects.filter(code__startswith=codes.prefix_of(county), level=level)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


def create_demo_accounts(
    county: str = DEMO_COUNTY, on_created: Callable[[User], None] = lambda user: None
) -> list[str]:
    created = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        with transaction.atomic():
            user = accounts.create_user(
                None,
                username=account.username,
                password=DEMO_PASSWORD,
                region_code=demo_region_for(account.level, county),
                roles=[account.role],
                operator="demo",
            )
        if account.role == "resident":
            _link_resident(user)
        on_created(user)
        created.append(user.username)
    return created


def _link_resident(user: User) -> None:
    """The demo resident is the head of the first household of the demo village, when the
    demo population is loaded (a real resident is linked after real-name verification)."""
    head = registry_readers.first_head(user.region_id)
    if head is not None:
        User.objects.filter(pk=user.pk).update(person_id=head)
