"""Spreadsheet import: every error names its row, column and problem; a refused import writes
nothing; a clean one writes exactly the rows. Then reading .csv/.xlsx files, and the web flow
(upload, preview, confirm) with its permission matrix."""

import io
import re
from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from stdnum.cn import ric

from minzheng.audit.models import AuditEvent
from minzheng.kit import crypto
from minzheng.kit.errors import Error as KitError
from minzheng.kit.ids import is_valid_id_number
from minzheng.kit.sheets import LONG_NUMBERS, ROW, UnreadableFile, read_upload
from minzheng.registry import importer
from minzheng.registry.errors import Error
from minzheng.registry.importer import Issue
from minzheng.registry.models import Household, IncomeItem, Person
from minzheng.registry.tabular import HEADERS, to_xlsx
from tests.factories import (
    DEMO_COUNTY,
    TOWNSHIP_A,
    TOWNSHIP_B,
    first_village,
    make_household,
    make_id_number,
    make_user,
)
from tests.refusals import refused

ID_COLUMN = "身份证号码"


@pytest.fixture
def clerk(regions):
    return make_user("township_clerk", TOWNSHIP_A)


@pytest.fixture
def village(regions):
    return first_village(TOWNSHIP_A)


def person(village: str, number: str = "00001", **cells) -> dict:
    """One valid member row of household <village><number>; `cells` override by header."""
    row = {
        "户编号": village + number,
        "村居区划代码": village,
        "家庭地址": "幸福路1号",
        "城乡": "农村",
        "与户主关系": "户主",
        "姓名": "王芳",
        ID_COLUMN: make_id_number(date(1970, 5, 6), "F"),
    }
    return {**row, **cells}


