"""Changes of reference data made in the back office (a region's name, its urban/rural type …)
go into the audit chain like every other change, with the fields before and after: Django's own
admin log is editable and is not the record."""

from django.db import models

from minzheng.audit.actions import Action
from minzheng.audit.services import record


def save_reference_change(
    actor, obj: models.Model, fields: list[str], event: Action, *, region_code: str = ""
) -> list[str]:
    """Save the fields of `obj` that really changed, with one audit event; returns them."""
    stored = type(obj).objects.get(pk=obj.pk)
    before = {name: _value(stored, name) for name in fields}
    after = {name: _value(obj, name) for name in fields}
    changed = [name for name in fields if before[name] != after[name]]
    if not changed:
        return []
    obj.save(update_fields=changed)
    record(
        event,
        actor=actor,
        object_type=type(obj)._meta.model_name,
        object_id=obj.pk,
        region_code=region_code,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    return changed


def _value(obj: models.Model, name: str):
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)
