"""Each built-in indicator on small frames: who it flags, with what detail, and who it leaves."""

import json
from datetime import date

import polars as pl
import pytest

from minzheng.monitoring.indicators import BY_CODE, CATALOGUE, Inputs, detect_all

# Household 1 (persons 11, 12) receives 低保; household 2 (person 21) is monitored only.
PERSONS = pl.DataFrame(
    {
        "person_id": [11, 12, 21],
        "household_id": [1, 1, 2],
        "region_code": ["330122002001", "330122002001", "330122002002"],
        "birth_date": [date(1964, 9, 15), date(2006, 9, 1), date(1944, 9, 30)],
        "disability_grade": [None, 3, None],
        "employed": [True, False, False],
        "monthly_income_fen": [150000, 0, 0],
    },
    schema_overrides={"disability_grade": pl.Int8},
)
RECIPIENTS = pl.DataFrame({"person_id": [11, 12], "program": ["dibao", "dibao"]})
CASES = pl.DataFrame(
    {
        "person_id": [11],
        "case_number": ["DB-2024-1"],
        "program": ["dibao"],
        "taper_until": [date(2024, 9, 30)],
        "next_review_on": [date(2024, 10, 1)],
    }
)
ASSETS = pl.DataFrame({"household_id": [1], "kind": ["vehicle"], "registration": ["浙A12345"]})
LINES = pl.DataFrame({"household_id": [1, 2], "line_fen": [231800, 115900]})


def inputs(**facts: pl.DataFrame) -> Inputs:
    return Inputs(
        period="2024-09",
        facts=facts,
        persons=PERSONS,
        recipients=RECIPIENTS,
        cases=CASES,
        assets=ASSETS,
        household_lines=LINES,
        medical_threshold_fen=1_000_000,
    )


def fact(person_ids: list[int], **columns) -> pl.DataFrame:
    sources = [f"7:{n}" for n in range(2, len(person_ids) + 2)]
    return pl.DataFrame({"person_id": person_ids, "source": sources, **columns})


def flagged(code: str, data: Inputs) -> dict[int, dict]:
    found = detect_all(data).filter(pl.col("indicator") == code)
    return {r["person_id"]: json.loads(r["detail"]) for r in found.iter_rows(named=True)}


def test_catalogue_declares_every_built_in_indicator():
    assert [i.code for i in CATALOGUE] == [
        "recipient_died",
        "earner_died",
        "medical_high",
        "new_severe_disability",
        "unemployed",
        "imprisoned",
        "vehicle_acquired",
        "real_estate_acquired",
        "business_registered",
        "income_over_standard",
        "disaster_victim",
        "moved_out",
        "age_60",
        "age_80",
        "child_18",
        "taper_ending",
        "review_due",
    ]
    assert {i.severity for i in CATALOGUE} == {"red", "orange", "yellow"}


def test_recipient_died_only_for_recipients_and_earner_died_for_earners():
    deaths = fact([11, 21], died_on=[date(2024, 9, 3), date(2024, 9, 4)])
    data = inputs(deaths=deaths)
    assert flagged("recipient_died", data) == {11: {"source": "7:2", "died_on": "2024-09-03"}}
    assert flagged("earner_died", data) == {11: {"source": "7:2", "died_on": "2024-09-03"}}
    row = detect_all(data).filter(pl.col("indicator") == "recipient_died").row(0, named=True)
    assert (row["severity"], row["household_id"], row["region_code"]) == ("red", 1, "330122002001")


def test_medical_at_the_threshold_is_flagged_and_one_fen_below_is_not():
    medical = fact([12, 21], total=[3_000_000, 2_000_000], self_paid=[1_000_000, 999_999])
    assert flagged("medical_high", inputs(medical=medical)) == {
        12: {"source": "7:2", "total": 3_000_000, "self_paid": 1_000_000}
    }