def sheet(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(
        [{h: row.get(h) for h in HEADERS} for row in rows], schema=dict.fromkeys(HEADERS, pl.Utf8)
    )


def family(village: str) -> pl.DataFrame:
    """Two households, three persons, three income items."""
    return sheet(
        person(village, 姓名="李建国", 手机号码="13912345678", 开户银行="农商银行",
               银行账号="6228480012345678", 月工资性收入="1500.5", 月转移净收入="200"),
        person(village, 与户主关系="配偶", 姓名="陈秀英",
               身份证号码=make_id_number(date(1972, 1, 2), "F"), 残疾类别="肢体", 残疾等级="2",
               劳动能力="无", 是否共同生活="否", 不计入家庭成员情形="服刑"),
        person(village, "00002", 家庭地址="富春路8号", 城乡="城镇", 姓名="赵磊",
               户籍区划代码="330122", 户籍地址="桐庐县城南街道",
               身份证号码=make_id_number(date(2008, 9, 1), "M"), 在学情况="高中",
               月其他收入="0.05"),
    )  # fmt: skip


def counts() -> tuple[int, int, int, int]:
    return (
        Household.objects.count(),
        Person.objects.count(),
        IncomeItem.objects.count(),
        AuditEvent.objects.count(),
    )


def errors_of(frame: pl.DataFrame, user) -> list[Issue]:
    return importer.preview(frame, user).errors


# ---- a clean file -----------------------------------------------------------------------------


def test_clean_file_previews_its_counts_without_writing(clerk, village):
    before = counts()
    result = importer.preview(family(village), clerk)
    assert (result.households, result.persons, result.incomes) == (2, 3, 3)
    assert (result.errors, result.warnings, result.ok) == ([], [], True)
    assert counts() == before


def test_import_writes_exactly_the_rows(clerk, village):
    frame = family(village)
    loaded = importer.run_import(frame, clerk, source_name="村民花名册.xlsx")
    assert (loaded.households, loaded.persons, loaded.incomes) == (2, 3, 3)
    head = Person.objects.get(name="李建国")
    assert (head.id_number, head.sex, head.birth_date) == (
        frame[ID_COLUMN][0],
        "F",
        date(1970, 5, 6),
    )
    assert (head.phone, head.bank_name, head.bank_account) == (
        "13912345678", "农商银行", "6228480012345678",
    )  # fmt: skip
    assert head.id_number_index == crypto.blind_index(frame[ID_COLUMN][0], "id_number")
    assert (head.household.number, head.region_id, head.relation) == (
        village + "00001", village, "head",
    )  # fmt: skip
    assert (head.co_resident, head.labour_capacity, head.employed) == (True, "full", False)
    incomes = sorted(head.incomes.values_list("category", "period", "amount", "excluded"))
    assert incomes == [
        ("transfer", "monthly", Decimal("200.00"), False),
        ("wage", "monthly", Decimal("1500.50"), False),
    ]
    spouse = Person.objects.get(name="陈秀英")
    assert (spouse.disability_category, spouse.disability_grade, spouse.labour_capacity) == (
        "physical", 2, "none",
    )  # fmt: skip
    assert (spouse.co_resident, spouse.exclusion) == (False, "imprisoned")
    pupil = Person.objects.get(name="赵磊")
    assert (pupil.sex, pupil.student_status, pupil.household.area_type) == ("M", "senior", "urban")
    assert (pupil.household.hukou_region_id, pupil.household.hukou_address) == (
        "330122000000", "桐庐县城南街道",
    )  # fmt: skip
    assert (head.household.hukou_region_id, head.household.hukou_address) == (None, "")
    assert list(pupil.incomes.values_list("amount", flat=True)) == [Decimal("0.05")]
    event = AuditEvent.objects.get(action="registry.imported")
    assert (event.actor_id, event.region_code) == (clerk.pk, TOWNSHIP_A)
    assert event.after == {"file": "村民花名册.xlsx", "households": 2, "persons": 3, "incomes": 3}


def test_refused_import_writes_nothing_and_carries_every_error(clerk, village):
    frame = family(village).with_columns(
        pl.when(pl.col("姓名") == "赵磊").then(None).otherwise(pl.col("姓名")).alias("姓名")
    )
    before = counts()
    with refused(Error.IMPORT_REJECTED) as caught:
        importer.run_import(frame, clerk, source_name="x.xlsx")
    assert caught.value.errors == [Issue(4, "姓名", "必填项未填写。")]
    assert caught.value.message == Error.IMPORT_REJECTED.text(count=1)
    assert counts() == before


def test_template_example_row_is_skipped_with_a_warning(clerk, village):
    example = person(village, 户编号="示例（导入时忽略此行）", 姓名="张三")
    result = importer.preview(sheet(example, person(village)), clerk)
    assert (result.errors, result.persons) == ([], 1)
    assert result.warnings == [Issue(2, "户编号", "模板示例行，已忽略。")]


# ---- identity numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("33012219700506002", "身份证号码应为18位（或旧版15位），实际为17位。"),
        ("33012219700506002Y", "身份证号码只能包含数字，最后一位可以是 X。"),
        ("330122197005060022", "身份证号码校验位不正确，请核对是否录入有误。"),
        ("330122197002300026", "身份证号码中的出生日期无效。"),
    ],
)
def test_invalid_id_numbers_are_named_by_row_and_problem(clerk, village, raw, message):
    frame = sheet(person(village, 身份证号码=raw))
    assert errors_of(frame, clerk) == [Issue(2, ID_COLUMN, message)]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1.10105E+17", KitError.ID_EXCEL_MANGLED),
        ("1,10105e17", KitError.ID_EXCEL_MANGLED),
        ("", KitError.ID_MISSING),
        ("  ", KitError.ID_MISSING),
        ("990101197005060021", KitError.ID_REGION),
    ],
)
def test_id_numbers_excel_changed_blank_or_of_no_province_say_so(clerk, village, raw, code):
    body = raw[:17]
    if code is KitError.ID_REGION:  # a right check digit, so the province is what is wrong
        raw = body + ric.calc_check_digit(body + "0")
    frame = sheet(person(village, 身份证号码=raw))
    assert errors_of(frame, clerk) == [Issue(2, ID_COLUMN, code.text())]


def test_a_county_code_created_after_the_birth_date_is_imported(clerk, village):
    """110118 密云区 dates from 2015: a child born there in 2010 carries its code."""
    body = "11011820100101001"
    number = body + ric.calc_check_digit(body + "0")
    frame = sheet(person(village, 身份证号码=number))
    assert importer.preview(frame, clerk).errors == []


