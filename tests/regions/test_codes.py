import pytest

from minzheng.regions import codes


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [
        ("330000000000", 1, "33"),
        ("330100000000", 2, "3301"),
        ("330122000000", 3, "330122"),
        ("330122002000", 4, "330122002"),
        ("330122002001", 5, "330122002001"),
    ],
)
def test_level_and_prefix(code, level, prefix):
    assert codes.level_of(code) == level
    assert codes.prefix_of(code) == prefix


def test_is_within_and_ancestors():
    assert codes.is_within("330122002001", "330122000000") is True
    assert codes.is_within("330122000000", "330122000000") is True
    assert codes.is_within("330127001001", "330122000000") is False
    assert codes.ancestor_codes("330122002001") == [
        "330000000000",
        "330100000000",
        "330122000000",
        "330122002000",
    ]


def test_normalize_accepts_short_forms_and_rejects_garbage():
    assert codes.normalize_code("330122") == "330122000000"
    with pytest.raises(ValueError, match="区划代码格式不正确"):
        codes.normalize_code("33012")


@pytest.mark.parametrize(
    ("name", "classification", "level", "expected"),
    [
        ("迎春南路社区居民委员会", "", 5, "urban"),
        ("凤联社区", "", 5, "urban"),
        ("石珠村村民委员会", "", 5, "rural"),
        ("石珠村村民委员会", "111", 5, "urban"),
        ("城关社区居民委员会", "220", 5, "rural"),
        ("旧县街道", "", 4, ""),
    ],
)
def test_area_type_prefers_the_classification_code(name, classification, level, expected):
    assert codes.area_type_of(name, classification, level) == expected
