"""Publishing a parameter value: preview count, audit, refusals that change nothing."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minzheng.audit.models import AuditEvent
from minzheng.kit.errors import Error as KitError
from minzheng.regions.models import Region
from minzheng.registry.models import IncomeItem
from minzheng.rules.errors import Error
from minzheng.rules.models import PublishedValue
from minzheng.rules.parameters import resolve
from minzheng.rules.publication import Proposal, effective_tree, preview, publish
from minzheng.rules.screening import screen_facts
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user
from tests.refusals import refused

COUNTY = "330122000000"


def household_with_income(yuan: str, members: int = 1):
    household = make_household(first_village(TOWNSHIP_A), members=members)
    IncomeItem.objects.create(
        person=household.members.first(), category="wage", period="monthly", amount=Decimal(yuan)
    )
    return household


def proposal(amount: str, **changes) -> Proposal:
    fields = {
        "parameter": "dibao.standard",
        "region_code": COUNTY,
        "area": "rural",
        "start": date(2025, 1, 1),
        "value": Decimal(amount),
        "document_number": "桐政办〔2024〕99号",
    }
    fields.update(changes)
    return Proposal(**fields)


@pytest.fixture
def manager(regions):
    return make_user("county_admin", COUNTY)


def test_preview_counts_households_whose_result_would_change(manager):
    # standard 1159 now (shipped example); raising it to 1300 changes:
    household_with_income("1200")  # not 低保 → 低保: changes
    household_with_income("500")  # 低保 already, amount grows: changes
    household_with_income("2000")  # edge (2× 1159 = 2318) either way, not 低保: unchanged
    household_with_income("5000")  # neither before nor after: unchanged
    assert preview(manager, proposal("1300")) == 2
    assert PublishedValue.objects.count() == 0
    assert not AuditEvent.objects.filter(action="parameter.published").exists()


def test_publish_is_audited_and_takes_effect_from_its_date(manager):
    publish(manager, proposal("1300"))
    event = AuditEvent.objects.get(action="parameter.published")
    assert (event.actor_id, event.object_id, event.region_code) == (
        manager.pk,
        "dibao.standard",
        COUNTY,
    )
    assert event.after == {
        "area": "rural",
        "start": "2025-01-01",
        "value": "1300",
        "document_number": "桐政办〔2024〕99号",
        "attachment_sha256": "",
    }
    tree = effective_tree()
    before = resolve(tree["dibao.standard"], date(2024, 12, 31), "330122002200", "rural")
    after = resolve(tree["dibao.standard"], date(2025, 1, 1), "330122002200", "rural")
    assert (before.value, after.value, after.reference) == (
        Decimal("1159"),
        Decimal("1300"),
        "桐政办〔2024〕99号",
    )


@pytest.mark.parametrize(
    ("case", "role", "region", "changes", "error"),
    [
        ("township clerk", "township_clerk", TOWNSHIP_A, {}, Error.PUBLISH_NOT_PERMITTED),
        (
            "other county",
            "county_admin",
            COUNTY,
            {"region_code": "330100000000"},
            Error.PUBLISH_OUT_OF_SCOPE,
        ),
        (
            "negative value",
            "county_admin",
            COUNTY,
            {"value": Decimal("-1")},
            Error.PARAMETER_NEGATIVE,
        ),
        (
            "no 文号",
            "county_admin",
            COUNTY,
            {"document_number": " "},
            Error.DOCUMENT_NUMBER_MISSING,
        ),
        ("area missing", "county_admin", COUNTY, {"area": ""}, Error.PARAMETER_AREA_MISSING),
        (
            "unknown parameter",
            "county_admin",
            COUNTY,
            {"parameter": "x.y"},
            Error.UNKNOWN_PARAMETER,
        ),
        (
            "village level",
            "county_admin",
            COUNTY,
            {"region_code": "330122002200"},
            Error.PUBLISH_REGION_LEVEL,
        ),
    ],
)
def test_refused_publications_change_nothing(regions, case, role, region, changes, error):
    user = make_user(role, region)
    with refused(error):
        publish(user, proposal("1300", **changes))
    assert PublishedValue.objects.count() == 0
    assert not AuditEvent.objects.filter(action="parameter.published").exists()


def test_second_publication_on_the_same_date_is_a_conflict(manager):
    publish(manager, proposal("1300"))
    with refused(Error.ALREADY_PUBLISHED):
        publish(manager, proposal("1400"))
    assert list(PublishedValue.objects.values_list("value", flat=True)) == [Decimal("1300")]


def test_publication_screen_previews_then_publishes(client, manager):
    household_with_income("1200")
    client.force_login(manager)
    form = {
        "parameter": "dibao.standard",
        "region_code": COUNTY,
        "area": "rural",
        "start": "2025-01-01",
        "value": "1300",
        "document_number": "桐政办〔2024〕99号",
    }
    shown = client.post("/rules/parameters/publish/", {**form, "preview": "1"})
    assert (shown.status_code, shown.context["affected"]) == (200, 1)
    assert PublishedValue.objects.count() == 0
    done = client.post("/rules/parameters/publish/", {**form, "publish": "1"})
    assert (done.status_code, done.url) == (302, "/rules/parameters/publish/")
    assert PublishedValue.objects.get().value == Decimal("1300")


def test_publication_screen_is_refused_to_other_roles(client, regions):
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    assert client.get("/rules/parameters/publish/").status_code == 403


def test_preview_counts_changes_in_any_program(manager):
    household = make_household(first_village(TOWNSHIP_A), members=1)  # born 1950: 74 in 2025
    household.members.update(birth_date=date(1940, 3, 1))  # 84: 高龄津贴 at 100 yuan
    household_with_income("5000")  # the other household: born 1950, 74, no allowance
    change = proposal("150", parameter="elderly.amount_80", area="")
    assert preview(manager, change) == 1


CITY = "330100000000"


def test_a_city_manager_publishes_for_the_city_and_its_counties(regions):
    city_manager = make_user("city_admin", CITY)
    publish(
        city_manager, proposal("2.5", parameter="dibao.edge_multiplier", region_code=CITY, area="")
    )
    tree = effective_tree()
    assert resolve(
        tree["dibao.edge_multiplier"], date(2025, 1, 1), "330122002200"
    ).value == Decimal("2.5")
    with refused(Error.PUBLISH_OUT_OF_SCOPE):
        publish(city_manager, proposal("1300", region_code="330000000000"))  # the province
    assert PublishedValue.objects.count() == 1


def test_city_viewer_may_not_publish(regions):
    with refused(Error.PUBLISH_NOT_PERMITTED):
        publish(make_user("city_viewer", CITY), proposal("1300"))
    assert PublishedValue.objects.count() == 0


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_attachment_is_stored_outside_the_web_root_with_its_digest(
    client, manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(manager)
    form = {
        "parameter": "dibao.standard",
        "region_code": COUNTY,
        "area": "rural",
        "start": "2025-01-01",
        "value": "1300",
        "document_number": "桐政办〔2024〕99号",
        "publish": "1",
        "attachment": SimpleUploadedFile("文件.pdf", PDF, content_type="application/pdf"),
    }
    assert client.post("/rules/parameters/publish/", form).status_code == 302
    published = PublishedValue.objects.get()
    assert published.attachment_sha256 == hashlib.sha256(PDF).hexdigest()
    assert (tmp_path / published.attachment.name).read_bytes() == PDF
    download = client.get(f"/rules/parameters/{published.pk}/attachment/")
    assert b"".join(download.streaming_content) == PDF
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    assert client.get(f"/rules/parameters/{published.pk}/attachment/").status_code == 403


def test_an_attachment_that_is_not_what_it_claims_is_refused(manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("文件.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with refused(KitError.DOCUMENT_CONTENT):
        publish(manager, proposal("1300"), fake)
    exe = SimpleUploadedFile("a.exe", PDF)
    with refused(KitError.DOCUMENT_TYPE):
        publish(manager, proposal("1300"), exe)
    assert PublishedValue.objects.count() == 0 and list(tmp_path.rglob("*.*")) == []


def test_the_merged_tree_is_kept_until_a_publication_changes_it(manager):
    # given a tree read before anything was published
    facts = {"region_code": "330122002200", "area_type": "rural", "members": [{}]}
    first = effective_tree()
    assert effective_tree() is first
    assert screen_facts(facts, date(2025, 1, 1))["programs"][0]["amount_fen"] == 115900
    # when a new standard is published, then the next screening uses it
    publish(manager, proposal("1300"))
    second = effective_tree()
    assert second is not first and effective_tree() is second
    assert screen_facts(facts, date(2025, 1, 1))["programs"][0]["amount_fen"] == 130000
    publish(manager, proposal("1400", start=date(2025, 2, 1)))
    assert screen_facts(facts, date(2025, 2, 1))["programs"][0]["amount_fen"] == 140000
    assert screen_facts(facts, date(2025, 1, 1))["programs"][0]["amount_fen"] == 130000


def test_another_county_sees_neither_the_publication_nor_its_attachment(
    client, manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("文件.pdf", PDF, content_type="application/pdf")
    published = publish(manager, proposal("1300"), upload)
    url = f"/rules/parameters/{published.pk}/attachment/"
    Region.objects.create(code="330127000000", name="淳安县", level=3, parent_id="330100000000")
    elsewhere = make_user("county_admin", "330127000000")  # another county of the same city
    client.force_login(elsewhere)
    page = client.get("/rules/parameters/publish/")
    assert list(page.context["published"]) == []
    assert client.get(url).status_code == 404
    city = make_user("city_admin", "330100000000")  # the city sees what its counties publish
    client.force_login(city)
    assert [p.pk for p in client.get("/rules/parameters/publish/").context["published"]] == [
        published.pk
    ]
    download = client.get(url)
    assert (download.status_code, download["Cache-Control"]) == (200, "no-store")