def test_fifteen_digit_id_is_upgraded_with_a_warning(clerk, village):
    frame = sheet(person(village, 身份证号码="330122700506002"))
    result = importer.preview(frame, clerk)
    assert result.errors == []
    assert result.warnings == [
        Issue(2, ID_COLUMN, "15位旧身份证号码已升级为18位：330122********0021。")
    ]
    importer.run_import(frame, clerk, source_name="old.csv")
    assert Person.objects.get().id_number == "330122197005060021"


def test_full_width_digits_and_spaces_are_normalised_silently(clerk, village):
    number = make_id_number(date(1980, 1, 1), "M")
    messy = (
        " "
        + number[:6]
        + " "
        + number[6:14].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        + number[14:]
        + "\u3000"
    )
    frame = sheet(person(village, 身份证号码=messy, 月工资性收入="１,２00．5"))
    result = importer.preview(frame, clerk)
    assert (result.errors, result.warnings) == ([], [])
    importer.run_import(frame, clerk, source_name="messy.xlsx")
    stored = Person.objects.get()
    assert stored.id_number == number
    assert stored.incomes.get().amount == Decimal("1200.50")


def test_same_id_twice_in_the_file_names_both_rows(clerk, village):
    number = make_id_number(date(1990, 2, 3), "M")
    frame = sheet(person(village), person(village, 与户主关系="子女", 身份证号码=number),
                  person(village, "00002", 身份证号码=number))  # fmt: skip
    message = "身份证号码在文件中重复出现（第3、4行）。"
    assert errors_of(frame, clerk) == [Issue(3, ID_COLUMN, message), Issue(4, ID_COLUMN, message)]


def test_id_already_registered_in_scope_names_the_household(clerk, village):
    existing = make_household(village, members=1)
    number = existing.members.get().id_number
    frame = sheet(person(village, "00009", 身份证号码=number))
    message = f"该身份证号码已登记在户 {existing.number}，同一人只能属于一个家庭。"
    assert errors_of(frame, clerk) == [Issue(2, ID_COLUMN, message)]


def test_id_registered_in_another_region_is_not_named(clerk, village):
    elsewhere = make_household(first_village(TOWNSHIP_B), members=1)
    frame = sheet(person(village, 身份证号码=elsewhere.members.get().id_number))
    message = "该身份证号码已在其他地区登记，请联系上级民政部门核实。"
    assert errors_of(frame, clerk) == [Issue(2, ID_COLUMN, message)]


def test_vectorised_id_check_agrees_with_parse_id_number(clerk, village):
    """Mutated valid numbers (a digit changed, a day pushed past month end) are judged the same
    way by the whole-column check as by kit.ids, one number at a time."""
    base = [make_id_number(date(1930 + i, 1 + i % 12, 1 + i % 28), "MF"[i % 2]) for i in range(40)]
    variants = base + [n[:9] + str((int(n[9]) + 3) % 10) + n[10:] for n in base]
    variants += [n[:12] + "3" + n[13:] for n in base] + ["990122" + base[0][6:]]
    rows = [person(village, f"{i:05d}", 身份证号码=n) for i, n in enumerate(variants, start=1)]
    flagged = {e.row for e in errors_of(sheet(*rows), clerk) if e.column == ID_COLUMN}
    expected = {i + 2 for i, n in enumerate(variants) if not is_valid_id_number(n)}
    assert flagged == expected
    assert len(expected) > 40


# ---- regions and households -------------------------------------------------------------------


def test_region_codes_unknown_not_a_village_or_outside_the_region(clerk, village):
    away = first_village(TOWNSHIP_B)
    frame = sheet(
        person(village[:9] + "999", 村居区划代码=village[:9] + "999"),
        person(TOWNSHIP_A, "00002", 村居区划代码=TOWNSHIP_A,
               身份证号码=make_id_number(date(1961, 1, 1), "M")),
        person(away, "00003", 身份证号码=make_id_number(date(1962, 1, 1), "M")),
        person(village, "00004", 户籍区划代码="110999",
               身份证号码=make_id_number(date(1963, 1, 1), "M")),
        person(village, "00005", 村居区划代码=village[:10], 户籍区划代码="3301",
               身份证号码=make_id_number(date(1964, 1, 1), "M")),
    )  # fmt: skip
    assert errors_of(frame, clerk) == [
        Issue(2, "村居区划代码", f"区划代码 {village[:9]}999 不存在。"),
        Issue(3, "村居区划代码", f"{TOWNSHIP_A}（旧县街道）不是村（居）级区划代码。"),
        Issue(4, "村居区划代码", f"{away}（{region_name(away)}）不在您的管辖范围内。"),
        Issue(5, "户籍区划代码", "区划代码 110999 不存在。"),
        Issue(6, "村居区划代码", "村居区划代码应为12位数字。"),
        Issue(6, "户籍区划代码", "户籍区划代码应为6、9或12位数字。"),
    ]


