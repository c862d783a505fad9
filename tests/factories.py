"""Test data builders: real rows through real code paths, no mocks."""

import itertools
from datetime import date

from stdnum.cn import ric

from minzheng.accounts import services as accounts
from minzheng.accounts.models import User
from minzheng.kit import crypto
from minzheng.regions import codes
from minzheng.regions import services as regions
from minzheng.registry.models import Household, Person

DEMO_COUNTY = "330122000000"  # 桐庐县
CITY = "330100000000"  # 杭州市
TOWNSHIP_A = "330122002000"  # 桐庐县 旧县街道
TOWNSHIP_B = "330122102000"  # 桐庐县 横村镇
PASSWORD = "Test-Passw0rd!"
_sequence = itertools.count(1)


def load_test_regions() -> None:
    rows = regions.select_rows(regions.read_region_file(), max_level=0, full_within=[DEMO_COUNTY])
    regions.load_regions(rows)


def first_village(township_code: str) -> str:
    from minzheng.regions.models import Region

    return (
        Region.objects.filter(code__startswith=codes.prefix_of(township_code), level=5)
        .order_by("code")
        .values_list("code", flat=True)[0]
    )


def make_user(role: str, region_code: str | None, username: str | None = None) -> User:
    return accounts.create_user(
        None,
        username=username or f"{role}_{next(_sequence)}",
        password=PASSWORD,
        region_code=region_code,
        roles=[role] if role else [],
        operator="test",
    )


def make_id_number(birth: date, sex: str, prefix: str = "330122") -> str:
    seq = next(_sequence) % 500
    digit = seq * 2 + (1 if sex == "M" else 0)
    body = f"{prefix}{birth:%Y%m%d}{digit:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check char


def make_household(village_code: str, *, members: int = 2, address: str = "幸福路1号") -> Household:
    number = f"{village_code}{next(_sequence):05d}"
    household = Household.objects.create(
        number=number, region_id=village_code, address=address, area_type="rural"
    )
    for index in range(members):
        sex = "M" if index % 2 == 0 else "F"
        birth = date(1950 + 10 * index, 3, 1)
        id_number = make_id_number(birth, sex)
        Person.objects.create(
            household=household,
            region_id=village_code,
            id_number=id_number,
            id_number_index=crypto.blind_index(id_number, "id_number"),
            name=f"张{'伟芳'[index % 2]}{index}",
            sex=sex,
            birth_date=birth,
            relation="head" if index == 0 else "spouse",
        )
    return household


def give_period(case, kind: str, due_on: date, *, started_on: date | None = None, notice=False):
    """Set up a running period on a case as an earlier step would have (decision, publicity,
    paperwork), without taking the step."""
    from minzheng.procedures.models import Deadline

    Deadline.objects.update_or_create(
        procedure="case",
        record_id=case.pk,
        kind=kind,
        defaults={
            "region_id": case.region_id,
            "label": kind,
            "unit": "calendar_day" if notice else "working_day",
            "length": 0,
            "notice": notice,
            "started_on": started_on or due_on,
            "due_on": due_on,
            "stopped_on": None,
        },
    )
    case.__dict__.pop("periods", None)
