"""Production refuses a key of the wrong form at start, naming it (kit/env.py); debug mode
keeps its development values. (Unit tests of kit.env beside tests/kit/test_env.py.)"""

import base64
import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured

from minzheng.kit.crypto import new_key
from minzheng.kit.env import Env, field_key_bytes, secret_problem

GOOD = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEY": new_key(),
    "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
    "AUDIT_HMAC_KEY": "a" * 32,  # 32 characters: the least accepted
}


def _start(environ: dict[str, str], *, debug: bool = False) -> Env:
    env = Env(environ)
    env.secret("SECRET_KEY", debug=debug)
    env.secret("FIELD_ENCRYPTION_KEY", debug=debug, kind="key")
    env.secret("BLIND_INDEX_KEY", debug=debug)
    env.secret("AUDIT_HMAC_KEY", debug=debug)
    env.refuse_if_missing()
    return env


def test_generated_secrets_start_in_production():
    env = _start(GOOD)
    assert (env.missing, env.malformed) == ([], [])


def test_short_secrets_and_a_malformed_field_key_are_refused_each_by_name():
    environ = GOOD | {
        "SECRET_KEY": "s" * 31,
        "BLIND_INDEX_KEY": "x",
        "AUDIT_HMAC_KEY": "short",
        "FIELD_ENCRYPTION_KEY": "not-base64-at-all",
    }
    with pytest.raises(ImproperlyConfigured) as caught:
        _start(environ)
    lines = str(caught.value).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "SECRET_KEY",
        "FIELD_ENCRYPTION_KEY",
        "BLIND_INDEX_KEY",
        "AUDIT_HMAC_KEY",
    ]
    assert "当前只有 1 个" in lines[2]
    assert "not-base64-at-all" not in str(caught.value)  # a key is never echoed


def test_missing_and_malformed_secrets_are_named_together():
    environ = {"SECRET_KEY": GOOD["SECRET_KEY"], "BLIND_INDEX_KEY": "x"}
    with pytest.raises(ImproperlyConfigured) as caught:
        _start(environ)
    first, second = str(caught.value).splitlines()
    assert first.startswith("生产模式（DEBUG=false）下必须设置以下密钥")
    assert "FIELD_ENCRYPTION_KEY、AUDIT_HMAC_KEY" in first
    assert second.startswith("BLIND_INDEX_KEY 太短")


@pytest.mark.parametrize(
    "key",
    [
        base64.b64encode(b"\xfb" * 32).decode(),  # standard Base64 ("+", "/")
        base64.urlsafe_b64encode(b"k" * 16).decode(),  # 16 bytes
        base64.urlsafe_b64encode(b"k" * 33).decode(),  # 33 bytes
        base64.urlsafe_b64encode(b"k" * 32).decode() + "\n",  # a trailing newline
        "",
    ],
    ids=["standard base64", "16 bytes", "33 bytes", "newline", "empty"],
)
def test_a_field_key_must_be_32_bytes_in_url_safe_base64(key):
    assert field_key_bytes(key) is None
    assert secret_problem("FIELD_ENCRYPTION_KEY", key, "key").startswith("FIELD_ENCRYPTION_KEY")


def test_debug_mode_does_not_judge_the_form():
    env = _start({"BLIND_INDEX_KEY": "x"}, debug=True)
    assert env.malformed == []