def region_name(code: str) -> str:
    from minzheng.regions.models import Region

    return Region.objects.get(code=code).name


def test_household_number_must_extend_its_village_code(clerk, village):
    frame = sheet(person(village, 户编号="H-001"), person(village, 户编号=village[:-1] + "900001",
                  身份证号码=make_id_number(date(1961, 1, 1), "M")))  # fmt: skip
    message = "户编号应为本户村居区划代码（12位）后接1至8位数字。"
    assert errors_of(frame, clerk) == [Issue(2, "户编号", message), Issue(3, "户编号", message)]


def test_household_number_already_in_the_registry(clerk, village):
    existing = make_household(village, members=1)
    frame = sheet(person(village, existing.number[12:]))
    message = f"户编号 {existing.number} 已存在，不能重复导入。"
    assert errors_of(frame, clerk) == [Issue(2, "户编号", message)]


def test_households_need_exactly_one_head(clerk, village):
    number = village + "00002"
    frame = sheet(
        person(village, 与户主关系="配偶"),
        person(village, "00002", 身份证号码=make_id_number(date(1961, 1, 1), "M")),
        person(village, "00002", 身份证号码=make_id_number(date(1962, 1, 1), "F")),
    )
    many = f"户 {number} 有多名户主（第3、4行），每户只能有一名户主。"
    assert errors_of(frame, clerk) == [
        Issue(2, "与户主关系", f"户 {village}00001 没有户主，每户应有且只有一名户主。"),
        Issue(3, "与户主关系", many),
        Issue(4, "与户主关系", many),
    ]


def test_household_columns_must_agree_between_member_rows(clerk, village):
    frame = sheet(
        person(village),
        person(village, 与户主关系="子女", 家庭地址="幸福路2号", 城乡="城镇",
               身份证号码=make_id_number(date(1995, 1, 1), "M")),
    )  # fmt: skip
    message = "与同户第2行不一致，同一户的家庭信息应相同。"
    assert errors_of(frame, clerk) == [Issue(3, "家庭地址", message), Issue(3, "城乡", message)]


# ---- cells ------------------------------------------------------------------------------------


def test_missing_required_cells(clerk, village):
    frame = sheet(person(village, 姓名=None, 家庭地址="  "), person(village, "00002", 城乡=None,
                  与户主关系=None, 身份证号码=None))  # fmt: skip
    assert errors_of(frame, clerk) == [
        Issue(2, "家庭地址", "必填项未填写。"),
        Issue(2, "姓名", "必填项未填写。"),
        Issue(3, "城乡", "必填项未填写。"),
        Issue(3, "与户主关系", "必填项未填写。"),
        Issue(3, "与户主关系", f"户 {village}00002 没有户主，每户应有且只有一名户主。"),
        Issue(3, ID_COLUMN, KitError.ID_MISSING.text()),
    ]


def test_unknown_choice_values(clerk, village):
    frame = sheet(person(village, 城乡="乡村", 与户主关系="户主", 残疾类别="听觉", 残疾等级="1",
                         是否就业="Y", 在学情况="研究生"))  # fmt: skip
    assert errors_of(frame, clerk) == [
        Issue(2, "城乡", "“乡村”不是有效值，应为：城镇、农村。"),
        Issue(2, "残疾类别", "“听觉”不是有效值，应为：视力、听力、言语、肢体、智力、精神、多重。"),
        Issue(2, "是否就业", "“Y”不是有效值，应为：是、否。"),
        Issue(2, "在学情况", "“研究生”不是有效值，应为：学前、小学、初中、高中、中职、大学。"),
    ]


