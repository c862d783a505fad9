"""Reading configuration from the environment, and refusing unsafe production settings.

In debug mode a missing secret gets a fixed development value, so `make demo` needs no set-up.
Outside debug mode a missing secret, or one equal to a development value, stops the process
with a message naming every variable to set: a production site must never run on keys that
are published in this repository. So does a secret of the wrong form (a FIELD_ENCRYPTION_KEY
that is not a URL-safe Base64 32-byte key, a text secret shorter than 32 characters), named
at start rather than found at its first use.
"""

import base64
import hashlib
import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
MIN_SECRET_LENGTH = 32  # characters of a text secret (HMAC keys, Django's signing key)
_URLSAFE_KEY = re.compile(r"[A-Za-z0-9_-]{43}=?")  # 32 bytes in URL-safe Base64
_BASE64_KEY = re.compile(r"[A-Za-z0-9_+/-]{43}=?")  # … or in standard Base64 ("+", "/")
FIELD_KEY_FORM = (
    "须为 32 字节随机密钥的 URL 安全 Base64 编码（44 个字符，以“=”结尾，"
    "可用 `minzheng generate-secrets` 生成）"
)


def dev_secret(name: str) -> str:
    """The development value of a secret: derived from its name, public by design."""
    return "dev-insecure-" + hashlib.sha256(f"minzheng-dev:{name}".encode()).hexdigest()


def dev_key(name: str) -> str:
    return base64.urlsafe_b64encode(
        hashlib.sha256(f"minzheng-dev:{name}".encode()).digest()
    ).decode()


def field_key_bytes(text: str, *, url_safe: bool = True) -> bytes | None:
    """The 32 bytes of an AES-256 key written in URL-safe Base64 (the trailing "=" optional);
    None for anything else (another length, spaces, a line break). `url_safe=False` also
    reads the standard alphabet ("+", "/"), as keys were read before the form was checked at
    start: a key made so (`openssl rand -base64 32`) still opens what it sealed, and can be
    the old key of a rotation."""
    if not (_URLSAFE_KEY if url_safe else _BASE64_KEY).fullmatch(text):
        return None
    return base64.urlsafe_b64decode(text.rstrip("=").replace("+", "-").replace("/", "_") + "=")


def secret_problem(name: str, value: str, kind: str = "text") -> str | None:
    """Why `value` cannot be the secret `name` in production (a Chinese sentence naming it,
    never quoting it), or None."""
    if kind == "key":
        return None if field_key_bytes(value) else f"{name} 不是有效的密钥：{FIELD_KEY_FORM}。"
    if len(value) < MIN_SECRET_LENGTH:
        return (
            f"{name} 太短：生产模式下至少需要 {MIN_SECRET_LENGTH} 个字符，当前只有 "
            f"{len(value)} 个（可用 `minzheng generate-secrets` 生成）。"
        )
    return None


class Env:
    """Typed access to environment variables that remembers which secrets are missing."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.missing: list[str] = []
        self.malformed: list[str] = []  # why each secret set in production is unusable

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
            problem = None if debug else secret_problem(name, value, kind)
            if problem:
                self.malformed.append(problem)
            return value
        if not debug:
            self.missing.append(name)
        return dev_value

    def refuse_if_missing(self) -> None:
        """Stop a production start on a missing, development or malformed secret, naming each."""
        problems = list(self.malformed)
        if self.missing:
            names = "、".join(self.missing)
            problems.insert(
                0,
                f"生产模式（DEBUG=false）下必须设置以下密钥，且不得使用开发默认值：{names}。"
                " 请参阅 README 的“配置”一节（可用 `minzheng generate-secrets` 生成）。",
            )
        if problems:
            raise ImproperlyConfigured("\n".join(problems))
