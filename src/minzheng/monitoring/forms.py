"""Forms of the monitoring screens: they parse input; the services decide. The warning forms are
keyed by their action (assign, visit, close) and carry the version the user saw."""

from pathlib import Path

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from minzheng.kit.forms import ServiceForm
from minzheng.monitoring.indicators import CATALOGUE
from minzheng.monitoring.ingest import PERIOD
from minzheng.monitoring.models import OutreachTask, Warning
from minzheng.monitoring.selectors import PENDING

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx", ".parquet")
_PERIOD = RegexValidator(PERIOD, _("Enter the period as YYYY-MM."))


def _period(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("period"),
        max_length=7,
        required=required,
        validators=[_PERIOD],
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM", "inputmode": "numeric"}),
    )


class UploadForm(ServiceForm):
    feed = forms.ChoiceField(label=_("Department feed"))
    period = _period()
    file = forms.FileField(label=_("File (.csv, .xlsx or .parquet)"))
    aliases = {"content": "file", "filename": "file", "feed_code": "feed"}

    def __init__(self, *args, feeds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feed"].choices = feeds

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(_("Only .csv, .xlsx and .parquet files can be received."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 100 MB."))
        return upload

    def for_service(self) -> dict:
        upload = self.cleaned_data["file"]
        return {
            "feed_code": self.cleaned_data["feed"],
            "period": self.cleaned_data["period"],
            "filename": Path(upload.name).name,
            "content": upload.read(),
        }


class RecomputeForm(ServiceForm):
    period = _period()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_recompute_%s")  # beside the upload form's period
        super().__init__(*args, **kwargs)


class WarningFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("To handle")), ("all", _("All")), *Warning.Status.choices],
    )
    severity = forms.ChoiceField(
        label=_("severity"), required=False, choices=[("", _("All")), *Warning.Severity.choices]
    )
    indicator = forms.ChoiceField(
        label=_("indicator"),
        required=False,
        choices=[("", _("All")), *[(i.code, i.label) for i in CATALOGUE]],
    )
    period = _period(required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def filters(self) -> dict:
        """The selector's arguments; an invalid filter is ignored rather than refused."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or PENDING
        return {
            "status": None if status == "all" else status,
            "severity": data.get("severity") or None,
            "indicator": data.get("indicator") or None,
            "period": data.get("period") or None,
            "overdue": bool(data.get("overdue")),
        }


class WarningForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class AssignForm(WarningForm):
    region = forms.ChoiceField(label=_("Send to township or village"))
    aliases = {"region_code": "region"}

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions

    def for_service(self) -> dict:
        return {"region_code": self.cleaned_data["region"]}


class VisitForm(WarningForm):
    visited_on = forms.DateField(label=_("visited on"), widget=DATE)
    note = forms.CharField(label=_("visit record"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(WarningForm):
    outcome = forms.ChoiceField(
        label=_("Handling outcome"), choices=[("", "—"), *Warning.Outcome.choices]
    )
    reason = forms.CharField(label=_("outcome reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, warning: Warning, **kwargs):
        super().__init__(*args, **kwargs)
        if warning.indicator == "recipient_died":
            self.fields["outcome"].help_text = _(
                "Excluded confirms the death and ends the person's assistance: a county "
                "approver decides it."
            )


WARNING_FORMS = {"assign": AssignForm, "visit": VisitForm, "close": CloseForm}


class OutreachFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("To visit")), ("all", _("All")), *OutreachTask.Status.choices[1:]],
    )

    def status_filter(self) -> str | None:
        status = (self.cleaned_data.get("status") if self.is_valid() else "") or OutreachTask.OPEN
        return None if status == "all" else status


class FinishForm(ServiceForm):
    outcome = forms.ChoiceField(
        label=_("Visit outcome"),
        choices=[("", "—"), *[(v, label) for v, label in OutreachTask.Status.choices[1:]]],
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(ServiceForm):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