def test_bad_numbers(clerk, village):
    frame = sheet(person(village, 月工资性收入="-100", 月经营净收入="三百", 月财产净收入="12.345",
                         月其他收入="123456789012", 残疾类别="视力", 残疾等级="5",
                         手机号码="12345", 银行账号="62-28", 开户银行="农商银行"))  # fmt: skip
    assert errors_of(frame, clerk) == [
        Issue(2, "手机号码", "手机号码应为以1开头的11位数字。"),
        Issue(2, "残疾等级", "残疾等级应为1至4的整数。"),
        Issue(2, "银行账号", "银行账号应为6至32位数字。"),
        Issue(2, "月工资性收入", "金额不能为负数。"),
        Issue(2, "月经营净收入", "“三百”不是有效的金额。"),
        Issue(2, "月财产净收入", "金额最多保留两位小数。"),
        Issue(2, "月其他收入", "金额过大。"),
    ]


def test_paired_cells_and_lengths(clerk, village):
    frame = sheet(person(village, 残疾等级="3", 银行账号="6228480012345678", 姓名="张" * 51))
    assert errors_of(frame, clerk) == [
        Issue(2, "姓名", "内容过长，最多50个字符。"),
        Issue(2, "残疾类别", "填写残疾等级时须同时填写残疾类别。"),
        Issue(2, "开户银行", "填写银行账号时须同时填写开户银行。"),
    ]


def test_missing_columns_and_unknown_columns(clerk, village):
    frame = sheet(person(village)).drop("姓名", "城乡").with_columns(pl.lit("x").alias("备注"))
    result = importer.preview(frame, clerk)
    assert result.errors == [Issue(1, "城乡", "缺少必需的列。"), Issue(1, "姓名", "缺少必需的列。")]
    assert result.warnings == [Issue(1, "备注", "未识别的列，已忽略。")]


# ---- who may import ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "region"),
    [
        ("village_worker", "village"),
        ("township_reviewer", TOWNSHIP_A),
        ("county_approver", DEMO_COUNTY),
    ],
)
def test_roles_without_the_import_permission_are_refused(regions, village, role, region):
    user = make_user(role, village if region == "village" else region)
    before = counts()
    with refused(Error.IMPORT_NOT_PERMITTED):
        importer.run_import(sheet(person(village)), user, source_name="x.csv")
    assert counts() == before


def test_other_townships_clerk_cannot_import_into_our_villages(regions, village):
    other = make_user("township_clerk", TOWNSHIP_B)
    before = counts()
    with refused(Error.IMPORT_REJECTED) as caught:
        importer.run_import(sheet(person(village)), other, source_name="x.csv")
    name = region_name(village)
    assert caught.value.errors == [
        Issue(2, "村居区划代码", f"{village}（{name}）不在您的管辖范围内。")
    ]
    assert counts() == before


def test_command_line_operator_is_confined_to_the_named_county(regions, village):
    with refused(Error.IMPORT_NEEDS_REGION):
        importer.preview(sheet(person(village)), None)
    outside = importer.preview(sheet(person(village)), None, operator_region="330102000000")
    assert [e.message for e in outside.errors] == [
        f"{village}（{region_name(village)}）不在您的管辖范围内。"
    ]
    loaded = importer.run_import(
        sheet(person(village)), None, source_name="demo", operator_region="330122000000"
    )
    assert loaded.persons == 1
    event = AuditEvent.objects.get(action="registry.imported")
    assert (event.actor_id, event.reason, event.region_code) == (
        None,
        "命令行操作员导入",
        "330122000000",
    )


# ---- reading files ----------------------------------------------------------------------------


def csv_text(frame: pl.DataFrame) -> str:
    lines = [",".join(frame.columns)]
    lines += [",".join(v or "" for v in row) for row in frame.iter_rows()]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_is_read_in_utf8_or_gbk_and_keeps_row_numbers(clerk, village, encoding):
    rows = family(village)
    text = csv_text(rows).replace("\r\n", "\r\n,,,\r\n\r\n", 1)  # blank rows after the header
    frame = read_upload("家庭.CSV", text.encode(encoding))
    assert frame[ROW].to_list() == [4, 5, 6]
    assert frame.drop(ROW).select(HEADERS).equals(rows)
    assert importer.preview(frame, clerk).errors == []


