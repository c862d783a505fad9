"""The OpenAPI schema describes every answer: each operation's own request body, and every
refusal it may give, in the one shape {"code", "message", "field"} (found by tests/api/
test_fuzz.py: a component name two routers shared, and refusals the schema did not declare)."""

import pytest
from django.test import Client
from pydantic import BaseModel

from minzheng import api_errors
from minzheng.registry import api as registry_api
from minzheng.rules import api as rules_api
from minzheng.rules import api_snapshots
from tests.factories import DEMO_COUNTY, make_user

API_MODULES = [api_errors, registry_api, rules_api, api_snapshots]
ERROR_OUT = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture
def schema(client):
    return client.get("/api/openapi.json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_schema_classes_have_distinct_names():
    """The schema names a component by its class name, one namespace for the whole API: a
    second HouseholdIn silently replaced the first in every operation that used it."""
    classes = {
        cls
        for module in API_MODULES
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, BaseModel)
        and cls.__module__.startswith("minzheng")
    }
    names = sorted(cls.__name__ for cls in classes)
    assert len(names) == len(set(names)), names


@pytest.mark.parametrize(
    ("method", "path", "model"),
    [
        ("post", "/api/registry/households", registry_api.HouseholdIn),
        ("post", "/api/registry/households/{household_id}/members", registry_api.MemberIn),
        ("post", "/api/rules/screening", rules_api.ScreeningHouseholdIn),
    ],
)
def test_each_body_is_documented_with_its_own_fields(schema, method, path, model):
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
    name = body["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][name]["properties"]) == set(model.model_fields)


def test_every_operation_declares_its_refusals(schema):
    for label, operation in operations(schema):
        responses = operation["responses"]
        refusals = {401, 403, 422} | ({400} if "requestBody" in operation else set())
        for status in refusals:
            content = responses.get(str(status), {}).get("content", {})
            assert content.get("application/json", {}).get("schema") == ERROR_OUT, (label, status)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("post", "/api/rules/screening", "{", 400, "malformed_request"),
        ("post", "/api/rules/households/0/snapshots", "{", 400, "malformed_request"),
        ("get", "/api/rules/households/0/screening", None, 404, "not_found"),
        ("get", "/api/rules/snapshots/0", None, 404, "snapshot_not_found"),
        ("get", "/api/rules/households/0/screening?as_of=x", None, 422, "validation_failed"),
    ],
)
def test_rules_refusals_are_declared_and_shaped_so(
    regions, schema, method, path, body, status, code
):
    client = Client()
    client.force_login(make_user("county_admin", DEMO_COUNTY))
    if body is None:
        response = getattr(client, method)(path)
    else:
        response = getattr(client, method)(path, body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (status, code)
    template = path.replace("/0/", "/{household_id}/").replace("/0", "/{snapshot_id}")
    template = template.split("?")[0]
    assert str(status) in schema["paths"][template][method]["responses"]
