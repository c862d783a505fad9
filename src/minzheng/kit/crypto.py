"""Encryption at rest for sensitive fields, and keyed blind indexes to find them again.

Values are sealed with AES-256-GCM (random 96-bit nonce, authenticated), stored as text
"v1:<base64(nonce|ciphertext)>". Equality lookups (find a person by ID number) use a blind
index: HMAC-SHA256 of the normalised value under a separate key, so the database never holds
the clear value, and the index is useless without the key.
"""

import base64
import binascii
import hmac
import os
from collections.abc import Iterable
from functools import lru_cache
from hashlib import sha256

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_VERSION = "v1:"


@lru_cache(maxsize=4)
def _aead(key_text: str) -> AESGCM:
    try:
        key = base64.urlsafe_b64decode(key_text.encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY 必须是32字节密钥的 URL 安全 Base64 编码"
            "（可用 `minzheng generate-secrets` 生成）。"
        )
    return AESGCM(key)


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(settings.FIELD_ENCRYPTION_KEY).encrypt(nonce, value.encode(), None)
    return _VERSION + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token.startswith(_VERSION):
        raise ValueError("not a Minzheng ciphertext")
    raw = base64.b64decode(token[len(_VERSION) :])
    return _aead(settings.FIELD_ENCRYPTION_KEY).decrypt(raw[:12], raw[12:], None).decode()


def decrypt_many(tokens: Iterable[str]) -> list[str]:
    """`decrypt` of each token ("" stays ""), the key read once: for batch jobs."""
    aead = _aead(settings.FIELD_ENCRYPTION_KEY)
    start = len(_VERSION)
    clear = []
    for token in tokens:
        if not token:
            clear.append("")
            continue
        if not token.startswith(_VERSION):
            raise ValueError("not a Minzheng ciphertext")
        raw = binascii.a2b_base64(token[start:])
        clear.append(aead.decrypt(raw[:12], raw[12:], None).decode())
    return clear


def blind_index(value: str, purpose: str) -> str:
    """Keyed digest for equality search; `purpose` separates ID numbers from phones etc."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), message, sha256).hexdigest()[:32]


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()
