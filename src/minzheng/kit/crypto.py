"""Encryption at rest for sensitive fields, and keyed blind indexes to find them again.

Values are sealed with AES-256-GCM (random 96-bit nonce, authenticated), stored as text
"v1:<base64(nonce|ciphertext)>". Equality lookups (find a person by ID number) use a blind
index: HMAC-SHA256 of the normalised value under a separate key, so the database never holds
the clear value, and the index is useless without the key.

Every function takes the key from settings unless one is given: a key rotation
(`minzheng rotate-keys`) reads under the old key and writes under the new one (`reseal`).
"""

import base64
import binascii
import hmac
import os
from collections.abc import Iterable
from functools import lru_cache
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from minzheng.kit.env import FIELD_KEY_FORM, field_key_bytes

_VERSION = "v1:"


@lru_cache(maxsize=8)
def _aead(key_text: str) -> AESGCM:
    key = field_key_bytes(key_text, url_safe=False)  # production refuses "+/" at start
    if key is None:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEY 不是有效的密钥：{FIELD_KEY_FORM}。")
    return AESGCM(key)


def _field_key(key: str | None) -> str:
    return settings.FIELD_ENCRYPTION_KEY if key is None else key


def _seal(value: str, key_text: str, nonce: bytes) -> str:
    sealed = _aead(key_text).encrypt(nonce, value.encode(), None)
    return _VERSION + base64.b64encode(nonce + sealed).decode()


def encrypt(value: str, key: str | None = None) -> str:
    return _seal(value, _field_key(key), os.urandom(12))


def decrypt(token: str, key: str | None = None) -> str:
    if not token.startswith(_VERSION):
        raise ValueError("not a Minzheng ciphertext")
    raw = base64.b64decode(token[len(_VERSION) :])
    return _aead(_field_key(key)).decrypt(raw[:12], raw[12:], None).decode()


def decrypt_many(tokens: Iterable[str], key: str | None = None) -> list[str]:
    """`decrypt` of each token ("" stays ""), the key read once: for batch jobs."""
    aead = _aead(_field_key(key))
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


def opens(token: str, key: str | None = None) -> bool:
    """Whether `token` was sealed under the key (the canary's test of a key)."""
    try:
        decrypt(token, key)
    except (InvalidTag, ValueError, binascii.Error):
        return False
    return True


def reseal(token: str, old_key: str, new_key: str | None = None) -> tuple[str, str | None]:
    """(clear value, the token under the new key) — the token None when it already is under
    the new key, so a rotation repeated or resumed skips it. Raises InvalidTag when neither
    key opens it.

    The new nonce is derived from the old token (keyed by the new key): one ciphertext copied
    to several rows (a payee's account on each payroll line, which payments compares as
    ciphertext) stays one ciphertext afterwards, and distinct tokens get distinct nonces."""
    new_key = _field_key(new_key)
    try:
        return decrypt(token, new_key), None
    except InvalidTag:
        clear = decrypt(token, old_key)
    label = b"minzheng-reseal:" + token.encode()
    nonce = hmac.new(field_key_bytes(new_key, url_safe=False) or b"", label, sha256).digest()[:12]
    return clear, _seal(clear, new_key, nonce)


def blind_index(value: str, purpose: str, key: str | None = None) -> str:
    """Keyed digest for equality search; `purpose` separates ID numbers from phones etc."""
    key = settings.BLIND_INDEX_KEY if key is None else key
    message = f"{purpose}:{value}".encode()
    return hmac.new(key.encode(), message, sha256).hexdigest()[:32]


def keyed_digest(text: str, key: str) -> str:
    """HMAC-SHA256 of `text` under a text key, in hex: what a key's canary stores."""
    return hmac.new(key.encode(), text.encode(), sha256).hexdigest()


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()
