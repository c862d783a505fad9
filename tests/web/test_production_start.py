"""Starting outside debug mode: refused without secrets, serving with them."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

MINZHENG = [sys.executable, "-m", "minzheng.cli"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(
        DEBUG="false", MINZHENG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="minzheng.settings"
    )
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_debug_false_without_secrets_refuses_to_start_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [*MINZHENG, "check"], env=_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "配置错误：生产模式（DEBUG=false）下必须设置以下密钥" in result.stderr
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY", "AUDIT_HMAC_KEY"):
        assert name in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing was created


def test_debug_false_with_secrets_serves_the_login_page(tmp_path):
    secrets = subprocess.run(
        [*MINZHENG, "generate-secrets"],
        env=_env(tmp_path, DEBUG="true"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    values = dict(line.split("=", 1) for line in secrets.split())
    env = _env(tmp_path, ALLOWED_HOSTS="127.0.0.1", SECURE_COOKIES="false", **values)
    subprocess.run(
        [*MINZHENG, "migrate", "--no-input"], env=env, check=True, capture_output=True, timeout=120
    )
    port = _free_port()
    server = subprocess.Popen(
        [*MINZHENG, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        response = _get_when_up(f"http://127.0.0.1:{port}/accounts/login/")
        body = response.read().decode()
        assert response.status == 200
        assert "登录" in body
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        css = _get_when_up(f"http://127.0.0.1:{port}/static/web/minzheng.css")
        assert css.status == 200
        for path in ("/api/openapi.json", "/api/docs"):  # API_DOCS is off in production
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
            assert refused.value.code == 404
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get_when_up(url: str, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5)  # noqa: S310 - loopback test server
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_debug_false_with_short_or_malformed_keys_refuses_naming_each(tmp_path):
    secrets = {
        "SECRET_KEY": "s" * 31,
        "FIELD_ENCRYPTION_KEY": "bm90IGEga2V5",  # Base64, but of 9 bytes
        "BLIND_INDEX_KEY": "x",
        "AUDIT_HMAC_KEY": "a" * 40,  # long enough
    }
    result = subprocess.run(
        [*MINZHENG, "check"],
        env=_env(tmp_path, **secrets),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("配置错误：SECRET_KEY 太短：生产模式下至少需要 32 个字符")
    assert lines[1].startswith("FIELD_ENCRYPTION_KEY 不是有效的密钥")
    assert lines[2].startswith("BLIND_INDEX_KEY 太短")
    assert len(lines) == 3 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing was created


def _generated(tmp_path: Path) -> dict[str, str]:
    secrets = subprocess.run(
        [*MINZHENG, "generate-secrets"],
        env=_env(tmp_path, DEBUG="true"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return dict(line.split("=", 1) for line in secrets.split())


@pytest.fixture(scope="module")
def written_in_debug(tmp_path_factory):
    """A database migrated in debug mode (the development keys), once for the module, with
    the suite's settings module (every app of Minzheng's own)."""
    var_dir = tmp_path_factory.mktemp("debug-database")
    debug = _env(var_dir, DEBUG="true", DJANGO_SETTINGS_MODULE=os.environ["DJANGO_SETTINGS_MODULE"])
    subprocess.run(
        [*MINZHENG, "migrate", "--no-input"],
        env=debug,
        check=True,
        capture_output=True,
        timeout=180,
    )
    return var_dir / "minzheng.sqlite3"


@pytest.fixture
def demo_database(tmp_path, written_in_debug):
    """A copy of it for one test, and the environments of debug and of production (freshly
    generated keys) over the copy."""
    with (
        closing(sqlite3.connect(written_in_debug)) as source,
        closing(sqlite3.connect(tmp_path / "minzheng.sqlite3")) as copy,
    ):
        source.backup(copy)
    module = os.environ["DJANGO_SETTINGS_MODULE"]
    debug = _env(tmp_path, DEBUG="true", DJANGO_SETTINGS_MODULE=module)
    production = _env(
        tmp_path,
        DJANGO_SETTINGS_MODULE=module,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="false",
        **_generated(tmp_path),
    )
    return debug, production


@pytest.mark.xdist_group("keys-start")
def test_a_database_written_under_other_keys_is_refused_at_start_naming_them(demo_database):
    """A database written in debug mode (as by `make demo`) with freshly generated production
    keys: refused at `migrate` and `check-keys`, each key named, instead of a 500 on every page
    that decrypts."""
    debug, production = demo_database
    for command in (["migrate", "--no-input"], ["check-keys"]):
        result = subprocess.run(
            [*MINZHENG, *command], env=production, capture_output=True, text=True, timeout=120
        )
        assert result.returncode != 0, command
        for name in ("FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY", "AUDIT_HMAC_KEY"):
            assert f"{name} 与数据库不符" in result.stderr, (command, result.stderr)
        assert "Traceback" not in result.stderr
    agreed = subprocess.run(
        [*MINZHENG, "check-keys"], env=debug, capture_output=True, text=True, timeout=120
    )
    assert agreed.returncode == 0 and "密钥校验通过" in agreed.stdout


@pytest.mark.xdist_group("keys-start")
def test_serve_refuses_a_database_written_under_other_keys(demo_database):
    _, production = demo_database
    try:
        result = subprocess.run(
            [*MINZHENG, "serve", "--port", str(_free_port())],
            env=production,
            capture_output=True,
            text=True,
            timeout=20,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("serve started on keys the database was not written with")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY 与数据库不符" in result.stderr
