"""One-household latency: `screen_facts` in process, and POST /api/rules/screening over HTTP
against the real server (`minzheng serve`: waitress, DEBUG off), signed in as a township clerk.

Run by run.py as a child process whose environment holds the server's settings (secrets,
MINZHENG_VAR_DIR pointing at a temporary SQLite database); the server is started from here
with the same environment and stopped at the end.
"""

import http.client
import json
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path

AS_OF = date(2025, 7, 1)
USERNAME = "bench_clerk"
# A three-generation household in the demo county (its shipped standard, rural): an elderly
# disabled grandmother with a pension, a working father with wages and farm income, a child;
# a deposit, a dwelling. Every core program has something to decide.
HOUSEHOLD = {
    "region_code": "330122000000",
    "area_type": "rural",
    "members": [
        {
            "birth_date": "1941-03-12",
            "disability_category": "physical",
            "disability_grade": 2,
            "incomes": [{"period": "monthly", "amount_fen": 62000}],
        },
        {
            "birth_date": "1979-11-02",
            "incomes": [
                {"period": "monthly", "amount_fen": 150000},
                {"period": "annual", "amount_fen": 480000},
                {"period": "monthly", "amount_fen": 20000, "excluded": True},
            ],
        },
        {"birth_date": "2013-06-30"},
    ],
    "assets": [{"kind": "deposit", "value_fen": 2500000}, {"kind": "real_estate"}],
    "as_of": AS_OF.isoformat(),
}


def measure(calls: int) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    password = _create_clerk()
    return {"in_process": in_process(calls), "http": over_http(calls, password)}


def in_process(calls: int) -> dict:
    """The facts as the API hands them to the engine (the request schema's defaults filled)."""
    from minzheng.rules.api import HouseholdIn
    from minzheng.rules.screening import screen_facts

    facts = HouseholdIn(**HOUSEHOLD).dict()
    day = facts.pop("as_of")
    return timed(lambda: screen_facts(facts, day), calls)


def over_http(calls: int, password: str) -> dict:
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # collectstatic fills it later
    port = _free_port()
    binary = str(Path(sys.executable).with_name("minzheng"))
    server = subprocess.Popen(
        [binary, "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        client = Client(port)
        client.wait_until_up(server)
        client.sign_in(USERNAME, password)
        body = json.dumps(HOUSEHOLD).encode()
        status, answer = client.post_json("/api/rules/screening", body)
        if status != 200:
            raise RuntimeError(f"screening answered {status}: {answer[:500]!r}")
        result = timed(lambda: client.post_json("/api/rules/screening", body), calls)
        result["eligible"] = json.loads(answer)["eligible"]
        return result
    finally:
        server.terminate()
        server.wait(timeout=30)


def timed(call, calls: int) -> dict:
    for _ in range(max(20, calls // 50)):  # warm-up: imports, caches, first queries
        call()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "calls": calls,
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(0.95 * (calls - 1))], 3),
    }


def _create_clerk() -> str:
    """Regions as the demo loads them; the clerk's home region is a township of the county."""
    from django.core.management import call_command

    from minzheng import demo
    from minzheng.regions import codes

    demo.load_demo_regions()
    township = demo.demo_region_for(codes.TOWNSHIP, demo.DEMO_COUNTY)
    password = secrets.token_urlsafe(12) + "Aa1!"
    call_command(
        "createuser", USERNAME, region=township, role=["township_clerk"], password=password
    )
    return password


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Client:
    """A keep-alive HTTP/1.1 connection with the session and CSRF cookies, as a browser has."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def wait_until_up(self, server: subprocess.Popen, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped with code {server.returncode}")
            try:
                self.request("GET", "/accounts/login/")
                return
            except OSError:
                self.connection.close()
                time.sleep(0.5)
        raise RuntimeError("the server did not answer in time")

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body, {"Cookie": cookie, **(headers or {})})
        response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        return response.status, data

    def sign_in(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _ = self.request(
            "POST", "/accounts/login/", urllib.parse.urlencode(form).encode(), headers
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in failed with status {status}")

    def post_json(self, path: str, body: bytes):
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.cookies["csrftoken"]}
        return self.request("POST", path, body, headers)
