"""A department file with malformed rows gives the same quarantine report and the same valid
rows on Spark as on the local reader."""

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from minzheng.batch.spark import feeds as distributed
from minzheng.monitoring import idframe
from minzheng.monitoring.feeds import feed
from minzheng.monitoring.reading import FeedRefused, Problem, read_feed

TODAY = date(2024, 6, 1)
LABELS = "身份证号,姓名,近12个月医疗总费用,近12个月个人自付累计,大病或慢特病"


def _numbers(count: int) -> list[str]:
    bodies = pl.Series("b", [f"33012219900101{i:03d}" for i in range(count)])
    return pl.select(idframe.from_body(pl.lit(bodies))).to_series().to_list()


def _medical_file() -> bytes:
    """600 rows; every seventh row is broken in one of five ways, and the last 30 rows repeat
    earlier numbers written with spaces or full-width digits (duplicates after normalising)."""
    numbers = _numbers(570)
    rows = []
    for i, number in enumerate(numbers):
        name, total, paid, major = f"居民{i}", f"{1000 + i}.5", f'"{i % 90},{i % 1000:03d}"', "否"
        match i % 7 if i % 49 else -1:
            case 1:
                number = number[:-1] + ("0" if number[-1] != "0" else "1")  # check digit
            case 2:
                total = "一千"
            case 3:
                name = ""
            case 4:
                paid = "-5"
            case 5:
                major = "也许"
        rows.append(f"{number},{name},{total},{paid},{major}")
    for i in range(30):
        wide = numbers[i * 19].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        spaced = f"{numbers[i * 19 + 3][:6]} {numbers[i * 19 + 3][6:]}"
        rows.append(f"{wide if i % 2 else spaced},重复{i},1,1,是")
    return ("\n".join([LABELS, *rows]) + "\n").encode("gbk")


def test_spark_quarantines_exactly_what_the_local_reader_does(spark):
    content = _medical_file()
    local = read_feed(feed("medical"), "medical.csv", content, TODAY)
    on_spark = distributed.read_feed(spark, feed("medical"), "medical.csv", content, TODAY, 4)
    assert on_spark.problems == local.problems
    assert_frame_equal(on_spark.frame, local.frame)
    assert on_spark.rows_total == local.rows_total == 600
    # The report is not empty by accident: each kind of problem is in it.
    reasons = {p.reason for p in local.problems}
    assert "身份证号码校验位不正确，请核对是否录入有误。" in reasons
    assert "缺少必填项：姓名" in reasons
    assert "近12个月个人自付累计不能为负数" in reasons
    # A repeat counts as a duplicate unless the row it repeats has a broken check digit.
    repeated = [i * 19 + (0 if i % 2 else 3) for i in range(30)]
    expected = sum(1 for j in repeated if not (j % 49 and j % 7 == 1))
    assert sum(p.column is None for p in local.problems) == expected == 26
    assert local.frame.height == 600 - len({p.row for p in local.problems})


def test_a_composite_key_meets_on_spark_by_its_typed_values(spark):
    number = _numbers(1)[0]
    rows = [f"{number},张三,2024-01-05,迁出"] + [
        f"{n},李{i},2024-03-01,迁入" for i, n in enumerate(_numbers(40)[1:])
    ]
    rows.append(f"{number},张三,2024/1/5,迁出")
    content = ("\n".join(["身份证号,姓名,迁移日期,迁移类型", *rows]) + "\n").encode()
    local = read_feed(feed("hukou_moves"), "moves.csv", content, TODAY)
    on_spark = distributed.read_feed(spark, feed("hukou_moves"), "moves.csv", content, TODAY, 3)
    masked = f"{number[:6]}********{number[-4:]}"
    assert local.problems == (Problem(42, None, "与第2行重复（身份证号、迁移日期）", masked),)
    assert on_spark.problems == local.problems
    assert_frame_equal(on_spark.frame, local.frame)


def test_a_file_refused_whole_is_refused_alike_before_spark(spark):
    content = "身份证号,近12个月医疗总费用\n330122199001010018,1\n".encode()
    with pytest.raises(FeedRefused) as local:
        read_feed(feed("medical"), "medical.csv", content, TODAY)
    with pytest.raises(FeedRefused) as on_spark:
        distributed.read_feed(spark, feed("medical"), "medical.csv", content, TODAY, 2)
    assert str(on_spark.value) == str(local.value)
    assert "缺少必填列" in str(local.value)


def test_spark_matches_rows_as_the_local_matching_does(spark, settings):
    from minzheng.kit.crypto import blind_index
    from minzheng.monitoring.matching import match

    content = _medical_file()
    read = read_feed(feed("medical"), "medical.csv", content, TODAY)
    numbers = _numbers(570)
    index = [blind_index(n, "id_number") for n in numbers]
    # Every third number is a registry person: one in ten of those under another name, and a
    # few others are legal supporters outside the registry.
    persons = pl.DataFrame(
        {
            "person_id": list(range(1, 191)),
            "id_number_index": index[0:570:3],
            "name": [f"居民{i}" if i % 30 else f"别名{i}" for i in range(0, 570, 3)],
        }
    )
    supporters = pl.DataFrame({"supporter_id": [7, 8], "id_number_index": [index[7], index[13]]})
    local = match(read.frame, persons, settings.BLIND_INDEX_KEY, supporters)
    on_spark = distributed.match(spark, read.frame, persons, supporters, 3)
    for name in distributed.OUTCOMES:
        assert_frame_equal(getattr(on_spark, name), getattr(local, name))
    # A row i of the file is valid when i % 7 is 0 or 6 (or i % 49 == 0); the registry has
    # every third number, under another name when i % 30 == 0.
    valid = [i for i in range(570) if i % 49 == 0 or i % 7 in (0, 6)]
    assert local.matched.height == sum(1 for i in valid if i % 3 == 0 and i % 30) == 49
    assert local.review["_row"].head(2).to_list() == [2, 92]  # the rows of i = 0 and i = 90
    assert local.supporters["supporter_id"].to_list() == [7, 8]
    assert local.unmatched.height == read.frame.height - sum(
        getattr(local, n).height for n in ("matched", "supporters", "review")
    )
