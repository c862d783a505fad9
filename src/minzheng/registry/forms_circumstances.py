"""Forms for a household's circumstances; person choices are the household's members."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minzheng.registry.forms import ID_NUMBER_ERRORS
from minzheng.registry.models import Asset, IncomeItem, SelfCareAssessment, Supporter


class IncomeForm(forms.ModelForm):
    class Meta:
        model = IncomeItem
        fields = ["person", "category", "period", "amount", "excluded"]


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = ["kind", "owner", "description", "value", "area", "registration"]


class SupporterForm(forms.ModelForm):
    supporter_id_number = forms.CharField(
        label=_("ID number"), max_length=30, error_messages=ID_NUMBER_ERRORS
    )

    class Meta:
        model = Supporter
        fields = [
            "name",
            "supporter_id_number",
            "duty",
            "relation",
            "supported",
            "monthly_income",
            "condition",
        ]


class SelfCareForm(forms.ModelForm):
    class Meta:
        model = SelfCareAssessment
        fields = ["person", "assessed_on", *SelfCareAssessment.ITEMS]
        widgets = {"assessed_on": forms.DateInput(attrs={"type": "date"})}


FORMS = {
    "income": IncomeForm,
    "asset": AssetForm,
    "supporter": SupporterForm,
    "selfcare": SelfCareForm,
}
TITLES = {
    "income": _("Add an income item"),
    "asset": _("Add an asset"),
    "supporter": _("Add a legal supporter"),
    "selfcare": _("Record a self-care assessment"),
}


def form_for(kind: str, household, data=None) -> forms.ModelForm:
    form = FORMS[kind](data)
    members = household.members.order_by("id")
    for name in ("person", "owner", "supported"):
        if name in form.fields:
            form.fields[name].queryset = members
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField):
            field.min_value = 0
            field.validators.append(_not_negative)
    return form


def _not_negative(value) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError("金额不能为负数。")