def test_xlsx_cells_are_all_read_as_text(village):
    """Numbers come back as their digits; a 17-digit number typed as a number has already lost
    its last digits in Excel (15 significant digits), which the checks then report."""
    workbook = Workbook()
    sheet = workbook.active
    number = make_id_number(date(1966, 6, 6), "M")
    sheet.append(["户编号", "姓名", ID_COLUMN, "手机号码", "残疾等级", "月工资性收入", "是否就业"])
    sheet.append([village + "00001", " 李四 ", number, 13912345678, 2, 1500.5, True])
    sheet.append([])
    sheet.append([int(village + "00002"), "王五", None, None, None, 800, None])
    data = io.BytesIO()
    workbook.save(data)
    frame = read_upload("book.xlsx", data.getvalue())
    assert frame.to_dicts() == [
        {"户编号": village + "00001", "姓名": "李四", ID_COLUMN: number, "手机号码": "13912345678",
         "残疾等级": "2", "月工资性收入": "1500.5", "是否就业": "是", LONG_NUMBERS: [], ROW: 2},
        {"户编号": village + "00000", "姓名": "王五", ID_COLUMN: None, "手机号码": None,
         "残疾等级": None, "月工资性收入": "800", "是否就业": None, LONG_NUMBERS: ["户编号"],
         ROW: 4},
    ]  # fmt: skip


def test_long_numbers_typed_as_numbers_in_excel_are_refused(clerk, village):
    """A 19-digit bank account typed as a number reads back with other digits: never import it."""
    row = person(village, 开户银行="农商银行", 身份证号码="330122197005060021")
    rows = [HEADERS, [row.get(h) for h in HEADERS]]
    rows[1][HEADERS.index("银行账号")] = 6228480012345678901
    rows[1][HEADERS.index(ID_COLUMN)] = int(row[ID_COLUMN])
    frame = read_upload("book.xlsx", xlsx_bytes(rows))
    message = (
        "该单元格是数字格式，Excel 只保留15位有效数字，末尾数字已丢失；"
        "请将该列设为文本格式后重新录入。"
    )
    errors = errors_of(frame, clerk)
    assert [e for e in errors if e.column in (ID_COLUMN, "银行账号")] == [
        Issue(2, ID_COLUMN, KitError.ID_EXCEL_MANGLED.text()),  # once, in the ID check's words
        Issue(2, "银行账号", message),
    ]
    before = counts()
    with refused(Error.IMPORT_REJECTED):
        importer.run_import(frame, clerk, source_name="book.xlsx")
    assert counts() == before


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.xls", b"x", KitError.UPLOAD_TYPE),
        ("a.xlsx", b"not a zip", KitError.WORKBOOK_UNREADABLE),
        ("a.csv", "姓名,户编号,姓名\r\n".encode(), KitError.REPEATED_COLUMNS),
        ("a.csv", b"", KitError.EMPTY_FILE),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, data, code):
    with pytest.raises(UnreadableFile) as caught:
        read_upload(name, data)
    assert caught.value.error_code is code


# ---- the web flow -----------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, frame: pl.DataFrame, name: str = "家庭.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = to_xlsx(frame.select(HEADERS).iter_rows())
    return client.post("/registry/import/", {"file": SimpleUploadedFile(name, content)})


def token_of(response) -> str:
    assert response.status_code == 302
    return re.fullmatch(r"/registry/import/([0-9a-f-]{36})/", response.url).group(1)


def test_anonymous_is_sent_to_sign_in(client, regions):
    response = client.get("/registry/import/")
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/registry/import/")


def test_village_worker_may_not_import(client, village, media):
    client.force_login(make_user("village_worker", village))
    before = counts()
    assert client.get("/registry/import/").status_code == 403
    assert upload(client, family(village)).status_code == 403
    assert client.get("/registry/import/template.xlsx").status_code == 403
    assert (counts(), list(media.iterdir())) == (before, [])


