"""Passwords are stored with Argon2id at Django's cost (等保 level 3).

The rest of the run hashes with a cheaper Argon2id (tests/hashers.py), so these tests put the
production setting back and check it.
"""

from django.contrib.auth.hashers import check_password
from django.test import override_settings

from minzheng import settings as production
from tests.factories import DEMO_COUNTY, PASSWORD, make_user

DJANGO_ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_hashes_with_djangos_argon2_first():
    assert production.PASSWORD_HASHERS[0] == DJANGO_ARGON2


def test_an_account_created_in_production_gets_an_argon2id_hash_at_djangos_cost(regions):
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = make_user("county_approver", DEMO_COUNTY)
        assert user.password.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
        assert check_password(PASSWORD, user.password)
        assert not check_password("Wrong-Passw0rd!", user.password)
