"""Forms of the registry screens: they parse and validate input; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minzheng.kit.errors import Error as KitError
from minzheng.registry.models import (
    AreaType,
    DisabilityCategory,
    Exclusion,
    ParentSituation,
    Person,
    StudentStatus,
)
from minzheng.registry.people import PersonFacts

# A blank ID number is refused in kit.ids' words (ID_MISSING), as in the API and the imports;
# every other problem of the number is kit.ids' own, from the service.
ID_NUMBER_ERRORS = {"required": KitError.ID_MISSING.text()}


class HouseholdAddressForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


def _optional(choices) -> list:
    return [("", "—"), *[(v, label) for v, label in choices if v]]


class PersonFactsForm(forms.Form):
    """The facts of one person; the ID number field is added where it may be entered."""

    name = forms.CharField(label=_("Name"), max_length=50)
    relation = forms.ChoiceField(label=_("Relation to head"), choices=Person.Relation.choices)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^1[3-9]\d{9}$",
        required=False,
        error_messages={"invalid": "请输入11位手机号码。"},
    )
    co_resident = forms.BooleanField(
        label=_("Lives with the household"), required=False, initial=True
    )
    exclusion = forms.ChoiceField(
        label=_("Statutory exclusion"), required=False, choices=_optional(Exclusion.choices)
    )
    exclusion_since = forms.DateField(
        label=_("Excluded since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    disability_category = forms.ChoiceField(
        label=_("Disability category"),
        required=False,
        choices=_optional(DisabilityCategory.choices),
    )
    disability_grade = forms.TypedChoiceField(
        label=_("Disability grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, "1"), (2, "2"), (3, "3"), (4, "4")],
    )
    disability_certificate = forms.CharField(
        label=_("Disability certificate number"), max_length=30, required=False
    )
    labour_capacity = forms.ChoiceField(
        label=_("Labour capacity"), choices=Person.LabourCapacity.choices
    )
    serious_illness = forms.BooleanField(label=_("Serious illness"), required=False)
    employed = forms.BooleanField(label=_("Employed"), required=False)
    student_status = forms.ChoiceField(
        label=_("Student status"), required=False, choices=_optional(StudentStatus.choices)
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    bank_account = forms.RegexField(
        label=_("Bank account"),
        regex=r"^\d{12,19}$",
        required=False,
        error_messages={"invalid": "银行账号应为12至19位数字。"},
    )
    father_situation = forms.ChoiceField(
        label=_("Father's situation"), required=False, choices=_optional(ParentSituation.choices)
    )
    mother_situation = forms.ChoiceField(
        label=_("Mother's situation"), required=False, choices=_optional(ParentSituation.choices)
    )

    def clean(self):
        data = super().clean()
        if data.get("disability_category") and not data.get("disability_grade"):
            self.add_error("disability_grade", "填写了残疾类别时须同时填写残疾等级。")
        if data.get("exclusion") and data.get("co_resident"):
            self.add_error("co_resident", "不计入家庭成员的人员不能同时标记为共同生活。")
        return data

    def facts(self) -> PersonFacts:
        return PersonFacts(
            **{k: v for k, v in self.cleaned_data.items() if k in PersonFacts.__dataclass_fields__}
        )


class NewPersonForm(PersonFactsForm):
    id_number = forms.CharField(
        label=_("ID number"), max_length=30, error_messages=ID_NUMBER_ERRORS
    )
    field_order = ["id_number", "name", "relation"]


class EditPersonForm(PersonFactsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class NewHouseholdForm(NewPersonForm):
    """A household with its head: the head's relation is fixed."""

    village = forms.ChoiceField(label=_("Village / community"))
    address = forms.CharField(label=_("Address"), max_length=200)
    area_type = forms.ChoiceField(label=_("Urban/rural"), choices=AreaType.choices)
    hukou_address = forms.CharField(label=_("Hukou address"), max_length=200, required=False)
    field_order = ["village", "address", "area_type", "hukou_address", "id_number", "name"]

    def __init__(self, *args, villages: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = villages
        del self.fields["relation"]

    def facts(self) -> PersonFacts:
        self.cleaned_data["relation"] = Person.Relation.HEAD
        return super().facts()


class TransferForm(forms.Form):
    to_household = forms.CharField(label=_("Target household number"), max_length=20)
    relation = forms.ChoiceField(
        label=_("Relation to the new head"), choices=Person.Relation.choices
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