def test_clerk_uploads_previews_and_confirms(client, clerk, village, media):
    client.force_login(clerk)
    token = token_of(upload(client, family(village)))
    assert sorted(p.name for p in (media / "imports").iterdir()) == [token, token + ".json"]
    page = client.get(f"/registry/import/{token}/")
    result = page.context["result"]
    assert (page.status_code, result.households, result.persons, result.errors) == (200, 2, 3, [])
    assert 'id="confirm-import"' in page.content.decode()
    done = client.post(f"/registry/import/{token}/")
    assert (done.status_code, done.url) == (302, "/registry/households/")
    assert (Household.objects.count(), Person.objects.count(), IncomeItem.objects.count()) == (
        2,
        3,
        3,
    )
    assert AuditEvent.objects.get(action="registry.imported").after["file"] == "家庭.xlsx"
    assert list((media / "imports").iterdir()) == []
    shown = client.get("/registry/households/")
    message = gettext(
        "Imported %(households)s households, %(persons)s persons and %(incomes)s income items."
    ) % {"households": 2, "persons": 3, "incomes": 3}
    assert message in shown.content.decode()


def test_other_townships_clerk_sees_the_errors_and_cannot_confirm(client, village, media):
    client.force_login(make_user("township_clerk", TOWNSHIP_B))
    token = token_of(upload(client, family(village)))
    page = client.get(f"/registry/import/{token}/")
    html = page.content.decode()
    assert len(page.context["result"].errors) == 2
    assert "不在您的管辖范围内" in html and 'id="confirm-import"' not in html
    before = counts()
    rejected = client.post(f"/registry/import/{token}/")
    assert rejected.status_code == 422
    assert [e.row for e in rejected.context["result"].errors] == [2, 4]
    assert counts() == before
    problems = client.get(f"/registry/import/{token}/problems.csv").content.decode("utf-8-sig")
    assert problems.splitlines()[:2] == [
        "类型,行,列,问题",
        f"错误,2,村居区划代码,{village}（{region_name(village)}）不在您的管辖范围内。",
    ]


def test_unreadable_upload_is_explained_on_the_preview_page(client, clerk, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(clerk)
    sent = client.post("/registry/import/", {"file": SimpleUploadedFile("坏.xlsx", b"PK broken")})
    page = client.get(f"/registry/import/{token_of(sent)}/")
    assert (page.status_code, page.context["problem"]) == (
        422, "无法读取该 Excel 文件，请确认是未加密的 .xlsx 文件。",
    )  # fmt: skip
    assert 'id="confirm-import"' not in page.content.decode()


def test_someone_elses_upload_is_not_found(client, clerk, village, media):
    client.force_login(clerk)
    token = token_of(upload(client, family(village)))
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    before = counts()
    assert client.get(f"/registry/import/{token}/").status_code == 404
    assert client.post(f"/registry/import/{token}/").status_code == 404
    assert counts() == before


def test_upload_form_refuses_other_types_and_files_over_20_mb(client, clerk, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(clerk)
    wrong = client.post("/registry/import/", {"file": SimpleUploadedFile("a.xls", b"x")})
    big = SimpleUploadedFile("a.csv", b"x" * (20 * 1024 * 1024 + 1))
    too_big = client.post("/registry/import/", {"file": big})
    assert wrong.context["form"].errors == {
        "file": [gettext("Only .xlsx and .csv files can be imported.")]
    }
    assert too_big.context["form"].errors == {"file": [gettext("The file is larger than 20 MB.")]}
    assert list(media.iterdir()) == []


def test_template_has_the_headers_an_example_and_the_users_villages(client, clerk, village):
    client.force_login(clerk)
    response = client.get("/registry/import/template.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="household-template.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    people, villages = book.worksheets
    assert [c.value for c in people[1]] == HEADERS
    assert people["A2"].value == "示例（导入时忽略此行）"
    codes = [row[0] for row in villages.iter_rows(min_row=2, values_only=True)]
    assert codes[0] == village and all(c.startswith(TOWNSHIP_A[:9]) for c in codes)
    frame = read_upload("template.xlsx", response.content)
    assert importer.preview(frame, clerk).warnings == [Issue(2, "户编号", "模板示例行，已忽略。")]
