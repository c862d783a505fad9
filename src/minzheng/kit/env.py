"""Reading configuration from the environment, and refusing unsafe production settings.

In debug mode a missing secret gets a fixed development value, so `make demo` needs no set-up.
Outside debug mode a missing secret, or one equal to a development value, stops the process
with a message naming every variable to set: a production site must never run on keys that
are published in this repository.
"""

import base64
import hashlib
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def dev_secret(name: str) -> str:
    """The development value of a secret: derived from its name, public by design."""
    return "dev-insecure-" + hashlib.sha256(f"minzheng-dev:{name}".encode()).hexdigest()


def dev_key(name: str) -> str:
    return base64.urlsafe_b64encode(
        hashlib.sha256(f"minzheng-dev:{name}".encode()).digest()
    ).decode()


class Env:
    """Typed access to environment variables that remembers which secrets are missing."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.missing: list[str] = []

    def text(self, name: str, default: str = "") -> str:
        return self.environ.get(name, default)

    def raw(self, name: str) -> str | None:
        return self.environ.get(name)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.strip().lower() in _TRUE:
            return True
        if value.strip().lower() in _FALSE:
            return False
        raise ImproperlyConfigured(f"环境变量 {name} 应为 true 或 false，实际为 {value!r}。")

    def integer(self, name: str, default: int) -> int:
        value = self.raw(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise ImproperlyConfigured(f"环境变量 {name} 应为整数，实际为 {value!r}。") from None

    def list(self, name: str, default: list[str]) -> list[str]:
        value = self.raw(name)
        if value is None:
            return default
        return [item.strip() for item in value.split(",") if item.strip()]

    def secret(self, name: str, *, debug: bool, kind: str = "text") -> str:
        dev_value = dev_key(name) if kind == "key" else dev_secret(name)
        value = self.raw(name)
        if value and value != dev_value:
            return value
        if not debug:
            self.missing.append(name)
        return dev_value

    def refuse_if_missing(self) -> None:
        if self.missing:
            names = "、".join(self.missing)
            raise ImproperlyConfigured(
                f"生产模式（DEBUG=false）下必须设置以下密钥，且不得使用开发默认值：{names}。"
                " 请参阅 README 的“配置”一节（可用 `minzheng generate-secrets` 生成）。"
            )
