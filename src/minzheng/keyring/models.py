"""The key canary: per key, a known text sealed or hashed under the key the database is
written with. Checking it at start names a wrong key before any page fails to decrypt."""

from django.db import models


class Canary(models.Model):
    """One row per key (FIELD_ENCRYPTION_KEY, BLIND_INDEX_KEY, AUDIT_HMAC_KEY). `value` is
    under the key in use; during a rotation `next_value` is under the new key, and the rotation
    is finished when `next_value` has replaced `value`."""

    key = models.CharField(max_length=40, primary_key=True)
    value = models.TextField()
    next_value = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key
