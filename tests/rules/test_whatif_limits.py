"""Plausibility limits of the what-if API and the Chinese messages of every 422."""

from datetime import date

import pytest

from minzheng.api_errors import chinese_message
from minzheng.rules.api import MAX_FEN, ScreeningHouseholdIn
from tests.factories import TOWNSHIP_A, first_village, make_user

URL = "/api/rules/screening"
BASE = {"region_code": "431102001001", "area_type": "urban", "as_of": "2024-03-01"}


@pytest.fixture
def clerk_client(client, regions):
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    return client


def post(client, payload):
    return client.post(URL, payload, content_type="application/json")


@pytest.mark.parametrize(
    ("members", "change", "field", "message", "kind"),
    [
        (
            [{}, {"birth_date": "1894-03-01"}],
            {},
            "members.1.birth_date",
            "第2位家庭成员在评估日期 2024-03-01 时 130 岁，年龄不能超过 120 岁",
            "age_implausible",
        ),
        (
            [{"birth_date": "2024-03-02"}],
            {},
            "members.0.birth_date",
            "第1位家庭成员的出生日期 2024-03-02 晚于评估日期 2024-03-01",
            "birth_after_as_of",
        ),
        (
            [{"incomes": [{"amount_fen": 10**30}]}],
            {},
            "members.0.incomes.0.amount_fen",
            "第1位家庭成员的第1项收入的金额（分）不能大于 10000000000",
            "less_than_equal",
        ),
        (
            [{}],
            {"medical_expense_fen": -1},
            "medical_expense_fen",
            "医疗支出（分）不能小于 0",
            "greater_than_equal",
        ),
        (
            [{}],
            {"as_of": "2024-02-30"},
            "as_of",
            "评估日期格式不正确",
            "date_from_datetime_parsing",
        ),
        ([{}], {"area_type": None}, "area_type", "城乡类别格式不正确", "string_type"),
        ([], {}, "members", "家庭成员至少要有 1 项", "too_short"),
        ([{"disability_grade": 5}], {}, "members.0.disability_grade", None, "less_than_equal"),
    ],
)
def test_implausible_input_is_a_422_in_chinese_naming_the_field(
    clerk_client, members, change, field, message, kind
):
    response = post(clerk_client, {**BASE, "members": members, **change})
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == ("validation_failed", field)
    assert body["message"] == (message or "第1位家庭成员的残疾等级不能大于 4")
    first = body["errors"][0]
    assert (first["type"], first["message"], "msg" in first) == (kind, body["message"], False)
    assert first["loc"][-1] == field.split(".")[-1]


def test_missing_fields_say_what_to_fill_in(clerk_client):
    response = post(clerk_client, {"members": [{}]})
    body = response.json()
    assert (response.status_code, body["field"], body["message"]) == (
        422,
        "region_code",
        "请填写区划代码",
    )
    assert [e["message"] for e in body["errors"]] == ["请填写区划代码", "请填写城乡类别"]


def test_a_valid_request_gives_the_same_answer_as_before(clerk_client):
    """test_screening's household: 700 yuan standard, 3 members, 1200 yuan → 900 yuan."""
    members = [{"incomes": [{"amount_fen": 120000}]}, {}, {}]
    response = post(clerk_client, {**BASE, "members": members})
    assert response.status_code == 200
    dibao = next(p for p in response.json()["programs"] if p["code"] == "dibao")
    assert (dibao["eligible"], dibao["amount_fen"]) == (True, 90000)


def test_birth_dates_at_the_limits_are_accepted(clerk_client):
    """Born on the evaluation date, and 120 years old on it."""
    members = [{"incomes": [{"amount_fen": 120000}]}, {}, {}]
    members[1] = {"birth_date": "2024-03-01"}
    members[2] = {"birth_date": "1904-03-01"}
    response = post(clerk_client, {**BASE, "members": members})
    assert response.status_code == 200
    dibao = next(p for p in response.json()["programs"] if p["code"] == "dibao")
    assert (dibao["eligible"], dibao["amount_fen"]) == (True, 90000)


def test_amounts_up_to_the_bound_are_accepted(clerk_client):
    members = [{"incomes": [{"amount_fen": MAX_FEN}]}]
    response = post(clerk_client, {**BASE, "members": members, "medical_expense_fen": MAX_FEN})
    assert response.status_code == 200
    dibao = next(p for p in response.json()["programs"] if p["code"] == "dibao")
    assert dibao["eligible"] is False


def test_the_limits_are_in_the_openapi_schema(client, db):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    amount = schemas["IncomeIn"]["properties"]["amount_fen"]
    assert (amount["minimum"], amount["maximum"]) == (0, MAX_FEN)
    assert schemas["ScreeningHouseholdIn"]["properties"]["members"]["maxItems"] == 50
    assert "120" in schemas["ScreeningMemberIn"]["properties"]["birth_date"]["description"]


def test_the_validator_without_as_of_uses_today():
    with pytest.raises(ValueError, match="晚于评估日期"):
        ScreeningHouseholdIn.model_validate(
            {**BASE, "as_of": None, "members": [{"birth_date": date.max.isoformat()}]}
        )


def test_registry_422_says_what_to_fill_in(client, regions):
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    body = {"village_code": first_village(TOWNSHIP_A), "address": "旧县村1号", "head": {}}
    response = client.post("/api/registry/households", body, content_type="application/json")
    answer = response.json()
    assert (response.status_code, answer["field"], answer["message"]) == (
        422,
        "head.name",
        "请填写户主的姓名",
    )
    assert [e["message"] for e in answer["errors"]] == [
        "请填写户主的姓名",
        "请填写户主的身份证号码",
    ]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            {"type": "enum", "loc": ["body", "payload", "disability_category", "str-enum[X]"]},
            "残疾类别的取值无效",
        ),
        (
            {
                "type": "string_too_long",
                "loc": ["body", "payload", "reason"],
                "ctx": {"max_length": 200},
            },
            "原因不能超过 200 个字符",
        ),
        (
            {"type": "extra_forbidden", "loc": ["body", "payload", "nickname"]},
            "不接受的字段：nickname",
        ),
        ({"type": "int_parsing", "loc": ["path", "person_id"]}, "人员 ID格式不正确"),
        (
            {"type": "value_error", "loc": ["body", "payload"], "msg": "Value error, 自定义说明"},
            "自定义说明",
        ),
        (
            {"type": "value_error", "loc": ["body", "payload", "x"], "msg": "Value error, odd"},
            "x有误",
        ),
    ],
)
def test_chinese_message_of_other_error_types(error, message):
    assert chinese_message(error) == message
