"""The registry's JSON API: schema, list/detail, the permission matrix of every endpoint, writes
with their audit events, refusals that change nothing, CSRF."""

from datetime import date

import pytest
from django.test import Client
from stdnum.cn import ric

from minzheng.audit.models import AuditEvent
from minzheng.kit.errors import Error as KitError
from minzheng.regions.models import Region
from minzheng.registry.errors import Error
from minzheng.registry.models import Household, HouseholdMove, Person
from tests.factories import (
    DEMO_COUNTY,
    TOWNSHIP_A,
    TOWNSHIP_B,
    first_village,
    make_household,
    make_id_number,
    make_user,
)

BASE = "/api/registry"


@pytest.fixture
def world(regions):
    """Two households in township A (`home`, `spare`) and one in township B (`away`)."""
    here, there = first_village(TOWNSHIP_A), first_village(TOWNSHIP_B)
    return make_household(here), make_household(here), make_household(there)


@pytest.fixture
def clerk(regions):
    return make_user("township_clerk", TOWNSHIP_A)


def send(client, method, url, body=None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type="application/json")


def snapshot():
    """Everything an API call may change: rows, versions, moves, audit events."""
    households = Household.objects.order_by("pk").values_list("pk", "version", "status", "address")
    persons = Person.objects.order_by("pk").values_list("pk", "household_id", "version", "name")
    counts = HouseholdMove.objects.count(), AuditEvent.objects.count()
    return list(households), list(persons), counts


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def actions_since(seq: int) -> list[str]:
    events = AuditEvent.objects.filter(seq__gt=seq).order_by("seq")
    return list(events.values_list("action", flat=True))


def expect(actual, **expected) -> None:
    """A dict (or an object's attributes) holds exactly these values for these keys."""
    get = actual.get if isinstance(actual, dict) else lambda key: getattr(actual, key)
    assert {key: get(key) for key in expected} == expected


def masked(id_number: str) -> str:
    return id_number[:6] + "********" + id_number[-4:]


def person_json(person: Person, **overrides) -> dict:
    return {
        "id": person.pk,
        "household_id": person.household_id,
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "relation": person.relation,
        "id_number_masked": masked(person.id_number),
        "phone_masked": "",
        "co_resident": True,
        "exclusion": "",
        "disability_category": "",
        "disability_grade": None,
        "labour_capacity": "full",
        "version": 1,
        **overrides,
    }


def test_openapi_schema_lists_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    assert (schema["info"]["title"], schema["info"]["version"]) == ("Minzheng API", "1")
    registry_paths = {p: ops for p, ops in schema["paths"].items() if p.startswith(BASE)}
    assert {path: sorted(operations) for path, operations in registry_paths.items()} == {
        f"{BASE}/households": ["get", "post"],
        f"{BASE}/households/{{household_id}}": ["get"],
        f"{BASE}/households/{{household_id}}/members": ["post"],
        f"{BASE}/persons/{{person_id}}": ["patch"],
        f"{BASE}/persons/{{person_id}}/transfer": ["post"],
        f"{BASE}/persons/{{person_id}}/reveal": ["post"],
    }


# -- the permission matrix: anonymous, wrong role, other township, right clerk ---------------------

ACTORS = {
    "anonymous": None,
    "wrong role": ("system_admin", DEMO_COUNTY),
    "other township": ("township_clerk", TOWNSHIP_B),
    "right clerk": ("township_clerk", TOWNSHIP_A),
}
# The list scopes rather than refuses (see below). Registering names a village, not an object:
# another township's village is refused with 403.
EXPECTED = {
    "list": (401, 403, 200, 200),
    "detail": (401, 403, 404, 200),
    "register": (401, 403, 403, 201),
    "add member": (401, 403, 404, 201),
    "edit person": (401, 403, 404, 200),
    "transfer": (401, 403, 404, 200),
    "reveal": (401, 403, 404, 200),
}
CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}
# The refusals a service explains with its own code; the others are the generic, message-less
# ones (a permission the role lacks, an object outside the user's region).
SPECIFIC = {
    ("register", "other township"): Error.VILLAGE_OUT_OF_SCOPE.code,
    ("reveal", "wrong role"): Error.REVEAL_NOT_PERMITTED.code,
}


def request_for(endpoint, world):
    home, spare, _away = world
    spouse = home.members.get(relation="spouse")
    households, person = f"{BASE}/households", f"{BASE}/persons/{spouse.pk}"
    head = {"id_number": make_id_number(date(1992, 6, 1), "F"), "name": "王丽"}
    register = {"village_code": home.region_id, "address": "新村1号", "head": head}
    transfer = {"to_household_id": spare.pk, "relation": "other", "reason": "投靠亲属"}
    return {
        "list": ("get", households, None),
        "detail": ("get", f"{households}/{home.pk}", None),
        "register": ("post", households, register),
        "add member": ("post", f"{households}/{home.pk}/members", {**head, "relation": "child"}),
        "edit person": ("patch", person, {"version": 1, "name": "张芳"}),
        "transfer": ("post", f"{person}/transfer", transfer),
        "reveal": ("post", f"{person}/reveal", None),
    }[endpoint]


