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


def test_a_given_key_overrides_the_configured_one():
    other = crypto.new_key()
    token = crypto.encrypt("张三", other)
    assert crypto.decrypt(token, other) == "张三"
    assert crypto.opens(token, other) and not crypto.opens(token)
    with pytest.raises(InvalidTag):
        crypto.decrypt(token)
    assert crypto.decrypt_many([token, ""], other) == ["张三", ""]
    assert crypto.blind_index("x", "id_number", "k") != crypto.blind_index("x", "id_number")


def test_reseal_moves_a_token_to_the_new_key_once():
    old, new = crypto.new_key(), crypto.new_key()
    token = crypto.encrypt("6228480000000000018", old)
    clear, resealed = crypto.reseal(token, old, new)
    assert clear == "6228480000000000018"
    assert crypto.decrypt(resealed, new) == "6228480000000000018"
    assert not crypto.opens(resealed, old)
    # already under the new key: left as it is (a resumed rotation skips it)
    assert crypto.reseal(resealed, old, new) == ("6228480000000000018", None)


def test_reseal_keeps_equal_tokens_equal_and_distinct_ones_distinct():
    """Payments compares an account as ciphertext (a line holds the payee's token): one token
    copied to several rows is still one token after the rotation."""
    old, new = crypto.new_key(), crypto.new_key()
    first, second = crypto.encrypt("6228480000000000018", old), crypto.encrypt("张三", old)
    assert crypto.reseal(first, old, new) == crypto.reseal(first, old, new)
    twin = crypto.encrypt("6228480000000000018", old)
    assert crypto.reseal(twin, old, new)[1] != crypto.reseal(first, old, new)[1]
    assert crypto.reseal(second, old, new)[1] != crypto.reseal(first, old, new)[1]


def test_reseal_refuses_a_token_neither_key_opens():
    token = crypto.encrypt("x", crypto.new_key())
    with pytest.raises(InvalidTag):
        crypto.reseal(token, crypto.new_key(), crypto.new_key())


def test_the_field_key_must_be_base64_of_32_bytes(settings):
    good = crypto.new_key()
    assert crypto.decrypt(crypto.encrypt("x", good.rstrip("=")), good) == "x"  # "=" optional
    # the standard alphabet still opens what it sealed (production refuses it at start)
    standard = base64.b64encode(b"\xfb" * 32).decode()
    urlsafe = base64.urlsafe_b64encode(b"\xfb" * 32).decode()
    assert "+" in standard or "/" in standard
    assert crypto.decrypt(crypto.encrypt("x", standard), urlsafe) == "x"
    for bad in (good + "\n", " " + good, good[:-2] + "=", good + "AAAA", "too-short"):
        with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
            crypto.encrypt("x", bad)


def test_keyed_digest_is_a_full_hmac():
    digest = crypto.keyed_digest("canary", "k" * 32)
    assert len(digest) == 64 and digest != crypto.keyed_digest("canary", "l" * 32)
