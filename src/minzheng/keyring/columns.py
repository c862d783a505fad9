"""Where the database holds what the keys protect, found from the models themselves: every
`EncryptedTextField` of every installed model, and its blind index — by the house's
convention the field named `<field>_index`, computed with the field's name as purpose
(`blind_index(id_number, "id_number")` in `id_number_index`). A new encrypted field or blind
index is rotated without a line here."""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from minzheng.kit.fields import EncryptedTextField


@dataclass(frozen=True)
class Sealed:
    """One encrypted column, and the column of its blind index (None without one)."""

    field: str  # the field's name: the blind index's purpose
    column: str
    index_column: str | None


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    sealed: tuple[Sealed, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def pk(self) -> str:
        return self.model._meta.pk.column


def tables() -> list[Table]:
    """Every table with an encrypted column, in a stable order (by model label)."""
    found = []
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        local = {f.name: f for f in meta.local_concrete_fields}
        sealed = tuple(
            Sealed(name, field.column, _index_column(local.get(f"{name}_index")))
            for name, field in local.items()
            if isinstance(field, EncryptedTextField)
        )
        if sealed:
            found.append(Table(model, sealed))
    return found


def _index_column(field: models.Field | None) -> str | None:
    if field is None or isinstance(field, EncryptedTextField):
        return None
    return field.column
