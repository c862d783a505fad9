"""Reading department files: formats and headers, the files refused whole, and the rows
quarantined with their spreadsheet row number while the valid rows are kept, typed."""

import io
from datetime import date, datetime

import polars as pl
import pytest
from openpyxl import Workbook
from stdnum.cn import ric

from minzheng.kit.errors import Error as KitError
from minzheng.monitoring.errors import Error
from minzheng.monitoring.feeds import feed
from minzheng.monitoring.reading import FeedRefused, Problem, read_feed, validate
from tests.refusals import refused

TODAY = date(2024, 6, 1)
ID_MISSING, ID_EXCEL_MANGLED, ID_REGION = (
    KitError.ID_MISSING,
    KitError.ID_EXCEL_MANGLED,
    KitError.ID_REGION,
)
A, B, C = "330122199001010018", "330122198505120021", "330122197003150031"
MASKED_A, MASKED_B = "330122********0018", "330122********0021"
LABELS = "身份证号,姓名,近12个月医疗总费用,近12个月个人自付累计,大病或慢特病"
ROWS = (f'{A},张三,"1,234.5",100,是', f"{B},李四,0.05,12.30,")
TYPED = [
    {"_row": 2, "id_number": A, "name": "张三", "total": 123450, "self_paid": 10000,
     "major_illness": "yes"},
    {"_row": 3, "id_number": B, "name": "李四", "total": 5, "self_paid": 1230,
     "major_illness": None},
]  # fmt: skip
SCHEMA = {
    "_row": pl.Int64,
    "id_number": pl.Utf8,
    "name": pl.Utf8,
    "total": pl.Int64,
    "self_paid": pl.Int64,
    "major_illness": pl.Utf8,
}


