"""Starting outside debug mode: refused without secrets, serving with them."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
