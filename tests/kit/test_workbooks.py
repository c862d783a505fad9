"""Hostile workbooks are refused before the reader allocates for them, with bounded memory, and
a reader that dies anyway dies in its child process, not in the server."""

import io
import os
import tracemalloc

import pytest
from openpyxl import Workbook

from minzheng.kit import workbooks
from minzheng.kit.errors import Error
from minzheng.kit.sheets import read_upload
from minzheng.kit.workbooks import UnreadableFile
from tests import hostile_files as hostile

MB = 1024 * 1024


def _refusal(data: bytes) -> tuple[Error, int]:
    """The code of the refusal and the reader's peak of Python memory while refusing."""
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile) as refused:
            read_upload("上传.xlsx", data)
        return refused.value.error_code, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("case", "make", "code"),
    [
        ("A1 and XFD1048576 (the 1.6 KB crash)", hostile.sparse, Error.TOO_MANY_ROWS),
        ("one row to the last column", hostile.wide, Error.TOO_MANY_COLUMNS),
        ("a dimension claiming the whole sheet", hostile.lying_dimension, Error.TOO_MANY_ROWS),
        ("150,000 numbered rows", lambda: hostile.bomb(150_000), Error.TOO_MANY_ROWS),
        ("a thousandfold deflate bomb", hostile.deflate_bomb, Error.WORKBOOK_BOMB),
        ("entities in a DOCTYPE", hostile.entity_expansion, Error.WORKBOOK_UNREADABLE),
        ("not a zip at all", hostile.not_a_zip, Error.WORKBOOK_UNREADABLE),
    ],
)
def test_hostile_workbooks_are_refused_with_bounded_memory(case, make, code):
    data = make()
    refused, peak = _refusal(data)
    assert refused is code
    assert peak < 16 * MB, f"{case}: {peak / MB:.1f} MB"


def test_the_sparse_workbook_is_small_and_would_kill_an_unguarded_reader():
    data = hostile.sparse()
    assert len(data) < 2048
    # Parsed without the checks, the reader aborts — in the child, which becomes a refusal.
    pid = os.getpid()
    with pytest.raises(UnreadableFile) as refused:
        workbooks._parse_in_child(data, 100_002)
    assert refused.value.error_code is Error.WORKBOOK_UNREADABLE
    assert os.getpid() == pid


def test_a_reader_out_of_memory_is_a_refusal_not_a_dead_server(monkeypatch):
    data = hostile.bomb(100_000)  # within the limits: 100,000 rows are read at 96 MB or more
    monkeypatch.setattr(workbooks, "CHILD_MEMORY", 64 * MB)  # as if a reader bug allocated
    with pytest.raises(UnreadableFile) as refused:
        read_upload("名单.xlsx", data)
    assert refused.value.error_code is Error.WORKBOOK_UNREADABLE
    monkeypatch.setattr(workbooks, "CHILD_MEMORY", 512 * MB)
    assert read_upload("名单.xlsx", data).height == 100_000


def test_members_named_outside_the_folder_are_never_extracted_and_the_sheet_reads():
    frame = read_upload("名单.xlsx", hostile.traversal_names())
    assert frame.columns == ["x", "_row"] and frame.height == 0


def test_formula_cells_give_their_values_never_the_formula():
    frame = read_upload("名单.xlsx", hostile.formulas())
    assert frame.select("姓名", "备注").rows() == [("张三", "2")]


def test_an_ordinary_workbook_reads_every_kind_of_cell_as_before():
    frame = read_upload("名单.xlsx", _ordinary_workbook())
    assert frame.rows() == [
        ("张三", "110105194912310021", "1949-12-31", "1200", "12.5", "是", 2),
        ("李四", None, "2024-01-02T08:30:00", "0", None, "否", 3),
    ]


def _ordinary_workbook() -> bytes:
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "日期", "金额", "比例", "是否"])
    sheet.append(["张三", "110105194912310021", dt.date(1949, 12, 31), 1200, 12.5, True])
    sheet.append(["李四", None, dt.datetime(2024, 1, 2, 8, 30), 0, None, False])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
