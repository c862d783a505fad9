"""The engine's surfaces: the household panel, the JSON endpoints and `minzheng screen`."""

from decimal import Decimal

import polars as pl
import pytest
from django.core.management import call_command

from minzheng.audit.models import AuditEvent
from minzheng.registry.models import IncomeItem, Person
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_household, make_user


@pytest.fixture
def poor_household(regions):
    """Two members in 桐庐 (rural standard 1159 in the shipped example), 1000 yuan a month."""
    household = make_household(first_village(TOWNSHIP_A), members=2)
    IncomeItem.objects.create(
        person=household.members.first(),
        category="wage",
        period="monthly",
        amount=Decimal("1000.00"),
    )
    return household


def test_household_panel_shows_dibao_and_the_amount(client, poor_household):
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    page = client.get(f"/rules/households/{poor_household.pk}/screening/?as_of=2024-08-01")
    assert page.status_code == 200
    result = page.context["r"]
    assert (result["members"], result["income_fen"], result["standard_fen"]) == (2, 100000, 115900)
    assert (result["dibao_eligible"], result["dibao_amount_fen"]) == (True, 131800)
    body = page.content.decode()
    assert "1,318.00" in body and "演示县示例数值" in body


def test_excluded_member_is_not_counted(client, poor_household):
    Person.objects.filter(pk=poor_household.members.last().pk).update(
        exclusion="imprisoned", co_resident=False
    )
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    result = client.get(
        f"/rules/households/{poor_household.pk}/screening/?as_of=2024-08-01"
    ).context["r"]
    assert (result["members"], result["dibao_amount_fen"]) == (1, 15900)


def test_panel_and_api_are_region_scoped(client, poor_household):
    client.force_login(make_user("township_clerk", TOWNSHIP_B))
    assert client.get(f"/rules/households/{poor_household.pk}/screening/").status_code == 404
    assert client.get(f"/api/rules/households/{poor_household.pk}/screening").status_code == 404
    client.force_login(make_user("system_admin", "330122000000"))
    assert client.get(f"/rules/households/{poor_household.pk}/screening/").status_code == 403


def test_api_for_a_registry_household(client, poor_household):
    client.force_login(make_user("county_approver", "330122000000"))
    response = client.get(
        f"/api/rules/households/{poor_household.pk}/screening", {"as_of": "2024-08-01"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["dibao_eligible"], body["dibao_amount_fen"], body["standard_region"]) == (
        True,
        131800,
        "330122",
    )


def test_what_if_api_stores_nothing(client, regions):
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    events = AuditEvent.objects.count()
    response = client.post(
        "/api/rules/screening",
        {
            "region_code": "431102001001",
            "area_type": "urban",
            "as_of": "2024-03-01",
            "members": [{"incomes": [{"amount_fen": 120000}]}, {}, {}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["dibao_amount_fen"], response.json()["standard_fen"]) == (90000, 70000)
    assert AuditEvent.objects.count() == events


def test_what_if_without_a_standard_is_a_clear_422(client, regions):
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    response = client.post(
        "/api/rules/screening",
        {
            "region_code": "110101001001",
            "area_type": "urban",
            "as_of": "2024-03-01",
            "members": [{}],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert (
        "参数 dibao.standard（低保标准）在 2024-03-01 对区划 110101001001 没有有效值"
        in (response.json()["message"])
    )


def test_screen_command_writes_the_region(tmp_path, poor_household, capsys):
    make_household(first_village(TOWNSHIP_B), members=1)
    out = tmp_path / "screen.csv"
    call_command("screen", "--region", "330122", "--date", "2024-08-01", "--out", str(out))
    result = pl.read_csv(out, schema_overrides={"number": pl.Utf8})
    assert result.height == 2
    row = result.filter(pl.col("number") == poor_household.number).row(0, named=True)
    assert (row["dibao_eligible"], row["dibao_amount_fen"]) == (True, 131800)
    assert "已评估 2 户：低保 2 户" in capsys.readouterr().out


def test_openapi_lists_the_screening_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert sorted(p for p in paths if p.startswith("/api/rules/")) == [
        "/api/rules/households/{household_id}/screening",
        "/api/rules/screening",
    ]
