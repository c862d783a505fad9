"""Every export goes through one writer, which never lets a text cell run as a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from minzheng.kit.exports import csv_bytes, neutralise, xlsx_bytes


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://evil","点我")', '\'=HYPERLINK("http://evil","点我")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-12.50", "'-12.50"),
        ("+86 139", "'+86 139"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        (42, 42),
        (None, None),
    ],
)
def test_a_text_that_starts_like_a_formula_gets_an_apostrophe(typed, written):
    assert neutralise(typed) == written


def test_csv_and_excel_hold_the_formula_as_text():
    rows = [["姓名", "备注"], ["=1+1", 3]]
    text = csv_bytes(rows).decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        ["姓名", "备注"],
        ["'=1+1", "3"],
    ]
    book = load_workbook(io.BytesIO(xlsx_bytes([("名单", rows)])))
    cell = book["名单"]["A2"]
    assert (cell.value, cell.data_type) == ("'=1+1", "s")
