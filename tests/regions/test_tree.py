from minzheng.regions import selectors, services
from minzheng.regions.errors import Error
from minzheng.regions.models import Region
from tests.factories import DEMO_COUNTY
from tests.refusals import refused


def test_shipped_file_is_the_2023_national_tree():
    rows = services.read_region_file()
    by_level = {}
    for row in rows:
        by_level[row.level] = by_level.get(row.level, 0) + 1
    assert by_level == {1: 31, 2: 342, 3: 2975, 4: 41351, 5: 620572}
    codes_seen = {row.code for row in rows}
    assert all(row.parent_code in codes_seen for row in rows if row.parent_code)


def test_demo_county_loads_with_its_townships_and_villages(regions):
    county = Region.objects.get(code=DEMO_COUNTY)
    assert county.name == "桐庐县"
    assert selectors.descendants(county, level=4).count() == 14
    assert selectors.descendants(county, level=5).count() == 218
    assert [r.name for r in selectors.ancestors(county)] == ["浙江省", "杭州市"]
    assert (
        selectors.full_name(Region.objects.get(code="330122002000")) == "浙江省杭州市桐庐县旧县街道"
    )


def test_loading_twice_changes_nothing(regions):
    before = Region.objects.count()
    services.load_regions(
        services.select_rows(services.read_region_file(), max_level=0, full_within=[DEMO_COUNTY])
    )
    assert Region.objects.count() == before == 235


def test_lookup_by_code_and_name(regions):
    assert selectors.get_region("330122").name == "桐庐县"
    assert [r.code for r in selectors.search_regions("旧县")] == ["330122002000", "330122002200"]
    with refused(Error.REGION_NOT_FOUND):
        selectors.get_region("999999")


def test_villages_carry_an_area_type(regions):
    villages = Region.objects.filter(level=5)
    assert villages.filter(area_type="").count() == 0
    assert villages.filter(area_type="urban").count() == 37
    assert villages.filter(area_type="rural").count() == 181
