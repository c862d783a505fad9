"""API fuzzing (schemathesis): every operation of /api/openapi.json, called in-process by a
signed-in county manager with the CSRF token, with generated valid and invalid input. No
answer may be a 5xx, and every answer must be one the schema declares: its status, its
content type and its body's shape.

Deterministic and bounded: a fixed seed, derandomized Hypothesis, no example database;
FUZZ_EXAMPLES generated cases per operation (the fuzzing phase, valid and invalid input) plus
the coverage phase's boundary cases, about 1,800 cases in all, the same ones every run (about
45 s on SQLite and 70 s on PostgreSQL on the 2-core machine). A failure shows the request, the
answer and the server's traceback.
"""

import logging
import traceback
from datetime import date

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import got_request_exception
from django.test import Client
from django.test.client import ClientHandler
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from stdnum.cn import ric

from minzheng.registry.models import Person
from minzheng.rules import snapshots
from tests.factories import (
    DEMO_COUNTY,
    TOWNSHIP_A,
    TOWNSHIP_B,
    first_village,
    make_household,
    make_user,
)

SEED = 20_240_801
FUZZ_EXAMPLES = 50
CSRF_TOKEN = "f" * 32
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",  # valid input and invalid input
            "deterministic": True,
            "database": "none",
            "max-examples": FUZZ_EXAMPLES,
            "with-security-parameters": False,  # the session cookie is ours, not generated
        },
    }
)


class InProcessApp:
    """Django as a WSGI application inside the test's transaction: Django's test handler (it
    keeps the database connection open between requests, as the test client does) with the
    CSRF check enforced. An unhandled exception is a 500 answer; its traceback is kept."""

    def __init__(self):
        self.handler = ClientHandler(enforce_csrf_checks=True)
        self.tracebacks: list[str] = []

    def __call__(self, environ, start_response):
        response = self.handler(environ)  # already closed, as a WSGI server would
        headers = [*response.items()]
        headers += [("Set-Cookie", cookie.OutputString()) for cookie in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]

    def keep_traceback(self, sender, request=None, **kwargs):
        self.tracebacks.append(
            f"{request.method} {request.get_full_path()}\n{traceback.format_exc()}"
        )


@pytest.fixture
def app():
    app = InProcessApp()
    got_request_exception.connect(app.keep_traceback)
    requests_log = logging.getLogger("django.request")
    level = requests_log.level
    requests_log.setLevel(logging.ERROR)  # thousands of refusals (4xx) are expected; 5xx not
    yield app
    requests_log.setLevel(level)
    got_request_exception.disconnect(app.keep_traceback)


@pytest.fixture
def signed_in(regions):
    """The session cookie of a county manager (every API permission, the whole county)."""
    browser = Client()
    browser.force_login(make_user("county_admin", DEMO_COUNTY))
    return {settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value}


def id_numbers():
    """ID numbers with the right check digit, of people born in the county."""
    births = st.dates(date(1930, 1, 1), date(2023, 12, 31))
    return st.builds(_id_number, births, st.integers(0, 999))


def _id_number(birth: date, sequence: int) -> str:
    body = f"{DEMO_COUNTY[:6]}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def realistic(value, values: dict):
    """`value` (a body, a query, path parameters) with the fields named in `values` drawn from
    their strategy: ids of existing rows, the county's region codes, valid ID numbers, days
    the published parameters cover. Random ones are nearly all refused before any service
    runs; these reach the services."""
    if isinstance(value, dict):
        fields = {k: values[k] if k in values else realistic(v, values) for k, v in value.items()}
        return st.fixed_dictionaries(fields)
    if isinstance(value, list):
        return st.tuples(*(realistic(item, values) for item in value)).map(list)
    return st.just(value)


@pytest.fixture
def api_schema(regions, app, signed_in):
    """The schema, loaded from the app, with rows behind some of the values the fuzzer sends:
    about half the generated cases have existing ids and real codes (see `realistic`)."""
    villages = [first_village(t) for t in (TOWNSHIP_A, TOWNSHIP_A, TOWNSHIP_B)]
    households = [make_household(village) for village in villages]
    manager = make_user("county_admin", DEMO_COUNTY)
    snapshot = snapshots.take(manager, households[0].pk, date(2024, 8, 1), "application")
    household_ids = st.sampled_from([h.pk for h in households])
    values = {
        "household_id": household_ids,
        "to_household_id": household_ids,
        "person_id": st.sampled_from(list(Person.objects.values_list("pk", flat=True))),
        "snapshot_id": st.just(snapshot.pk),
        "village_code": st.sampled_from(villages),
        "region_code": st.sampled_from([DEMO_COUNTY, TOWNSHIP_A, villages[0]]),
        "id_number": id_numbers(),
        "as_of": st.dates(date(2024, 1, 1), date(2025, 12, 31)).map(date.isoformat),
    }
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=CONFIG)

    def half_realistic(context, value):
        return st.one_of(realistic(value, values), st.just(value))

    for part in ("path_parameters", "query", "body"):
        schema.hook(f"flatmap_{part}")(half_realistic)
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis_settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_every_answer_is_in_the_schema(case, app, signed_in):
    app.tracebacks.clear()
    try:
        case.call_and_validate(
            headers={"X-CSRFToken": CSRF_TOKEN},
            cookies={**signed_in, settings.CSRF_COOKIE_NAME: CSRF_TOKEN},
            checks=CHECKS,
        )
    except BaseException as exc:
        for text in app.tracebacks:
            exc.add_note(f"\nThe server's traceback:\n{text}")
        raise