@pytest.mark.parametrize("endpoint", EXPECTED)
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(client, world, endpoint, actor):
    if ACTORS[actor]:
        client.force_login(make_user(*ACTORS[actor]))
    expected = EXPECTED[endpoint][list(ACTORS).index(actor)]
    method, url, body = request_for(endpoint, world)
    before = snapshot()
    response = send(client, method, url, body)
    assert response.status_code == expected
    if expected >= 400:
        assert response.json()["code"] == SPECIFIC.get((endpoint, actor), CODES[expected])
        assert snapshot() == before


def test_refusals_explain_themselves_in_chinese(client, world):
    response = client.get(f"{BASE}/households")
    assert response.json() == {"code": "not_authenticated", "message": "请先登录。", "field": None}
    client.force_login(make_user("township_clerk", TOWNSHIP_B))
    response = client.get(f"{BASE}/households/{world[0].pk}")
    message = "对象不存在或不在您的管辖范围内。"
    assert response.json() == {"code": "not_found", "message": message, "field": None}


# -- reads -----------------------------------------------------------------------------------------


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_list_shows_only_the_users_region_in_number_order(client, world):
    home, spare, away = world
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    response = client.get(f"{BASE}/households")
    assert (response.json()["count"], ids(response)) == (2, [home.pk, spare.pk])
    assert response.json()["items"][0] == {
        "id": home.pk,
        "number": home.number,
        "region_code": home.region_id,
        "region_name": Region.objects.get(code=home.region_id).name,
        "address": "幸福路1号",
        "area_type": "rural",
        "status": "active",
        "size": 2,
    }
    client.force_login(make_user("township_clerk", TOWNSHIP_B))
    assert ids(client.get(f"{BASE}/households")) == [away.pk]


def test_list_filters_by_name_pinyin_id_number_number_and_region(client, clerk, regions):
    villages = Region.objects.filter(code__startswith=TOWNSHIP_A[:9], level=5).order_by("code")
    first, second = (v.code for v in villages[:2])
    one, two = make_household(first), make_household(second)
    two_head = two.members.get(relation="head")
    Person.objects.filter(pk=two_head.pk).update(
        name="李秀英", name_pinyin="lixiuying", name_initials="lxy"
    )
    client.force_login(clerk)
    for query, expected in [
        ("q=李秀英", [two.pk]),
        ("q=lixiu", [two.pk]),
        ("q=LXY", [two.pk]),
        ("q=张", [one.pk, two.pk]),
        (f"q={two_head.id_number}", [two.pk]),
        (f"q={one.number}", [one.pk]),
        (f"region_code={second}", [two.pk]),
        (f"region_code={TOWNSHIP_A[:9]}", [one.pk, two.pk]),
        (f"region_code={TOWNSHIP_B[:9]}", []),
        ("q=无此人", []),
    ]:
        assert ids(client.get(f"{BASE}/households?{query}")) == expected, query


def test_list_is_paginated_by_50(client, clerk, regions):
    created = [make_household(first_village(TOWNSHIP_A), members=0).pk for _ in range(53)]
    client.force_login(clerk)
    page_one = client.get(f"{BASE}/households").json()
    page_two = client.get(f"{BASE}/households?page=2").json()
    assert (page_one["count"], len(page_one["items"]), page_two["count"]) == (53, 50, 53)
    assert [h["id"] for h in page_one["items"] + page_two["items"]] == created
    assert ids(client.get(f"{BASE}/households?page=3&page_size=10")) == created[20:30]


def test_detail_shows_members_with_masked_identifiers(client, clerk, world):
    home = world[0]
    head, spouse = home.members.order_by("pk")
    Person.objects.filter(pk=head.pk).update(phone="13912345678")
    client.force_login(clerk)
    response = client.get(f"{BASE}/households/{home.pk}")
    body = response.json()
    assert (body["id"], body["size"], body["version"], body["hukou_address"]) == (home.pk, 2, 1, "")
    assert body["members"] == [person_json(head, phone_masked="139****5678"), person_json(spouse)]
    first = body["members"][0]
    assert (first["name"], first["sex"], first["birth_date"]) == ("张伟0", "M", "1950-03-01")
    for clear in (head.id_number, spouse.id_number, "13912345678"):
        assert clear not in response.content.decode()


# -- writes ----------------------------------------------------------------------------------------


