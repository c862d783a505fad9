from datetime import date

import polars as pl
import pytest
from stdnum.cn import ric

from minzheng.kit.errors import Error
from minzheng.kit.ids import (
    PROVINCES,
    InvalidIdNumber,
    age_on,
    as_excel_shows,
    is_excel_mangled,
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
        ("unknown province", with_check("99010519491231001"), Error.ID_REGION),
        ("province 10 is not one", with_check("10010519491231001"), Error.ID_REGION),
        ("excel scientific", "1.10105E+17", Error.ID_EXCEL_MANGLED),
        ("empty", "", Error.ID_MISSING),
        ("blank", "  ", Error.ID_MISSING),
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


def test_a_county_code_created_after_the_birth_date_is_accepted():
    """110118 密云区 exists from 2015 (stdnum knows it only from then): a child born in 2010
    and registered after 2015 carries it, and the number is valid."""
    number = with_check("11011820100101123")
    with pytest.raises(ric.ValidationError):
        ric.get_birth_place(number)  # the history-based check this module must not apply
    info = parse_id_number(number, today=date(2024, 1, 1))
    assert (info.birth_date, info.region_prefix) == (date(2010, 1, 1), "110118")


def test_a_known_province_with_a_county_code_stdnum_does_not_know_is_accepted():
    number = with_check("11999919800101123")
    assert parse_id_number(number).region_prefix == "119999"


def test_the_provinces_are_the_province_level_codes_stdnum_knows():
    from stdnum import numdb

    known = {low for _, low, high, _, _ in numdb.get("cn/loc").prefixes if low == high}
    assert known == PROVINCES
    assert len(PROVINCES) == 34


@pytest.mark.parametrize("raw", ["1.10105E+17", "1.10105e17", "1,10105E+17", " 3.30122E+17 "])
def test_excel_scientific_notation_says_excel_changed_it(raw):
    with pytest.raises(InvalidIdNumber) as refused:
        parse_id_number(raw)
    assert refused.value.error_code is Error.ID_EXCEL_MANGLED
    assert "Excel" in refused.value.message and "文本格式" in refused.value.message


@pytest.mark.parametrize("raw", ["", "  ", "\u3000", None])
def test_an_empty_number_is_missing_not_length_zero(raw):
    with pytest.raises(InvalidIdNumber) as refused:
        parse_id_number(raw)
    assert refused.value.error_code is Error.ID_MISSING
    assert "0位" not in refused.value.message


def test_as_excel_shows_writes_the_digits_as_excel_displays_them():
    digits = pl.Series(["330122197005060000", "110000000000000000", "622848001234567900"])
    shown = pl.select(as_excel_shows(pl.lit(digits))).to_series().to_list()
    assert shown == ["3.30122E+17", "1.1E+17", "6.22848E+17"]
    assert all(is_excel_mangled(s) for s in shown)
