"""The engine's surfaces: the household panel, the JSON endpoints and `minzheng screen`."""

from decimal import Decimal

import polars as pl
import pytest
from django.core.management import call_command

from minzheng.audit.models import AuditEvent
from minzheng.registry.models import IncomeItem, Person
from minzheng.rules.api import ScreeningOut
from minzheng.rules.errors import Error
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


def _program(result: dict, code: str) -> dict:
    return next(p for p in result["programs"] if p["code"] == code)


def test_household_panel_shows_dibao_and_the_amount(client, poor_household):
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    page = client.get(f"/rules/households/{poor_household.pk}/screening/?as_of=2024-08-01")
    assert page.status_code == 200
    result = page.context["r"]
    assert (result["facts"]["members"], result["facts"]["income_fen"]) == (2, 100000)
    dibao = _program(result, "dibao")
    assert (dibao["eligible"], dibao["amount_fen"]) == (True, 131800)
    standard = next(q for q in dibao["parameters"] if q["name"] == "dibao.standard")
    assert (standard["value"], standard["region"]) == ("1159", "330122")
    body = page.content.decode()
    assert "1,318.00" in body and "演示县示例数值" in body and "最低生活保障" in body


def test_excluded_member_is_not_counted(client, poor_household):
    Person.objects.filter(pk=poor_household.members.last().pk).update(
        exclusion="imprisoned", co_resident=False
    )
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    result = client.get(
        f"/rules/households/{poor_household.pk}/screening/?as_of=2024-08-01"
    ).context["r"]
    assert (result["facts"]["members"], _program(result, "dibao")["amount_fen"]) == (1, 15900)


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
    assert ScreeningOut.model_validate(response.json()).model_dump(mode="json") == response.json()
    dibao = _program(response.json(), "dibao")
    assert (dibao["eligible"], dibao["amount_fen"], dibao["parameters"][0]["region"]) == (
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
    assert ScreeningOut.model_validate(response.json()).model_dump(mode="json") == response.json()
    dibao = _program(response.json(), "dibao")
    assert (dibao["amount_fen"], dibao["parameters"][0]["value"]) == (90000, "700")
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
    assert response.json()["code"] == Error.PARAMETER_NOT_IN_FORCE.code
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
    assert "已评估 2 户：低保 2 户，低保边缘 0 户" in capsys.readouterr().out


def test_openapi_lists_the_screening_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert sorted(p for p in paths if p.startswith("/api/rules/")) == [
        "/api/rules/households/{household_id}/screening",
        "/api/rules/households/{household_id}/snapshots",
        "/api/rules/screening",
        "/api/rules/snapshots/{snapshot_id}",
    ]


def test_what_if_with_every_program_input(client, regions):
    """An orphan, a grandmother of 84 with a grade-1 disability, a 支出型 emergency."""
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    response = client.post(
        "/api/rules/screening",
        {
            "region_code": "431102001001",
            "area_type": "urban",
            "as_of": "2024-03-01",
            "members": [
                {
                    "birth_date": "1940-01-01",
                    "disability_category": "physical",
                    "disability_grade": 1,
                    "self_care_unable": 5,
                },
                {
                    "birth_date": "2012-05-01",
                    "father_situation": "dead",
                    "mother_situation": "missing",
                },
            ],
            "emergency_type": "expense",
            "emergency_cost_fen": 300000,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert sorted(body["eligible"]) == ["child_allowance", "dibao", "elderly", "tekun", "temporary"]
    amounts = {p["code"]: p["amount_fen"] for p in body["programs"]}
    # 低保 2 × 700; 孤儿 散居 1150; 特困 910 + 8652/12 (全护理, 分散); 高龄 100; 临时 3000
    assert (amounts["dibao"], amounts["child_allowance"], amounts["tekun"]) == (
        140000,
        115000,
        91000 + 72100,
    )
    assert (amounts["elderly"], amounts["temporary"], amounts["disability_nursing"]) == (
        10000,
        300000,
        0,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"members": [{"disability_grade": 5}]}, "members.0.disability_grade"),
        ({"members": [{"father_situation": "unknown"}]}, "members.0.father_situation"),
        ({"emergency_type": "flood"}, "emergency_type"),
        ({"assets": [{"kind": "boat"}]}, "assets.0.kind"),
        ({"supporters": [{"member": 3, "condition": "able"}]}, "supporters"),
    ],
)
def test_what_if_refuses_bad_input_naming_the_field(client, regions, change, field):
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    payload = {"region_code": "431102001001", "area_type": "urban", "members": [{}]} | change
    response = client.post("/api/rules/screening", payload, content_type="application/json")
    assert response.status_code == 422
    assert field in str(response.json())
