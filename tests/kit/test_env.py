import pytest
from django.core.exceptions import ImproperlyConfigured

from minzheng.kit.env import Env, dev_secret


def test_debug_mode_fills_missing_secrets_with_development_values():
    env = Env({})
    assert env.secret("SECRET_KEY", debug=True) == dev_secret("SECRET_KEY")
    env.refuse_if_missing()  # nothing raised
    assert env.missing == []


def test_production_refuses_missing_and_development_secrets_naming_them():
    env = Env({"SECRET_KEY": dev_secret("SECRET_KEY")})
    env.secret("SECRET_KEY", debug=False)
    env.secret("AUDIT_HMAC_KEY", debug=False)
    with pytest.raises(ImproperlyConfigured) as caught:
        env.refuse_if_missing()
    assert "SECRET_KEY、AUDIT_HMAC_KEY" in str(caught.value)
    assert "生产模式" in str(caught.value)


def test_production_accepts_real_secrets():
    env = Env({"SECRET_KEY": "s3cr3t-from-vault-0123456789abcdef"})
    assert env.secret("SECRET_KEY", debug=False) == "s3cr3t-from-vault-0123456789abcdef"
    env.refuse_if_missing()
    assert env.missing == []


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("0", False), ("ON", True)])
def test_flags(raw, expected):
    assert Env({"DEBUG": raw}).flag("DEBUG") is expected


def test_malformed_flag_and_integer_are_errors():
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        Env({"DEBUG": "maybe"}).flag("DEBUG")
    with pytest.raises(ImproperlyConfigured, match="PORT"):
        Env({"PORT": "eighty"}).integer("PORT", 80)
