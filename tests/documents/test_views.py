"""The documents screens: the register, printing, issuing from the case page and the 公示
form; another region's document is not found."""

from datetime import date

import pytest
from django.utils import timezone

from minzheng.documents.models import Document
from tests.factories import TOWNSHIP_B, make_user

OCT12 = date(2024, 10, 12)


@pytest.fixture
def clock(monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return OCT12 if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def test_the_clerk_issues_and_prints_a_publicity_list(
    client, clock, people, household, under_notice
):
    client.force_login(people["township_clerk"])
    page = client.get("/documents/")
    assert page.context["publicity_form"].fields["village"].choices == [
        (household.region_id, "旧县街道旧县村村委会")
    ]
    response = client.post("/documents/publicity/", {"village": household.region_id})
    document = Document.objects.get(kind="publicity")
    assert response.status_code == 302 and response.url == f"/documents/{document.pk}/"
    body = client.get(response.url).content.decode()
    assert 'id="document-number">民公〔2024〕330122-00001号<' in body
    assert "旧县街道旧县村村委会社会救助公示名单" in body and "2024年10月12日" in body
    register = client.get("/documents/?kind=publicity").context["documents"]
    assert [d.number for d in register] == ["民公〔2024〕330122-00001号"]


def test_the_case_page_issues_the_authorisation_form(client, clock, people, under_notice):
    client.force_login(people["township_clerk"])
    page = client.get(f"/cases/{under_notice.pk}/").content.decode()
    assert 'id="consent-form-issue"' in page
    response = client.post(f"/documents/cases/{under_notice.pk}/consent/")
    document = Document.objects.get(kind="consent")
    assert response.url == f"/documents/{document.pk}/"
    body = client.get(response.url).content.decode()
    assert "家庭经济状况核对授权书" in body and "本人签名（捺印）" in body
    page = client.get(f"/cases/{under_notice.pk}/").content.decode()
    assert "民核〔2024〕330122-00001号" in page


def test_a_refused_issue_is_a_message_and_nothing(client, clock, people, under_notice):
    client.force_login(people["township_reviewer"])
    response = client.post(f"/documents/cases/{under_notice.pk}/consent/", follow=True)
    assert "您的角色不能出具核对授权书。" in response.content.decode()
    assert Document.objects.count() == 0


def test_another_regions_document_is_not_found(client, clock, people, household, under_notice):
    client.force_login(people["township_clerk"])
    client.post("/documents/publicity/", {"village": household.region_id})
    document = Document.objects.get()
    client.force_login(make_user("township_clerk", TOWNSHIP_B))
    assert client.get(f"/documents/{document.pk}/").status_code == 404
    assert list(client.get("/documents/").context["documents"]) == []


def test_who_may_open_the_register(client, regions):
    assert client.get("/documents/").status_code == 302
    client.force_login(make_user("bureau_leader", "330122000000"))
    assert client.get("/documents/").status_code == 403