def csv_of(header: str, *rows: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def read(content: bytes, name: str = "f.csv", code: str = "medical"):
    return read_feed(feed(code), name, content, TODAY)


def raw(**columns: list[str | None]) -> pl.DataFrame:
    """A frame as validate receives it: text columns by code, rows numbered from 2."""
    count = len(next(iter(columns.values())))
    schema = {"_row": pl.Int64, **dict.fromkeys(columns, pl.Utf8)}
    return pl.DataFrame({"_row": list(range(2, count + 2)), **columns}, schema=schema)


# ---- formats and headers -------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_a_csv_file_in_each_encoding_gives_typed_rows(encoding):
    result = read(csv_of(LABELS, *ROWS, encoding=encoding))
    assert result.frame.to_dicts() == TYPED
    assert result.frame.schema == SCHEMA
    assert (result.problems, result.rows_total) == ((), 2)


def test_headers_may_be_codes_or_labels_with_spaces():
    header = "id_number, 姓 名 , total ,近12个月 个人自付累计,major_illness"
    result = read(csv_of(header, *ROWS))
    assert (result.frame.to_dicts(), result.problems) == (TYPED, ())


def test_an_xlsx_file_keeps_spreadsheet_row_numbers_past_a_blank_row():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(LABELS.split(","))
    sheet.append([A, "张三", 1234.5, 100, "是"])
    sheet.append([None, None, None, None, None])
    sheet.append([B, "李四", 0.05, "12.30", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read(buffer.getvalue(), "f.xlsx")
    assert result.frame.to_dicts() == [TYPED[0], {**TYPED[1], "_row": 4}]
    assert (result.problems, result.rows_total) == ((), 2)


def test_a_parquet_file_is_read_with_its_numbers_and_booleans_as_text():
    frame = pl.DataFrame(
        {
            "身份证号": [A, B],
            "name": ["张三", "李四"],
            "近12个月医疗总费用": [1234.5, 0.05],
            "self_paid": [100.0, 12.3],
            "major_illness": [True, None],
        }
    )
    result = read(_parquet(frame), "f.parquet")
    assert result.frame.to_dicts() == TYPED
    assert (result.problems, result.rows_total) == ((), 2)


def test_a_parquet_timestamp_at_midnight_is_a_date():
    frame = pl.DataFrame({"身份证号": [A], "姓名": ["张三"], "死亡日期": [datetime(2024, 5, 3)]})
    result = read(_parquet(frame), "f.parquet", code="deaths")
    assert result.frame.to_dicts() == [
        {"_row": 2, "id_number": A, "name": "张三", "died_on": date(2024, 5, 3)}
    ]


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def test_id_numbers_are_normalised_in_the_frame():
    result = read(csv_of(LABELS, " 330122 1990010100 18 ,张三,1,1,", "330122901010001,李四,1,1,"))
    assert result.frame["id_number"].to_list() == [A, "330122199010100015"]


def test_an_absent_optional_column_is_a_typed_null_column():
    result = validate(
        feed("medical"), raw(id_number=[A], name=["张三"], total=["1"], self_paid=["2"]), TODAY
    )
    assert result.frame.to_dicts() == [
        {"_row": 2, "id_number": A, "name": "张三", "total": 100, "self_paid": 200,
         "major_illness": None}
    ]  # fmt: skip
    assert result.frame.schema == SCHEMA


@pytest.mark.parametrize(
    ("text", "fen"),
    [("1,234.5", 123450), ("1234.50", 123450), ("1,234,567.89", 123456789), ("0.05", 5),
     ("12", 1200), ("007", 700), ("999999999999999.99", 99999999999999999)],
)  # fmt: skip
def test_money_is_integer_fen(text, fen):
    result = validate(
        feed("medical"), raw(id_number=[A], name=["张三"], total=[text], self_paid=["0"]), TODAY
    )
    assert result.frame["total"].to_list() == [fen]


@pytest.mark.parametrize("text", ["2024-01-05", "2024/1/5", "20240105", "2024-1-05"])
def test_dates_in_each_accepted_format(text):
    result = validate(feed("deaths"), raw(id_number=[A], name=["张三"], died_on=[text]), TODAY)
    assert result.frame["died_on"].to_list() == [date(2024, 1, 5)]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("0085.50", "85.5"), ("1,200.00", "1200"), ("0.05", "0.05"), ("7", "7"), ("0", "0")],
)
def test_decimals_are_kept_as_canonical_text(text, canonical):
    result = validate(feed("real_estate"), estate(area=text), TODAY)
    assert result.frame["area"].to_list() == [canonical]


def estate(area: str) -> pl.DataFrame:
    return raw(
        id_number=[A], name=["张三"], certificate=["浙(2024)1号"], area=[area],
        registered_on=["2020-01-01"],
    )  # fmt: skip


def test_a_choice_may_be_given_by_its_code():
    result = read(csv_of(LABELS, f"{A},张三,1,1,no"))
    assert result.frame["major_illness"].to_list() == ["no"]


# ---- files refused whole -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("f.csv", csv_of("身份证号,姓名,近12个月医疗总费用", f"{A},张三,1"), Error.FEED_COLUMNS),
        ("f.csv", csv_of(LABELS + ",备注", f"{A},张三,1,1,是,无"), Error.FEED_COLUMNS),
        ("f.csv", csv_of("身份证号,姓名,死亡日期", f"{A},张三,2024-05-03"), Error.FEED_COLUMNS),
        ("f.csv", csv_of("身份证号,姓名,id_number,total,self_paid", f"{A},张三,{A},1,1"),
         Error.FEED_COLUMN_TWICE),
        ("f.csv", csv_of(LABELS), Error.FEED_EMPTY),
        ("f.csv", csv_of(LABELS, ",,,,", " , ,,,"), Error.FEED_EMPTY),
        ("f.csv", b"", Error.FEED_UNREADABLE),
        ("f.csv", b"\xff\xfe\xfd", Error.FEED_UNREADABLE),
        ("f.xlsx", b"not a workbook", Error.FEED_UNREADABLE),
        ("f.parquet", b"not parquet", Error.FEED_UNREADABLE),
        ("f.txt", csv_of(LABELS, *ROWS), Error.FEED_FILE_TYPE),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_this_feed_is_refused_whole(name, content, code):
    outcome = None
    with refused(code) as refusal:
        outcome = read(content, name)
    assert isinstance(refusal.value, FeedRefused) and refusal.value.status == 422
    assert outcome is None


def test_the_refusal_names_the_missing_and_foreign_columns_and_the_feed():
    """The column labels and codes come from the catalogue: what the department must fix."""
    with refused(Error.FEED_COLUMNS) as refusal:
        read(csv_of("身份证号,姓名,死亡日期", f"{A},张三,2024-05-03"))
    named = (
        "近12个月医疗总费用（total）",
        "近12个月个人自付累计（self_paid）",
        "死亡日期",
        "医疗费用个人自付",
    )
    assert all(part in refusal.value.message for part in named)


# ---- rows quarantined ----------------------------------------------------------------------


def quarantined(bad_row: str, code: str = "medical", header: str = LABELS, good: str = ROWS[0]):
    """Reads a file of one good row (row 2) and one bad row (row 3)."""
    result = read(csv_of(header, good, bad_row), code=code)
    assert result.rows_total == 2
    return result


def test_a_blank_required_cell_is_reported_and_the_valid_row_kept():
    result = quarantined(f"{B}, ,12,1,是")
    assert result.problems == (Problem(3, "name", "缺少必填项：姓名", MASKED_B),)
    assert result.frame.to_dicts() == TYPED[:1]


@pytest.mark.parametrize("blank", ["", "  ", "\u3000"])
def test_a_blank_id_number_is_reported_without_a_masked_number(blank):
    result = quarantined(f"{blank},李四,12,1,是")
    assert result.problems == (Problem(3, "id_number", ID_MISSING.text(), ""),)
    assert result.frame.to_dicts() == TYPED[:1]


def test_an_id_number_excel_wrote_in_scientific_notation_says_excel_changed_it():
    result = quarantined("1.10105E+17,李四,12,1,是")
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (3, "id_number", ID_EXCEL_MANGLED.text())
    ]
    assert result.frame.to_dicts() == TYPED[:1]