def test_new_severe_disability_only_when_the_registry_does_not_know_it():
    disability = fact([12, 21], grade=[2, 3], category=["physical", "visual"])
    assert list(flagged("new_severe_disability", inputs(disability=disability))) == [12]
    already = PERSONS.with_columns(pl.lit(2, pl.Int8).alias("disability_grade"))
    data = Inputs(**(inputs(disability=disability).__dict__ | {"persons": already}))
    assert flagged("new_severe_disability", data) == {}


def test_unemployed_and_imprisoned():
    employment = fact(
        [11, 21], status=["unemployed", "employed"], wage=[None, 300000], pension=[None, None]
    )
    assert list(flagged("unemployed", inputs(employment=employment))) == [11]
    detention = fact([11, 12, 21], kind=["prison", "detention", "prison"])
    assert list(flagged("imprisoned", inputs(detention=detention))) == [11]  # 21 not a recipient


def test_undeclared_vehicle_real_estate_and_business():
    vehicles = fact([11, 12], plate=["浙A12345", "浙A99999"])
    assert flagged("vehicle_acquired", inputs(vehicles=vehicles)) == {
        12: {"source": "7:3", "plate": "浙A99999"}
    }
    estate = fact([11], certificate=["浙(2024)桐庐县不动产权第1号"])
    assert list(flagged("real_estate_acquired", inputs(real_estate=estate))) == [11]
    business = fact([21], credit_code=["92330122MA2H000001"])
    assert flagged("business_registered", inputs(businesses=business)) == {}  # not a recipient


def test_income_over_standard_sums_the_household_and_compares_with_its_line():
    tax = fact([11, 12], income=[150000, 81800], tax=[0, 0])
    assert flagged("income_over_standard", inputs(income_tax=tax)) == {}  # 231800 = line
    tax = fact([11, 12], income=[150000, 81801], tax=[0, 0])
    found = flagged("income_over_standard", inputs(income_tax=tax))
    assert found[12] == {
        "source": "7:3",
        "income_fen": 81801,
        "household_income_fen": 231801,
        "line_fen": 231800,
    }
    assert sorted(found) == [11, 12]


@pytest.mark.parametrize(
    ("code", "expected"),
    [("age_60", [11]), ("age_80", [21]), ("child_18", [12])],
)
def test_ages_reached_in_the_period(code, expected):
    assert list(flagged(code, inputs())) == expected


def test_age_not_reached_the_month_before():
    earlier = Inputs(**(inputs().__dict__ | {"period": "2024-08"}))
    assert flagged("age_60", earlier) == {} and flagged("child_18", earlier) == {}


def test_taper_ending_and_review_due_in_the_period_only():
    assert flagged("taper_ending", inputs()) == {
        11: {"case_number": "DB-2024-1", "program": "dibao", "taper_until": "2024-09-30"}
    }
    assert flagged("review_due", inputs()) == {}  # due 2024-10-01, next period
    october = Inputs(**(inputs().__dict__ | {"period": "2024-10"}))
    assert list(flagged("review_due", october)) == [11]


def test_disaster_and_moves():
    disaster = fact([21], disaster=["洪涝"], occurred_on=[date(2024, 9, 1)], loss=[500000])
    assert list(flagged("disaster_victim", inputs(disaster=disaster))) == [21]
    moves = fact(
        [11, 12], moved_on=[date(2024, 9, 2)] * 2, direction=["out", "in"], region=["杭州市", None]
    )
    assert list(flagged("moved_out", inputs(hukou_moves=moves))) == [11]


def test_one_row_per_indicator_and_person_even_with_two_facts():
    medical = fact([21, 21], total=[2_000_000, 2_500_000], self_paid=[1_200_000, 1_500_000])
    found = detect_all(inputs(medical=medical)).filter(pl.col("indicator") == "medical_high")
    assert found.height == 1 and json.loads(found["detail"][0])["self_paid"] == 1_200_000


def test_labels_are_chinese():
    assert BY_CODE["recipient_died"].label == "救助对象死亡"
