"""The vectorised ID checks say exactly what kit.ids says, row by row."""

import random
from datetime import date

import polars as pl
import pytest
from stdnum.cn import ric

from minzheng.kit.errors import Error
from minzheng.kit.ids import PROVINCES, InvalidIdNumber, normalize_id_number, parse_id_number
from minzheng.monitoring import idframe

EXCEL_MANGLED = Error.ID_EXCEL_MANGLED.text()
BIRTHPLACE = Error.ID_REGION.text()

TODAY = date(2024, 6, 1)


def with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def normalised(*raw: str | None) -> list[str | None]:
    frame = pl.DataFrame({"raw": list(raw)}, schema={"raw": pl.Utf8})
    return frame.select(idframe.normalised(pl.col("raw"))).to_series().to_list()


def problems(*numbers: str | None, today: date = TODAY) -> list[str | None]:
    frame = pl.DataFrame({"n": list(numbers)}, schema={"n": pl.Utf8})
    return frame.select(idframe.problem(pl.col("n"), today)).to_series().to_list()


def test_normalisation_removes_every_kind_of_space():
    assert normalised(" 110105 19491231\t002X\u3000", "11010519491231002X") == [
        "11010519491231002X",
        "11010519491231002X",
    ]


def test_normalisation_turns_fullwidth_digits_and_lower_x_to_ascii():
    assert normalised("１１０１０５１９４９１２３１００２ｘ", "11010519491231002x") == [
        "11010519491231002X",
        "11010519491231002X",
    ]


def test_fifteen_digits_are_upgraded_with_their_check_character():
    assert normalised("110105491231002", " 330122900101001 ", "11010549123100A") == [
        "11010519491231002X",
        with_check("33012219900101001"),
        "11010549123100A",
    ]


def test_a_null_stays_null():
    assert normalised(None) == [None]
    assert problems(None) == [None]


def test_a_valid_number_has_no_problem():
    assert problems("11010519491231002X", with_check("33012220240601001")) == [None, None]


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("1101051949", "身份证号码应为18位（或旧版15位），实际为10位。"),
        ("", "请填写身份证号码。"),
        ("1.10105E+17", EXCEL_MANGLED),
        ("1,10105E17", EXCEL_MANGLED),
        ("11010519A912310021", "身份证号码只能包含数字，最后一位可以是 X。"),
        ("11010519491231002Y", "身份证号码只能包含数字，最后一位可以是 X。"),
        ("110105194912310021", "身份证号码校验位不正确，请核对是否录入有误。"),
        (with_check("11010519490230001"), "身份证号码中的出生日期无效。"),
        (with_check("11010520230229001"), "身份证号码中的出生日期无效。"),
        (with_check("11010500000101001"), "身份证号码中的出生日期无效。"),
        (with_check("11010520240602001"), "身份证号码中的出生日期晚于今天。"),
        (with_check("00000019491231001"), BIRTHPLACE),
        (with_check("99010119491231001"), BIRTHPLACE),
    ],
)
def test_each_problem_has_the_message_of_kit_ids(number, reason):
    assert problems(number) == [reason]
    with pytest.raises(InvalidIdNumber) as refused:
        parse_id_number(number, today=TODAY)
    assert refused.value.message == reason


def test_a_county_code_is_never_checked_against_the_birth_date():
    """The code is the one in force when the number was issued: 崇文区 (110103, merged in
    2010), 密云区 (110118, from 2015) and a code stdnum does not know in Beijing all pass."""
    numbers = [
        with_check("11010320110101001"),
        with_check("11011820100101001"),
        with_check("11011119850101001"),
        with_check("11999919900101001"),
    ]
    assert problems(*numbers) == [None] * 4
    assert [kit_reason(n) for n in numbers] == [None] * 4


def test_a_blank_cell_after_normalisation_is_missing():
    frame = pl.DataFrame({"raw": ["\x1c", " ", "1.10105e+17"]})
    checked = frame.with_columns(idframe.normalised(pl.col("raw")).alias("n"))
    reasons = checked.select(idframe.problem(pl.col("n"), TODAY)).to_series().to_list()
    assert reasons == ["请填写身份证号码。", "请填写身份证号码。", EXCEL_MANGLED]


def random_raw(rng: random.Random, regions: list[str]) -> str:
    """A number as a bureau might type it: valid, mistyped, old, spaced, full-width or cut."""
    year = rng.choice([rng.randrange(1900, 2030), rng.randrange(0, 10_000)])
    birth = f"{year:04d}{rng.randrange(0, 14):02d}{rng.randrange(0, 33):02d}"
    number = with_check(rng.choice(regions) + birth + f"{rng.randrange(1000):03d}")
    mistake = rng.randrange(8)
    if mistake == 1:
        number = number[:17] + rng.choice("0123456789X")
    elif mistake == 2:
        number = number[:6] + number[8:17]
    elif mistake == 3:
        number = f" {number[:6]} {number[6:14]}\u3000{number[14:].lower()}"
    elif mistake == 4:
        number = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    elif mistake == 5:
        number = number[: rng.randrange(18)]
    elif mistake == 6:
        at = rng.randrange(18)
        number = number[:at] + rng.choice("aZ-+.") + number[at + 1 :]
    elif mistake == 7:  # what Excel writes for a number it stored
        number = rng.choice(["1.10105E+17", "3,30122e17", " 4.4E+17", "", "  "])
    return number


def kit_reason(raw: str) -> str | None:
    try:
        parse_id_number(raw, today=TODAY)
    except InvalidIdNumber as exc:
        return exc.message
    return None


def test_vectorised_checks_equal_kit_ids_on_random_numbers():
    rng = random.Random(20240601)
    # Known provinces with any county (known to stdnum or not), and unknown provinces.
    known = [p + f"{rng.randrange(10_000):04d}" for p in sorted(PROVINCES) for _ in range(6)]
    regions = known + ["000000", "009999", "990101", "100101", "110103", "110111"]
    raws = [random_raw(rng, regions) for _ in range(600)]
    frame = pl.DataFrame({"raw": raws}).with_columns(idframe.normalised(pl.col("raw")).alias("n"))
    frame = frame.with_columns(idframe.problem(pl.col("n"), TODAY).alias("problem"))
    expected = [(normalize_id_number(raw), kit_reason(raw)) for raw in raws]
    assert list(zip(frame["n"], frame["problem"], strict=True)) == expected
    assert 50 < sum(reason is None for _, reason in expected) < 550  # both sides are exercised
