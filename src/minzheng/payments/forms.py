"""Forms of the payment screens: they parse input; the services decide."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from minzheng.kit.forms import ServiceForm
from minzheng.kit.money import yuan_to_fen
from minzheng.payments.generation import PAYROLL_PROGRAMS
from minzheng.payments.models import Flag, Recovery, RelativeDeclaration, Repayment
from minzheng.payments.selectors import program_label
from minzheng.payments.services import RESOLUTIONS

MONTH = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Enter the month as YYYY-MM."))
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_RETURN_BYTES = 20 * 1024 * 1024


def _month(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("month"),
        max_length=7,
        required=required,
        validators=[MONTH],
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM", "inputmode": "numeric"}),
    )


def month_of(text: str) -> date:
    return date(int(text[:4]), int(text[5:]), 1)


def _programs():
    return [(code, program_label(code)) for code in PAYROLL_PROGRAMS]


def _yuan(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )


class GenerateForm(ServiceForm):
    county = forms.ChoiceField(label=_("county"))
    program = forms.ChoiceField(label=_("program"), choices=_programs)
    month = _month()
    aliases = {"period": "month"}

    def __init__(self, *args, counties: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = counties


class FilterForm(forms.Form):
    SHOW = [("", _("All lines")), ("flagged", _("With findings")), ("held", _("Held"))]
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)


class ResolveForm(ServiceForm):
    resolution = forms.ChoiceField(label=_("resolution"), choices=Flag.Resolution.choices)
    note = forms.CharField(label=_("What was verified"), max_length=500)

    def __init__(self, *args, code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if code:
            allowed = RESOLUTIONS[code]
            self.fields["resolution"].choices = [
                c for c in Flag.Resolution.choices if c[0] in allowed
            ]


class VersionForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class OtherPaymentForm(VersionForm):
    """The receipt of a line paid in cash, or the reference of another channel."""

    receipt = forms.CharField(label=_("Receipt or reference number"), max_length=60)
    paid_on = forms.DateField(label=_("paid on"), widget=DATE)


class RejectForm(VersionForm):
    reason = forms.CharField(label=_("Reason for sending it back"), max_length=500)


class ReturnsForm(ServiceForm):
    file = forms.FileField(label=_("Bank return file (.csv or .xlsx)"))
    aliases = {"filename": "file", "content": "file"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        if upload.size > MAX_RETURN_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def for_service(self) -> dict:
        upload = self.cleaned_data["file"]
        return {"filename": Path(upload.name).name, "content": upload.read()}


class FundsForm(forms.Form):
    program = forms.ChoiceField(
        label=_("program"), choices=lambda: [("", _("All programs")), *_programs()], required=False
    )
    start = _month(required=False)
    end = _month(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].label = _("from month")
        self.fields["end"].label = _("to month")


class RecoveryForm(ServiceForm):
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("kind"), choices=Recovery.Kind.choices)
    amount = _yuan(_("Amount to recover (yuan)"))
    reason = forms.CharField(label=_("reason"), max_length=500)

    def for_service(self) -> dict:
        data = self.cleaned_data
        return {
            "person_id": data["person_id"],
            "kind": data["kind"],
            "amount_fen": yuan_to_fen(data["amount"]),
            "reason": data["reason"],
        }


class RepaymentForm(VersionForm):
    amount = _yuan(_("Amount received (yuan)"))
    method = forms.ChoiceField(label=_("method"), choices=Repayment.Method.choices)
    received_on = forms.DateField(label=_("received on"), widget=DATE)


class WaiveForm(VersionForm):
    reason = forms.CharField(label=_("Reason for writing it off"), max_length=500)


class DeclareForm(ServiceForm):
    name = forms.CharField(label=_("relative's name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    relation = forms.ChoiceField(label=_("relation"), choices=RelativeDeclaration.Relation.choices)
