"""Model fields for sensitive values: encrypted at rest, clear in Python."""

from django.db import models

from minzheng.kit import crypto


class EncryptedTextField(models.TextField):
    """Stores `crypto.encrypt(value)`; reads give back the clear value.

    Not searchable: pair it with a blind-index column (see `crypto.blind_index`) where
    lookups are needed.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)
