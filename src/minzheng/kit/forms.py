"""What every screen's form does around one service call: the service's DomainError lands on
the field it names (or the whole form) and keeps its HTTP status."""

from django import forms
from django.db import transaction

from minzheng.kit.errors import DomainError


class ServiceForm(forms.Form):
    aliases: dict[str, str] = {}  # service field name → form field name

    def field_for(self, name: str | None) -> str | None:
        """The form field a service error names (None: the error belongs to the whole form)."""
        name = self.aliases.get(name, name)
        return name if name in self.fields else None


def attempt(form, call):
    """Run `call` in a transaction; on a DomainError put its message on the form and keep its
    status. Returns the result, or None when refused."""
    try:
        with transaction.atomic():
            return call()
    except DomainError as exc:
        form.add_error(form.field_for(exc.field), exc.message)
        form.refused_status = exc.status
        return None


def status_of(form) -> int:
    return getattr(form, "refused_status", 422)
