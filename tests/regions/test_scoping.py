import pytest

from minzheng.kit.errors import NotFound
from minzheng.regions.scoping import region_for
from tests.factories import CITY, DEMO_COUNTY, TOWNSHIP_A, TOWNSHIP_B, first_village, make_user


def test_region_for_is_the_users_own_or_one_inside_it(regions):
    clerk = make_user("township_clerk", TOWNSHIP_A)
    assert region_for(clerk).code == TOWNSHIP_A
    assert region_for(clerk, "").code == TOWNSHIP_A
    assert region_for(clerk, " 330122002 ").code == TOWNSHIP_A  # short forms are normalised
    village = region_for(clerk, first_village(TOWNSHIP_A))
    assert (village.code, village.parent_id) == (first_village(TOWNSHIP_A), TOWNSHIP_A)


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("a sibling township", TOWNSHIP_B),
        ("the county above", DEMO_COUNTY),
        ("the city above", CITY),
        ("a malformed code", "33012"),
        ("a code that does not exist", "330122999000"),
    ],
)
def test_region_for_answers_not_found_outside_the_users_region(regions, case, code):
    clerk = make_user("township_clerk", TOWNSHIP_A)
    with pytest.raises(NotFound) as refused:
        region_for(clerk, code)
    assert refused.value.message == "对象不存在或不在您的管辖范围内。"


def test_a_user_without_a_home_region_gets_no_region(regions):
    nobody = make_user("", None)
    for code in (None, DEMO_COUNTY):
        with pytest.raises(NotFound):
            region_for(nobody, code)
