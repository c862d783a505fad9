from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from minzheng.kit.forms import ServiceForm


def parse_month(value: str) -> date | None:
    """ "2024-10" → date(2024, 10, 1); None when it is not a month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, AttributeError):
        return None


class MonthField(forms.CharField):
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None or not 2000 <= month.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class CloseMonthForm(ServiceForm):
    region = forms.CharField(widget=forms.HiddenInput)
    month = MonthField(widget=forms.HiddenInput)
