"""Odd input found by the probe: each was a 500; each is now a 4xx with a Chinese message, and
nothing changes."""

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.rules.models import DecisionSnapshot
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user

HUGE = "9" * 20


@pytest.fixture
def clerk(client, regions):
    user = make_user("township_clerk", TOWNSHIP_A)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "url",
    [
        f"/registry/households/{HUGE}/",
        f"/cases/{HUGE}/",
        f"/rules/households/{HUGE}/screening/",
    ],
)
def test_a_twenty_digit_id_in_a_path_is_not_found(client, clerk, url):
    assert client.get(url).status_code == 404


def test_a_twenty_digit_id_in_a_query_or_the_api_is_refused(client, clerk):
    response = client.get(f"/api/registry/households/{HUGE}")
    assert response.status_code in (400, 404)
    assert response.json()["code"] in ("number_out_of_range", "not_found")
    response = client.get("/cases/new/", {"household": HUGE})  # the apply form, pre-filled
    assert response.status_code < 500


@pytest.mark.parametrize("page", [HUGE, "1" + "0" * 30, "-5", "abc"])
def test_a_huge_or_odd_page_number_is_not_an_error(client, clerk, page):
    make_household(first_village(TOWNSHIP_A))
    assert client.get("/registry/households/", {"page": page}).status_code == 200
    response = client.get("/api/registry/households", {"page": page})
    assert response.status_code in (200, 400, 422), response.content
    if response.status_code != 200:
        assert response.json()["message"]


def test_a_snapshot_on_a_day_no_publication_covers_is_refused(client, regions):
    household = make_household(first_village(TOWNSHIP_A))
    client.force_login(make_user("county_approver", "330122000000"))
    events = AuditEvent.objects.count()
    response = client.post(
        f"/api/rules/households/{household.pk}/snapshots",
        {"as_of": "1990-01-01", "purpose": "审批"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "parameter_not_in_force"
    assert "没有有效值" in response.json()["message"]
    assert (DecisionSnapshot.objects.count(), AuditEvent.objects.count()) == (0, events)


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; charset=x"],
)
@pytest.mark.parametrize("path", ["/registry/import/", "/api/registry/households"])
def test_multipart_without_a_boundary_is_a_bad_request(client, clerk, path, content_type):
    events = AuditEvent.objects.count()
    response = client.generic("POST", path, b"--x\r\n", content_type=content_type)
    assert response.status_code == 400
    assert "缺少分隔符" in response.content.decode()
    assert AuditEvent.objects.count() == events
