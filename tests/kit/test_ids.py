from datetime import date

import pytest
from stdnum.cn import ric

from minzheng.kit.errors import Error
from minzheng.kit.ids import (
    InvalidIdNumber,
    age_on,
    is_valid_id_number,
    normalize_id_number,
    parse_id_number,
    upgrade_15_to_18,
)


def test_parse_valid_number_derives_birth_date_sex_and_region():
    info = parse_id_number("11010519491231002X")
    assert (info.number, info.birth_date, info.sex, info.region_prefix) == (
        "11010519491231002X",
        date(1949, 12, 31),
        "F",
        "110105",
    )
    assert info.age_on(date(2024, 12, 30)) == 74
    assert info.age_on(date(2024, 12, 31)) == 75


def test_normalisation_trims_spaces_fullwidth_and_lower_x():
    assert normalize_id_number(" 110105 19491231 002x ") == "11010519491231002X"
    assert normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"


def test_fifteen_digit_number_is_upgraded_to_eighteen():
    assert upgrade_15_to_18("110105491231002") == "11010519491231002X"
    assert parse_id_number("110105491231002").number == "11010519491231002X"


def with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize(
    ("case", "raw", "code"),
    [
        ("wrong check character", "110105194912310021", Error.ID_CHECKSUM),
        ("too short", "1101051949", Error.ID_LENGTH),
        ("letters inside", "11010519A912310021", Error.ID_CHARACTERS),
        ("impossible date", with_check("11010519490230001"), Error.ID_BIRTH_DATE),
        ("unknown region", with_check("00000019491231001"), Error.ID_REGION),
    ],
)
def test_invalid_numbers_say_what_is_wrong(case, raw, code):
    with pytest.raises(InvalidIdNumber) as refused:
        parse_id_number(raw)
    assert refused.value.error_code is code
    assert is_valid_id_number(raw) is False


def test_birth_date_in_the_future_is_refused():
    with pytest.raises(InvalidIdNumber) as refused:
        parse_id_number(with_check("11010520300101001"), today=date(2024, 1, 1))
    assert refused.value.error_code is Error.ID_BIRTH_FUTURE


def test_age_on_leap_day_birthday():
    assert age_on(date(2000, 2, 29), date(2018, 2, 28)) == 17
    assert age_on(date(2000, 2, 29), date(2018, 3, 1)) == 18


def test_a_known_province_with_an_unknown_county_is_an_invalid_birthplace():
    body = "11999919800101123"
    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(InvalidIdNumber) as refused:
        parse_id_number(number)
    assert refused.value.error_code is Error.ID_REGION