def test_register_household_creates_it_with_its_head_and_audits_both(client, clerk, regions):
    village, id_number = first_village(TOWNSHIP_A), make_id_number(date(1975, 2, 3), "M")
    head = {"id_number": id_number, "name": " 陈大勇 ", "phone": "13800001111"}
    body = {"village_code": village, "address": " 旧县村5组2号 ", "hukou_address": "旧县村"}
    client.force_login(clerk)
    seq = last_seq()
    response = send(client, "post", f"{BASE}/households", {**body, "head": head})
    assert response.status_code == 201
    household = Household.objects.get()
    answer = response.json()
    expect(answer, id=household.pk, number=f"{village}00001", address="旧县村5组2号", size=1)
    expect(answer, area_type="rural", hukou_address="旧县村", status="active", version=1)
    person = household.members.get()
    assert answer["members"] == [person_json(person, phone_masked="138****1111")]
    expect(person, name="陈大勇", relation="head", sex="M", birth_date=date(1975, 2, 3))
    expect(person, phone="13800001111", name_pinyin="chendayong")
    assert actions_since(seq) == ["household.registered", "person.registered"]
    assert id_number not in response.content.decode()
    event = AuditEvent.objects.get(action="person.registered")
    expect(event.after, id_number=masked(id_number), name="陈大勇", relation="head")


NO_ADDRESS = Error.HOUSEHOLD_ADDRESS_MISSING
MALFORMED = "validation_failed"


@pytest.mark.parametrize(
    ("change", "field", "refusal"),
    [
        # the service's own check
        ({"address": "  "}, "address", (NO_ADDRESS.code, NO_ADDRESS.message)),
        # malformed input, refused by the schema before any service runs
        ({"village_code": "3301"}, "village_code", (MALFORMED, "村（社区）代码格式不正确")),
        ({"area_type": "x"}, "area_type", (MALFORMED, "城乡类别的取值无效")),
        (
            {"head": {"id_number": "330122197501010011", "name": ""}},
            "head.name",
            (MALFORMED, "请填写户主的姓名"),
        ),
    ],
)
def test_register_refusals_change_nothing(client, clerk, regions, change, field, refusal):
    head = {"id_number": make_id_number(date(1980, 1, 1), "M"), "name": "陈勇"}
    body = {"village_code": first_village(TOWNSHIP_A), "address": "旧县村1号", "head": head}
    client.force_login(clerk)
    before = snapshot()
    response = send(client, "post", f"{BASE}/households", {**body, **change})
    assert response.status_code == 422
    code, message = refusal
    expect(response.json(), code=code, field=field, message=message)
    assert snapshot() == before


def with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize(
    ("id_number", "code"),
    [
        ("", KitError.ID_MISSING),
        ("  ", KitError.ID_MISSING),
        ("1.10105E+17", KitError.ID_EXCEL_MANGLED),
        ("1,10105e17", KitError.ID_EXCEL_MANGLED),
        (with_check("99010119800101001"), KitError.ID_REGION),
    ],
)
def test_register_refuses_a_blank_or_excel_mangled_id_number_saying_so(
    client, clerk, regions, id_number, code
):
    head = {"id_number": id_number, "name": "陈勇"}
    body = {"village_code": first_village(TOWNSHIP_A), "address": "旧县村1号", "head": head}
    client.force_login(clerk)
    before = snapshot()
    response = send(client, "post", f"{BASE}/households", body)
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["message"]) == (code.code, code.text())
    assert snapshot() == before


def test_add_member_accepts_a_county_code_created_after_the_birth_date(client, clerk, world):
    """110118 密云区 dates from 2015: a child born there in 2010 carries its code."""
    number = with_check("11011820100101002")
    body = {"id_number": number, "name": "张小明", "relation": "child"}
    client.force_login(clerk)
    response = send(client, "post", f"{BASE}/households/{world[0].pk}/members", body)
    assert response.status_code == 201
    assert world[0].members.filter(birth_date=date(2010, 1, 1)).exists()


def test_add_member_returns_the_person_and_audits_masked(client, clerk, world):
    home, id_number = world[0], make_id_number(date(2012, 9, 1), "F")
    body = {
        "id_number": id_number,
        "name": "张小花",
        "relation": "child",
        "student_status": "primary",
    }
    client.force_login(clerk)
    seq = last_seq()
    response = send(client, "post", f"{BASE}/households/{home.pk}/members", body)
    assert response.status_code == 201
    person = Person.objects.get(name="张小花")
    assert response.json() == person_json(person)
    expect(person, household_id=home.pk, sex="F", birth_date=date(2012, 9, 1))
    expect(person, relation="child", student_status="primary", name_initials="zxh")
    assert actions_since(seq) == ["person.registered"]
    event = AuditEvent.objects.get(seq=seq + 1)
    assert (event.object_id, event.after["id_number"]) == (str(person.pk), masked(id_number))


