"""Forms of the case screens: they parse input (amounts in yuan become integer fen); the
services decide. One form per statutory step (cases/workflow.py), keyed by its action."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from minzheng.cases import rules_of_case
from minzheng.cases.models import Program, Review
from minzheng.kit.forms import ServiceForm
from minzheng.kit.money import format_fen, yuan_to_fen

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _yuan(label, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=12, decimal_places=2, min_value=Decimal("0")
    )


class ApplyForm(ServiceForm):
    program = forms.ChoiceField(label=_("program"), choices=Program.choices)
    person = forms.TypedChoiceField(
        label=_("Applicant"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "Required for person programs: 特困, children, disability subsidies. For 低保, a "
            "person makes it a one-person (单人户) application."
        ),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—"), *[(p.pk, p.name) for p in members]]


class ConsentForm(ServiceForm):
    """The 核对 authorisation of one member or legal supporter who has not yet given it."""

    who = forms.ChoiceField(label=_("Member or legal supporter"))
    method = forms.ChoiceField(
        label=_("method"),
        choices=[("electronic", _("Electronic")), ("written", _("Signed on paper"))],
    )
    aliases = {"person": "who", "supporter": "who"}

    def __init__(self, *args, members, supporters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [(f"person:{p.pk}", p.name) for p in members] + [
            (f"supporter:{s.pk}", f"{s.name}（{s.get_duty_display()}）") for s in supporters
        ]

    def for_service(self) -> dict:
        kind, pk = self.cleaned_data["who"].split(":")
        return {f"{kind}_id": int(pk), "method": self.cleaned_data["method"]}


class StepForm(ServiceForm):
    """A step without input (受理, 公示, 公示结束): only the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    aliases = {"amount_fen": "amount"}

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if "amount" in data:
            amount = data.pop("amount")
            data["amount_fen"] = None if amount is None else yuan_to_fen(amount)
        return data

    def for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @property
    def available(self) -> bool:
        """False when the step has nothing to act on (no objection left to resolve)."""
        return True

    warning = ""  # shown above the form (cases/_step_form.html)


class InvestigateForm(StepForm):
    visited_on = forms.DateField(label=_("visited on"), widget=DATE)
    visitors = forms.CharField(label=_("visitors"), max_length=200)
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(StepForm):
    """The 审核意见: a choice (left to the reviewer, never preset) and its reasons; the service
    decides when reasons are required (cases/handlers.review)."""

    opinion = forms.ChoiceField(
        label=_("township opinion"),
        required=False,  # the service refuses a missing opinion with its own code
        choices=[("", "—"), ("同意", _("Agree (同意)")), ("不同意", _("Disagree (不同意)"))],
    )
    reasons = forms.CharField(
        label=_("reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required for 不同意, and for 同意 when the evaluation finds the household ineligible."
        ),
    )

    @property
    def warning(self) -> str:
        """Shown above the form when the kept evaluation says 不符合."""
        if rules_of_case.ineligible(self.case):
            return _(
                "The evaluation finds the household not eligible (不符合条件). Check it before "
                "giving the opinion; 同意 needs reasons."
            )
        return ""


class ObjectForm(StepForm):
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveObjectionForm(StepForm):
    objection_id = forms.TypedChoiceField(label=_("objection"), coerce=int)
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["objection_id"].choices = [
            (o.pk, f"{o.raised_on:%Y-%m-%d} {o.content[:40]}")
            for o in case.objections.filter(resolved_on__isnull=True).order_by("id")
        ]

    @property
    def available(self) -> bool:
        return bool(self.fields["objection_id"].choices)


class ApproveForm(StepForm):
    amount = _yuan(_("Monthly amount (yuan)"), required=False)
    amount_reason = forms.CharField(
        label=_("Reason the amount differs from the evaluation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required only when the amount differs from the evaluation."),
    )
    unstable = forms.BooleanField(label=_("Unstable income: review more often"), required=False)
    support_mode = forms.ChoiceField(
        label=_("support mode"),
        required=False,
        choices=[("dispersed", _("Dispersed (at home)")), ("centralised", _("Centralised"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluated = self.case.snapshot_id is not None  # else nothing to compare with
        self.evaluated_fen = rules_of_case.amount(self.case) if self.evaluated else None
        leave = _("Leave empty to use the amount of the evaluation.")
        if not self.evaluated:
            shown = ""
        elif self.evaluated_fen is None:
            shown = _("The evaluation gives no amount (not eligible).")
        else:
            shown = _("The evaluation gives %(amount)s yuan a month.") % {
                "amount": format_fen(self.evaluated_fen)
            }
        self.fields["amount"].help_text = f"{shown} {leave}".strip()
        if self.case.program != "tekun":
            del self.fields["support_mode"]

    def clean(self):
        """A different amount shows its difference from the evaluation beside the reason."""
        data = super().clean()
        amount = data.get("amount_fen")
        if self.evaluated and amount is not None and amount != self.evaluated_fen:
            if self.evaluated_fen is None:
                differs = _("The evaluation gives no amount; approved: %(amount)s yuan.") % {
                    "amount": format_fen(amount)
                }
            else:
                change = amount - self.evaluated_fen
                sign = "+" if change > 0 else "-"
                differs = _("Difference from the evaluation: %(difference)s yuan a month.") % {
                    "difference": f"{sign}{format_fen(abs(change))}"
                }
            self.fields["amount_reason"].help_text = differs
            self["amount_reason"].help_text = differs  # the bound field copied it when cleaning
        return data


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class GrantForm(StepForm):
    amount = _yuan(_("Amount (yuan)"), required=True)


class RecheckForm(StepForm):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        # 停发 is an end decision of the county (the 终止 step), not a review outcome.
        choices=[(v, label) for v, label in Review.Outcome.choices if v != Review.Outcome.STOP],
    )
    amount = _yuan(_("New monthly amount (yuan)"), required=False)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unstable = forms.BooleanField(label=_("Unstable income: review more often"), required=False)


STEP_FORMS = {
    "accept": StepForm,
    "investigate": InvestigateForm,
    "review": ReviewForm,
    "publicise": StepForm,
    "object": ObjectForm,
    "resolve_objection": ResolveObjectionForm,
    "close_publicity": StepForm,
    "approve": ApproveForm,
    "reject": ReasonForm,
    "extend": ReasonForm,
    "grant_small": GrantForm,
    "grant_emergency": GrantForm,
    "complete_paperwork": InvestigateForm,
    "recheck": RecheckForm,
    "suspend": ReasonForm,
    "resume": ReasonForm,
    "end": ReasonForm,
}


def step_form(action: str, case, today, data=None) -> StepForm:
    initial = {"version": case.version, "visited_on": today}
    return STEP_FORMS[action](data, case=case, initial=initial, prefix=action)
