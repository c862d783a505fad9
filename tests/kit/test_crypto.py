import base64

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured

from minzheng.kit import crypto


def test_encrypt_round_trips_and_never_repeats_ciphertext():
    first, second = crypto.encrypt("11010519491231002X"), crypto.encrypt("11010519491231002X")
    assert first != second
    assert first.startswith("v1:") and "11010519491231002X" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "11010519491231002X"


def test_tampered_ciphertext_is_rejected():
    token = crypto.encrypt("13812345678")
    raw = bytearray(base64.b64decode(token[3:]))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        crypto.decrypt("v1:" + base64.b64encode(bytes(raw)).decode())


def test_blind_index_is_keyed_deterministic_and_purpose_separated(settings):
    index = crypto.blind_index("11010519491231002X", "id_number")
    assert index == crypto.blind_index("11010519491231002X", "id_number")
    assert len(index) == 32
    assert index != crypto.blind_index("11010519491231002X", "phone")
    settings.BLIND_INDEX_KEY = "another-key"
    assert crypto.blind_index("11010519491231002X", "id_number") != index


def test_malformed_encryption_key_is_a_configuration_error(settings):
    settings.FIELD_ENCRYPTION_KEY = "too-short"
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        crypto.encrypt("x")


def test_decrypt_many_gives_what_decrypt_gives():
    tokens = [crypto.encrypt("6228480000000000018"), "", crypto.encrypt("张三")]
    assert crypto.decrypt_many(tokens) == ["6228480000000000018", "", "张三"]
