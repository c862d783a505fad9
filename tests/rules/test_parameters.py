"""Parameters: the shipped tree, resolution by date and region, refusal of bad files."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from minzheng.rules.parameters import (
    ParameterFileError,
    ParameterNotFound,
    load_file,
    load_tree,
    resolve,
)

KNOWN = frozenset({"33", "3301", "330122", "43", "4311", "431100"})


@pytest.fixture(scope="module")
def tree():
    return load_tree()


def test_shipped_tree_loads_with_names_from_paths(tree):
    assert {"dibao.standard", "dibao.edge_multiplier"} <= set(tree)
    assert tree["dibao.standard"].label == "低保标准"
    assert tree["dibao.standard"].by_area is True


@pytest.mark.parametrize(
    ("case", "day", "region", "area", "value", "source"),
    [
        ("永州 urban", date(2024, 3, 1), "431102001001", "urban", "700", "4311"),
        ("永州 rural", date(2024, 3, 1), "431102001001", "rural", "450", "4311"),
        ("上海 before July 2024", date(2024, 6, 30), "310101002003", "urban", "1420", "31"),
        ("上海 from July 2024", date(2024, 7, 1), "310101002003", "urban", "1510", "31"),
    ],
)
def test_standard_resolves_by_date_region_and_area(tree, case, day, region, area, value, source):
    resolved = resolve(tree["dibao.standard"], day, region, area)
    assert (resolved.value, resolved.region) == (Decimal(value), source)
    assert resolved.reference


def test_most_specific_region_wins_over_national(tree):
    edge = tree["dibao.edge_multiplier"]
    assert resolve(edge, date(2024, 1, 1), "330122002200").value == Decimal("2")
    assert resolve(edge, date(2024, 1, 1), "431102001001").value == Decimal("1.5")
    assert resolve(edge, date(2021, 12, 31), "330122002200").value == Decimal("1.5")


def test_no_value_in_force_is_a_clear_error(tree):
    with pytest.raises(ParameterNotFound, match="在 2019-01-01 对区划 431102001001 没有有效值"):
        resolve(tree["dibao.standard"], date(2019, 1, 1), "431102001001", "urban")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "label: 测试\nunit: 元\nvalues:\n"


@pytest.mark.parametrize(
    ("case", "values", "key", "reason"),
    [
        ("missing date", "  - {value: 1}\n", "values[0].from", "缺少生效日期"),
        (
            "unknown region",
            "  - {region: '999999', from: 2024-01-01, value: 1}\n",
            "values[0].region",
            "未知的区划代码：999999",
        ),
        (
            "negative amount",
            "  - {from: 2024-01-01, value: -5}\n",
            "values[0].value",
            "数值不能为负数：-5",
        ),
        (
            "overlapping dates",
            "  - {region: '33', from: 2024-01-01, until: 2024-12-31, value: 1}\n"
            "  - {region: '33', from: 2024-06-01, value: 2}\n",
            "values",
            "有效期重叠",
        ),
        (
            "same start twice",
            "  - {from: 2024-01-01, value: 1}\n  - {from: 2024-01-01, value: 2}\n",
            "values",
            "有效期重叠",
        ),
        ("not a number", "  - {from: 2024-01-01, value: 很多}\n", "values[0].value", "不是数值"),
    ],
)
def test_bad_file_is_refused_naming_file_key_and_reason(tmp_path, case, values, key, reason):
    with pytest.raises(ParameterFileError) as caught:
        load_file(_write(tmp_path, HEAD + values), "test.bad", KNOWN, label="parameters/bad.yaml")
    error = caught.value
    assert (error.file, error.key) == ("parameters/bad.yaml", key)
    assert reason in error.reason
    assert str(error).startswith(f"参数文件 parameters/bad.yaml 的 {key}：")


def test_area_split_must_be_given(tmp_path):
    text = "label: 测试\nunit: 元\nby_area: true\nvalues:\n  - {from: 2024-01-01, value: 1}\n"
    with pytest.raises(ParameterFileError, match="values\\[0\\].area"):
        load_file(_write(tmp_path, text), "test.bad", KNOWN)


def test_missing_label_is_refused(tmp_path):
    with pytest.raises(ParameterFileError, match="label：缺少必填项"):
        load_file(
            _write(tmp_path, "unit: 元\nvalues:\n  - {from: 2024-01-01, value: 1}\n"),
            "test.bad",
            KNOWN,
        )
