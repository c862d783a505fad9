"""The payment screens: scoped, permissioned, thin over the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minzheng.audit.models import AuditEvent
from minzheng.payments import banking, services
from minzheng.payments.errors import Error
from minzheng.payments.models import Flag, Payroll, RelativeDeclaration
from minzheng.regions.models import Region
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_household, make_user
from tests.payments.conftest import COUNTY, approved, card, generate, release, with_account
from tests.refusals import refused


@pytest.fixture
def two_townships(staff):
    """One paid household in each of two townships; the one in township B has no account."""
    a = make_household(first_village(TOWNSHIP_A), members=2)
    with_account(a.members.get(relation="head"))
    b = make_household(first_village(TOWNSHIP_B), members=2)
    return approved(a, created_by=staff["clerk"]), approved(
        b, amount_fen=50000, created_by=staff["clerk"]
    )


def test_the_maker_generates_from_the_list(client, staff, two_townships):
    client.force_login(staff["maker"])
    page = client.get("/payments/")
    assert page.status_code == 200 and 'id="generate-form"' in page.content.decode()
    response = client.post("/payments/", {"county": COUNTY, "program": "dibao", "month": "2024-11"})
    payroll = Payroll.objects.get()
    assert response.status_code == 302 and response.url == f"/payments/{payroll.pk}/"
    assert (payroll.line_count, payroll.total_fen, payroll.open_flags) == (2, 140000, 1)


def test_a_bad_month_is_shown_on_the_form(client, staff, two_townships):
    client.force_login(staff["maker"])
    response = client.post("/payments/", {"county": COUNTY, "program": "dibao", "month": "2024-13"})
    assert response.status_code == 422 and Payroll.objects.count() == 0
    assert response.context["form"].errors["month"] == ["请按 YYYY-MM 格式填写月份。"]
    assert response.context["form"].errors["month"] == ["请按 YYYY-MM 格式填写月份。"]


@pytest.mark.parametrize(
    ("case", "who", "status"),
    [
        ("anonymous", None, 302),
        ("village worker", ("village_worker", "village"), 403),
        ("approver of another county", ("county_approver", "330127000000"), 404),
        ("township clerk", ("township_clerk", TOWNSHIP_A), 200),
        ("county approver", ("county_approver", COUNTY), 200),
    ],
)
def test_who_sees_a_payroll(client, staff, two_townships, case, who, status):
    Region.objects.create(code="330127000000", name="淳安县", level=3, parent_id="330100000000")
    payroll = generate(staff)
    if who:
        role, region = who
        client.force_login(
            make_user(role, first_village(TOWNSHIP_A) if region == "village" else region)
        )
    assert client.get(f"/payments/{payroll.pk}/").status_code == status


def test_a_township_sees_only_its_own_lines_and_findings(client, staff, two_townships):
    a, b = two_townships
    payroll = generate(staff)
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    page = client.get(f"/payments/{payroll.pk}/")
    assert [line.case_id for line in page.context["page"]] == [a.pk]
    assert page.context["open_flags"] == []
    assert page.context["actions"] == [] and page.context["reconciliation"] is None
    flag = Flag.objects.get(line__case=b)
    response = client.post(
        f"/payments/flags/{flag.pk}/",
        {f"flag{flag.pk}-resolution": "pay", f"flag{flag.pk}-note": "x"},
    )
    assert response.status_code == 404 and Flag.objects.get(pk=flag.pk).status == "open"


def test_the_township_of_the_line_resolves_its_finding(client, staff, two_townships):
    _, b = two_townships
    payroll = generate(staff)
    flag = Flag.objects.get(line__case=b)
    client.force_login(make_user("township_clerk", TOWNSHIP_B))
    prefix = f"flag{flag.pk}"
    response = client.post(
        f"/payments/flags/{flag.pk}/",
        {f"{prefix}-resolution": "hold", f"{prefix}-note": "待补录账户"},
    )
    assert response.status_code == 302 and response.url == f"/payments/{payroll.pk}/"
    assert Payroll.objects.get(pk=payroll.pk).held_count == 1


def test_submit_and_approve_from_the_payroll_page(client, staff, two_townships):
    _, b = two_townships
    payroll = generate(staff)
    flag = Flag.objects.get(line__case=b)
    client.force_login(staff["maker"])
    response = client.post(f"/payments/{payroll.pk}/submit/", {"version": payroll.version})
    assert response.status_code == 409 and "未处理" in response.content.decode()
    client.post(
        f"/payments/flags/{flag.pk}/",
        {f"flag{flag.pk}-resolution": "hold", f"flag{flag.pk}-note": "缺账户"},
    )
    payroll = Payroll.objects.get(pk=payroll.pk)
    assert (
        client.post(f"/payments/{payroll.pk}/submit/", {"version": payroll.version}).status_code
        == 302
    )
    payroll = Payroll.objects.get(pk=payroll.pk)
    assert (
        client.post(f"/payments/{payroll.pk}/approve/", {"version": payroll.version}).status_code
        == 403
    )
    client.force_login(staff["checker"])
    assert (
        client.post(f"/payments/{payroll.pk}/approve/", {"version": payroll.version}).status_code
        == 302
    )
    assert Payroll.objects.get(pk=payroll.pk).status == "released"


def test_bank_file_download_and_returns_import(client, staff, two_townships):
    a, _ = two_townships
    payroll = generate(staff)
    flag = Flag.objects.get(line__payroll=payroll)
    services.resolve_flag(staff["maker"], flag.pk, "hold", "缺账户")
    payroll = release(staff, Payroll.objects.get(pk=payroll.pk))
    client.force_login(staff["maker"])
    assert (
        client.post(f"/payments/{payroll.pk}/batch/", {"version": payroll.version}).status_code
        == 302
    )
    response = client.get(f"/payments/{payroll.pk}/batches/1.csv")
    assert response.status_code == 200 and card(
        a.household.members.get(relation="head").pk
    ) in response.content.decode("utf-8-sig")
    assert response["Content-Disposition"] == f'attachment; filename="{payroll.number}-1.csv"'
    line = payroll.lines.get(case=a)
    upload = SimpleUploadedFile(
        "回盘.csv",
        f"流水号,金额（元）,失败原因\nP{payroll.pk}-{line.pk}-1,900.00,户名不符\n".encode(),
    )
    response = client.post(f"/payments/{payroll.pk}/returns/", {"file": upload})
    file = payroll.return_files.get()
    assert response.status_code == 302 and response.url == f"/payments/returns/{file.pk}/"
    assert client.get(response.url).status_code == 200
    client.force_login(staff["checker"])
    assert client.get(f"/payments/{payroll.pk}/batches/1.csv").status_code == 403
    assert AuditEvent.objects.filter(action="payroll.bank_file_downloaded").count() == 1


def test_funds_recoveries_and_relatives_pages(client, staff, two_townships):
    generate(staff)
    client.force_login(staff["maker"])
    assert client.get("/payments/funds/").status_code == 200
    export = client.get("/payments/funds/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/payments/recoveries/").status_code == 200
    member = two_townships[0].household.members.get(relation="head")
    response = client.post(
        f"/payments/persons/{member.pk}/recovery/",
        {"person_id": member.pk, "kind": "fraud", "amount": "300.00", "reason": "隐瞒收入"},
    )
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    client.force_login(staff["clerk"])
    relative = make_household(first_village(TOWNSHIP_A), members=1).members.get()
    response = client.post(
        "/payments/relatives/",
        {"name": relative.name, "id_number": relative.id_number, "relation": "sibling"},
    )
    assert response.status_code == 302
    assert RelativeDeclaration.objects.get().staff_id == staff["clerk"].pk
    assert relative.id_number not in client.get("/payments/relatives/").content.decode()


def test_the_bank_batch_needs_a_released_payroll(staff, two_townships):
    payroll = generate(staff)
    with refused(Error.BANK_FILE_BEFORE_RELEASE):
        banking.create_batch(staff["maker"], payroll.pk)
