"""The password hasher of the test run: Argon2id, as in production, at the lowest cost.

Production hashes with Django's Argon2 (100 MiB, two passes: about 0.4 s a password on the
2-core machine, on purpose). The suite creates over two thousand accounts, which took about
40% of its time, so it hashes with the same algorithm and code path at the lowest cost.
`tests/accounts/test_passwords.py` checks the production setting and its cost.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8  # KiB, Argon2's minimum for one lane
    parallelism = 1