def test_an_id_number_typed_as_a_number_in_an_xlsx_says_excel_changed_it():
    workbook = Workbook()
    workbook.active.append(LABELS.split(","))
    workbook.active.append([A, "张三", 1234.5, 100, "是"])
    workbook.active.append([int(B), "李四", 0.05, "12.30", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read(buffer.getvalue(), "f.xlsx")
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (3, "id_number", ID_EXCEL_MANGLED.text())
    ]
    assert result.frame.to_dicts() == TYPED[:1]


def test_a_county_code_created_after_the_birth_date_is_accepted():
    """110118 密云区 dates from 2015; a child born there in 2010 carries its code."""
    body = "11011820100101001"
    number = body + ric.calc_check_digit(body + "0")
    result = quarantined(f"{number},李四,12,1,是")
    assert result.problems == ()
    assert result.frame["id_number"].to_list() == [A, number]


@pytest.mark.parametrize(
    ("number", "reason", "masked"),
    [("330122198001011234", "身份证号码校验位不正确，请核对是否录入有误。", "330122********1234"),
     ("33012219800101", "身份证号码应为18位（或旧版15位），实际为14位。", "330122****0101"),
     ("000000198001010013", ID_REGION.text(), "000000********0013")],
)  # fmt: skip
def test_an_invalid_id_number_is_reported_masked(number, reason, masked):
    result = quarantined(f"{number},李四,12,1,是")
    assert result.problems == (Problem(3, "id_number", reason, masked),)
    assert result.frame.to_dicts() == TYPED[:1]


@pytest.mark.parametrize(
    ("total", "self_paid", "column", "reason"),
    [("12.345", "1", "total", "近12个月医疗总费用不是有效的金额（元，最多两位小数）"),
     ("1,23.4", "1", "total", "近12个月医疗总费用不是有效的金额（元，最多两位小数）"),
     ("十二", "1", "total", "近12个月医疗总费用不是有效的金额（元，最多两位小数）"),
     ("1", "-5", "self_paid", "近12个月个人自付累计不能为负数"),
     ("1", "-0.50", "self_paid", "近12个月个人自付累计不能为负数")],
)  # fmt: skip
def test_bad_money_is_reported(total, self_paid, column, reason):
    result = quarantined(f'{B},李四,"{total}",{self_paid},是')
    assert result.problems == (Problem(3, column, reason, MASKED_B),)
    assert result.frame.to_dicts() == TYPED[:1]


def test_an_unknown_choice_lists_the_allowed_labels():
    result = quarantined(f"{B},李四,12,1,可能")
    assert result.problems == (
        Problem(3, "major_illness", "大病或慢特病应为以下之一：是、否", MASKED_B),
    )
    assert result.frame.to_dicts() == TYPED[:1]


@pytest.mark.parametrize("text", ["2024-02-30", "2024.01.05", "1899-12-31", "昨天", "2024013"])
def test_a_bad_date_is_reported(text):
    result = quarantined(
        f"{B},李四,{text}", "deaths", "身份证号,姓名,死亡日期", f"{A},张三,2024-05-03"
    )
    reason = "死亡日期不是有效的日期（应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD）"
    assert result.problems == (Problem(3, "died_on", reason, MASKED_B),)
    assert result.frame.to_dicts() == [
        {"_row": 2, "id_number": A, "name": "张三", "died_on": date(2024, 5, 3)}
    ]


@pytest.mark.parametrize("grade", ["5", "0", "二", "2.5"])
def test_an_integer_outside_its_range_is_reported(grade):
    header = "身份证号,姓名,残疾类别,残疾等级,发证日期"
    result = quarantined(f"{B},李四,肢体,{grade},2020-01-01", "disability", header,
                         f"{A},张三,视力,4,2020/3/1")  # fmt: skip
    assert result.problems == (Problem(3, "grade", "残疾等级应为1到4之间的整数", MASKED_B),)
    assert result.frame.to_dicts() == [
        {"_row": 2, "id_number": A, "name": "张三", "category": "visual", "grade": 4,
         "issued_on": date(2020, 3, 1)}
    ]  # fmt: skip


@pytest.mark.parametrize("area", ["12.345", "-3", "约90"])
def test_a_bad_decimal_is_reported(area):
    header = "身份证号,姓名,不动产权证号,建筑面积,登记日期"
    result = quarantined(f"{B},李四,浙2,{area},2020-01-01", "real_estate", header,
                         f"{A},张三,浙1,90.50,20200101")  # fmt: skip
    reason = "建筑面积应为不小于0、最多两位小数的数"
    assert result.problems == (Problem(3, "area", reason, MASKED_B),)
    assert result.frame.to_dicts() == [
        {"_row": 2, "id_number": A, "name": "张三", "certificate": "浙1", "area": "90.5",
         "registered_on": date(2020, 1, 1)}
    ]  # fmt: skip


def test_a_row_repeating_an_earlier_key_is_reported_as_its_duplicate():
    rows = (*ROWS, f"{C},王五,1,1,否", f" {A[:6]} {A[6:]},张三,2,2,是")
    result = read(csv_of(LABELS, *rows))
    assert result.problems == (Problem(5, None, "与第2行重复（身份证号）", MASKED_A),)
    assert result.frame["_row"].to_list() == [2, 3, 4]


def test_a_key_of_several_columns_compares_typed_values():
    rows = (f"{A},张三,2024-01-05,迁出", f"{A},张三,2024/1/5,迁出", f"{A},张三,20240201,迁入")
    result = read(csv_of("身份证号,姓名,迁移日期,迁移类型", *rows), code="hukou_moves")
    reason = "与第2行重复（身份证号、迁移日期）"
    assert result.problems == (Problem(3, None, reason, MASKED_A),)
    assert result.frame.to_dicts() == [
        {"_row": 2, "id_number": A, "name": "张三", "moved_on": date(2024, 1, 5),
         "direction": "out", "region": None},
        {"_row": 4, "id_number": A, "name": "张三", "moved_on": date(2024, 2, 1),
         "direction": "in", "region": None},
    ]  # fmt: skip


def test_a_duplicate_is_judged_on_the_key_even_when_the_earlier_row_is_bad():
    result = read(csv_of(LABELS, f"{A},张三,坏,1,是", f"{A},张三,1,1,是", ROWS[1]))
    assert result.problems == (
        Problem(2, "total", "近12个月医疗总费用不是有效的金额（元，最多两位小数）", MASKED_A),
        Problem(3, None, "与第2行重复（身份证号）", MASKED_A),
    )
    assert result.frame["_row"].to_list() == [4]


def test_each_problem_of_a_row_is_reported_and_the_row_dropped_once():
    result = quarantined(f"{B},,-1,1.234,可能")
    assert result.problems == (
        Problem(3, "name", "缺少必填项：姓名", MASKED_B),
        Problem(3, "total", "近12个月医疗总费用不能为负数", MASKED_B),
        Problem(3, "self_paid", "近12个月个人自付累计不是有效的金额（元，最多两位小数）", MASKED_B),
        Problem(3, "major_illness", "大病或慢特病应为以下之一：是、否", MASKED_B),
    )
    assert result.frame.to_dicts() == TYPED[:1]


def test_a_csv_longer_than_the_spreadsheet_limit_is_read_with_its_row_numbers():
    """Department CSVs run to millions of rows; a blank line keeps the numbering of the rest."""
    rows = [ROWS[0]] * 60_000 + [""] + [ROWS[1]] * 60_000
    got = read(csv_of(LABELS, *rows))
    assert got.rows_total == 120_000
    duplicates = [p for p in got.problems if p.column is None]
    assert len(duplicates) == 119_998  # the key is the ID number: one row of each person is kept
    assert got.frame["_row"].to_list() == [2, 60_003]