def test_duplicate_id_number_is_a_409_naming_the_household(client, clerk, world):
    home = world[0]
    existing = home.members.get(relation="head")
    client.force_login(clerk)
    before = snapshot()
    body = {"id_number": existing.id_number, "name": "张三", "relation": "child"}
    response = send(client, "post", f"{BASE}/households/{home.pk}/members", body)
    assert response.status_code == 409
    assert response.json() == {
        "code": "duplicate_id_number",
        "message": Error.DUPLICATE_ID_NUMBER.text(number=home.number, name="张伟0"),
        "field": "id_number",
    }
    assert snapshot() == before


def test_edit_person_changes_the_fields_and_audits_masked(client, clerk, world):
    spouse = world[0].members.get(relation="spouse")
    client.force_login(clerk)
    seq = last_seq()
    body = {"version": 1, "name": "张芳芳", "phone": "13700002222", "disability_grade": 2}
    response = send(client, "patch", f"{BASE}/persons/{spouse.pk}", body)
    assert response.status_code == 200
    spouse.refresh_from_db()
    assert response.json() == person_json(
        spouse, name="张芳芳", phone_masked="137****2222", disability_grade=2, version=2
    )
    assert (spouse.name_pinyin, spouse.phone) == ("zhangfangfang", "13700002222")
    assert actions_since(seq) == ["person.changed"]
    event = AuditEvent.objects.get(seq=seq + 1)
    expect(event.before, name="张芳1", phone="", disability_grade=None)
    expect(event.after, name="张芳芳", phone="137****2222", disability_grade=2)


STALE = Error.STALE_EDIT.message


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        (
            {"version": 0, "name": "张三"},
            409,
            {"code": "stale_edit", "message": STALE, "field": None},
        ),
        ({"version": 1, "name": None}, 422, {"field": "name"}),
        ({"version": 1, "id_number": "330122199001011234"}, 422, {"field": "id_number"}),
        ({"version": 1, "relation": "boss"}, 422, {"field": "relation"}),
        ({"version": 1, "disability_category": "x"}, 422, {"field": "disability_category"}),
        ({"name": "张芳"}, 422, {"code": "validation_failed", "field": "version"}),
    ],
)
def test_edit_refusals_change_nothing(client, clerk, world, body, status, expected):
    """A stale version (someone saved since it was read), a null, an unknown or invalid field."""
    spouse = world[0].members.get(relation="spouse")
    client.force_login(clerk)
    before = snapshot()
    response = send(client, "patch", f"{BASE}/persons/{spouse.pk}", body)
    assert response.status_code == status
    expect(response.json(), **expected)
    assert snapshot() == before


def test_transfer_moves_the_person_and_records_the_move(client, clerk, world):
    home, spare, _away = world
    spouse = home.members.get(relation="spouse")
    client.force_login(clerk)
    seq = last_seq()
    body = {"to_household_id": spare.pk, "relation": "sibling", "reason": " 投靠亲属 "}
    response = send(client, "post", f"{BASE}/persons/{spouse.pk}/transfer", body)
    assert response.status_code == 200
    expect(response.json(), household_id=spare.pk, relation="sibling", version=2)
    move = HouseholdMove.objects.get()
    expect(move, person_id=spouse.pk, from_household_id=home.pk, to_household_id=spare.pk)
    assert move.reason == "投靠亲属"
    assert actions_since(seq) == ["person.transferred"]


def test_reveal_returns_the_id_number_and_writes_one_audit_event(client, clerk, world):
    spouse = world[0].members.get(relation="spouse")
    client.force_login(clerk)
    seq = last_seq()
    response = client.post(f"{BASE}/persons/{spouse.pk}/reveal")
    assert response.json() == {"id_number": spouse.id_number}
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(seq__gt=seq)
    expect(event, action="person.revealed", actor_id=clerk.pk, object_id=str(spouse.pk))
    assert event.ip == "127.0.0.1"
    assert event.after == {"field": "id_number", "masked": masked(spouse.id_number)}


def test_post_without_csrf_token_is_refused_and_changes_nothing(world, clerk):
    spouse = world[0].members.get(relation="spouse")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    before = snapshot()
    response = browser.post(f"{BASE}/persons/{spouse.pk}/reveal")
    assert (response.status_code, response.json()["code"]) == (403, "csrf_failed")
    assert snapshot() == before
    browser.cookies["csrftoken"] = "a" * 32  # with the token (cookie + header) it goes through
    response = browser.post(f"{BASE}/persons/{spouse.pk}/reveal", HTTP_X_CSRFTOKEN="a" * 32)
    assert response.status_code == 200
