from django import forms
from django.utils.translation import gettext_lazy as _


class HouseholdAddressForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)
