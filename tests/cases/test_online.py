"""Residents online: apply for their own household, authorise the 核对 for themselves, see
their household's cases — and nothing of anyone else's."""

from datetime import date

import pytest

from minzheng.accounts.models import User
from minzheng.audit.models import AuditEvent
from minzheng.cases import online, services
from minzheng.cases.errors import Error
from minzheng.cases.models import Case, Consent
from minzheng.kit.errors import Error as KitError
from minzheng.kit.errors import Forbidden, NotFound
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user
from tests.refusals import refused

TODAY = date(2024, 10, 8)


@pytest.fixture
def resident(household):
    head = household.members.order_by("id").first()
    user = make_user("resident", household.region_id)
    User.objects.filter(pk=user.pk).update(person=head)
    return User.objects.get(pk=user.pk)


def test_a_resident_applies_and_authorises_online(resident, household, people):
    case = online.apply_online(resident, "dibao", TODAY)
    assert (case.household_id, case.channel, case.created_by_id) == (
        household.pk,
        "online",
        resident.pk,
    )
    online.consent_online(resident, case.pk, TODAY)
    consent = Consent.objects.get(case=case)
    assert (consent.person_id, consent.method) == (resident.person_id, "electronic")
    assert services.missing_consents(case) == [household.members.order_by("id")[1].name]
    assert AuditEvent.objects.filter(action="case.submitted", actor=resident).count() == 1
    # the township sees it in its queue and takes it on
    clerk = people["township_clerk"]
    accepted = services.perform(clerk, case.pk, "accept", case.version, TODAY)
    assert accepted.status == "accepted"


def test_a_resident_sees_only_his_household(resident, household, regions):
    other = make_household(first_village(TOWNSHIP_A), members=1)
    clerk = make_user("township_clerk", TOWNSHIP_A)
    theirs = services.apply(clerk, other.pk, "dibao", TODAY)
    mine = online.apply_online(resident, "dibao", TODAY)
    assert online.my_cases(resident) == [mine]
    with pytest.raises(NotFound):
        online.consent_online(resident, theirs.pk, TODAY)
    assert not Consent.objects.filter(case=theirs).exists()
    with pytest.raises(Forbidden):
        services.perform(resident, mine.pk, "accept", mine.version, TODAY)
    assert Case.objects.get(pk=mine.pk).status == "submitted"


def test_an_unlinked_resident_is_told_where_to_go(client, regions):
    user = make_user("resident", first_village(TOWNSHIP_A))
    with refused(Error.RESIDENT_UNLINKED):
        online.apply_online(user, "dibao", TODAY)
    client.force_login(user)
    page = client.get("/me/")
    assert "尚未关联户籍信息" in page.content.decode()
    assert Case.objects.count() == 0


def test_resident_pages(client, resident, household):
    client.force_login(resident)
    assert client.get("/").url == "/me/"
    assert client.get("/registry/households/").status_code == 403
    done = client.post("/me/", {"program": "dibao"})
    assert done.status_code == 302
    case = Case.objects.get()
    page = client.get("/me/").content.decode()
    assert case.number in page, page
    assert "最低生活保障" in page
    client.post(f"/me/cases/{case.pk}/consent/")
    assert Consent.objects.filter(case=case, person_id=resident.person_id).count() == 1
    again = client.post("/me/", {"program": "dibao"})
    assert again.status_code == 422 and "不能重复申请" in again.content.decode()
    assert Case.objects.count() == 1


PDF = b"%PDF-1.4\n%%EOF\n"


def test_attachments_are_checked_stored_and_scoped(people, household, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from minzheng.cases import attachments

    settings.MEDIA_ROOT = tmp_path
    clerk = people["township_clerk"]
    case = services.apply(clerk, household.pk, "dibao", TODAY)
    upload = SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf")
    kept = attachments.attach(clerk, case.pk, upload, "application")
    assert (tmp_path / kept.file.name).read_bytes() == PDF and kept.name == "申请书.pdf"
    assert AuditEvent.objects.filter(action="case.attachment_added").count() == 1
    with refused(KitError.DOCUMENT_CONTENT):
        attachments.attach(clerk, case.pk, SimpleUploadedFile("x.jpg", PDF), "other")
    with pytest.raises(Forbidden):
        attachments.attach(people["county_approver"], case.pk, upload, "other")
    other_clerk = make_user("township_clerk", "330122102000")
    with pytest.raises(NotFound):
        attachments.attachment_for(other_clerk, case.pk, kept.pk)
    assert case.attachments.count() == 1 and len(list(tmp_path.rglob("*.*"))) == 1


def test_attachment_upload_and_download_screens(client, people, household, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    clerk = people["township_clerk"]
    case = services.apply(clerk, household.pk, "dibao", TODAY)
    client.force_login(clerk)
    upload = SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")
    done = client.post(f"/cases/{case.pk}/attachments/", {"kind": "certificate", "file": upload})
    assert done.status_code == 302
    kept = case.attachments.get()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "证明.pdf" in page
    download = client.get(f"/cases/{case.pk}/attachments/{kept.pk}/")
    assert b"".join(download.streaming_content) == PDF
    bad = SimpleUploadedFile("证明.pdf", b"not a pdf", content_type="application/pdf")
    client.post(f"/cases/{case.pk}/attachments/", {"kind": "certificate", "file": bad})
    assert case.attachments.count() == 1
    client.force_login(people["county_approver"])
    refused = client.post(f"/cases/{case.pk}/attachments/", {"kind": "other", "file": upload})
    assert refused.status_code == 403 and case.attachments.count() == 1
