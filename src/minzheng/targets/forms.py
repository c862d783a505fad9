from django import forms
from django.utils.translation import gettext_lazy as _

from minzheng.kit.forms import ServiceForm
from minzheng.targets import metrics, sheet

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _metric_choices():
    return [
        ("", _("Reported by the owner")),
        *[(m.code, m.label) for m in metrics.METRICS.values()],
    ]


class TargetForm(ServiceForm):
    number = forms.CharField(label=_("item number"), max_length=10)
    item = forms.CharField(label=_("work item"), max_length=300)
    unit = forms.CharField(label=_("unit"), max_length=20)
    target_value = forms.DecimalField(
        label=_("target value"), max_digits=14, decimal_places=2, min_value=0.01
    )
    owner = forms.CharField(label=_("responsible unit"), max_length=100)
    deadline = forms.DateField(label=_("deadline"), widget=DATE)
    metric = forms.ChoiceField(label=_("computed from"), required=False)
    reporter = forms.ChoiceField(label=_("reported by"), required=False)

    def __init__(self, *args, reporters: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.reporters = reporters
        self.fields["metric"].choices = _metric_choices()
        self.fields["reporter"].choices = [("", _("Any target owner"))] + [
            (name, name) for name in sorted(reporters)
        ]

    def row(self) -> sheet.Row:
        data = self.cleaned_data
        return sheet.Row(
            line=0,
            number=data["number"].strip(),
            item=data["item"].strip(),
            unit=data["unit"].strip(),
            target_value=data["target_value"],
            owner=data["owner"].strip(),
            deadline=data["deadline"],
            metric=data["metric"],
            reporter=self.reporters.get(data["reporter"]) if data["reporter"] else None,
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ProgressForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label=_("progress"), max_digits=14, decimal_places=2)
    on = forms.DateField(label=_("as of"), widget=DATE)
    note = forms.CharField(label=_("note"), max_length=300, required=False)
