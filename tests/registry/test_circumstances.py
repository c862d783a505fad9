from decimal import Decimal

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.registry.models import Asset, IncomeItem, Supporter
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_household, make_user

SUPPORTER_ID = "11010519491231002X"


@pytest.fixture
def clerk(regions):
    return make_user("township_clerk", TOWNSHIP_A)


@pytest.fixture
def home(regions):
    return make_household(first_village(TOWNSHIP_A))


def test_add_income_item_and_remove_it(client, clerk, home):
    client.force_login(clerk)
    member = home.members.first()
    response = client.post(
        f"/registry/households/{home.pk}/income/new/",
        {
            "person": member.pk,
            "category": "wage",
            "period": "monthly",
            "amount": "2350.50",
        },
    )
    assert response.status_code == 302
    item = IncomeItem.objects.get()
    assert (item.person_id, item.amount, item.excluded) == (member.pk, Decimal("2350.50"), False)
    assert AuditEvent.objects.filter(action="income.added").count() == 1
    assert (
        client.post(f"/registry/households/{home.pk}/income/{item.pk}/remove/").status_code == 302
    )
    assert IncomeItem.objects.count() == 0
    assert AuditEvent.objects.get(action="income.removed").before["amount"] == "2350.50"


def test_negative_amount_and_foreign_person_are_refused(client, clerk, home):
    client.force_login(clerk)
    stranger = make_household(first_village(TOWNSHIP_A)).members.first()
    negative = client.post(
        f"/registry/households/{home.pk}/income/new/",
        {
            "person": home.members.first().pk,
            "category": "wage",
            "period": "monthly",
            "amount": "-1",
        },
    )
    assert negative.status_code == 422
    assert "金额不能为负数。" in negative.content.decode()
    foreign = client.post(
        f"/registry/households/{home.pk}/income/new/",
        {
            "person": stranger.pk,
            "category": "wage",
            "period": "monthly",
            "amount": "10",
        },
    )
    assert foreign.status_code == 422
    assert IncomeItem.objects.count() == 0
    assert not AuditEvent.objects.filter(action="income.added").exists()


def test_supporter_id_number_is_encrypted_and_masked_in_the_log(client, clerk, home):
    client.force_login(clerk)
    response = client.post(
        f"/registry/households/{home.pk}/supporter/new/",
        {
            "name": "王大伟",
            "supporter_id_number": SUPPORTER_ID.lower(),
            "duty": "elders",
            "relation": "儿子",
            "monthly_income": "5200",
            "condition": "able",
        },
    )
    assert response.status_code == 302
    supporter = Supporter.objects.get()
    assert (supporter.id_number, supporter.household_id) == (SUPPORTER_ID, home.pk)
    event = AuditEvent.objects.get(action="supporter.added")
    assert event.after["id_number"] == "110105********002X"


def test_asset_and_self_care(client, clerk, home):
    client.force_login(clerk)
    assert (
        client.post(
            f"/registry/households/{home.pk}/asset/new/",
            {
                "kind": "vehicle",
                "description": "五菱面包车",
                "value": "18000",
            },
        ).status_code
        == 302
    )
    assert Asset.objects.get().value == Decimal("18000")
    member = home.members.first()
    assert (
        client.post(
            f"/registry/households/{home.pk}/selfcare/new/",
            {
                "person": member.pk,
                "assessed_on": "2024-05-01",
                "eating": "on",
                "bathing": "on",
            },
        ).status_code
        == 302
    )
    assert member.self_care_assessments.get().items_unable == 2


@pytest.mark.parametrize(
    ("role", "region", "status"),
    [
        ("township_clerk", TOWNSHIP_B, 404),
        ("city_viewer", "330100000000", 403),
    ],
)
def test_circumstance_matrix(client, home, role, region, status):
    client.force_login(make_user(role, region))
    response = client.post(
        f"/registry/households/{home.pk}/asset/new/", {"kind": "vehicle", "value": "1"}
    )
    assert response.status_code == status
    assert Asset.objects.count() == 0
