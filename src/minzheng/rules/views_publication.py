"""The publication screen: fill in, preview the households affected, then publish."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from minzheng.kit.errors import DomainError
from minzheng.rules.parameters import shipped_tree
from minzheng.rules.publication import Proposal, preview, publications_for, publish


class PublicationForm(forms.Form):
    parameter = forms.ChoiceField(label=_("parameter"))
    region_code = forms.RegexField(label=_("Region code"), regex=r"^\d{12}$")
    area = forms.ChoiceField(
        label=_("Urban/rural"),
        required=False,
        choices=[("", "—"), ("urban", _("Urban")), ("rural", _("Rural"))],
    )
    start = forms.DateField(
        label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    value = forms.DecimalField(label=_("value"), max_digits=14, decimal_places=4, min_value=0)
    document_number = forms.CharField(label=_("document number"), max_length=100)
    attachment = forms.FileField(
        label=_("attachment"),
        required=False,
        help_text=_("The document (PDF, PNG or JPG, at most 10 MB), attached when publishing."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parameter"].choices = [
            (name, f"{p.label}（{p.unit}）") for name, p in sorted(shipped_tree().items())
        ]


@login_required
@permission_required("rules.publish_parameter", raise_exception=True)
@require_http_methods(["GET", "POST"])
def publication(request):
    form = PublicationForm(
        request.POST or None, request.FILES or None, initial={"region_code": request.user.region_id}
    )
    recent = publications_for(request.user).select_related("region").order_by("-published_at")
    context = {"form": form, "published": recent[:20]}
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        attachment = fields.pop("attachment")
        proposal = Proposal(**fields)
        try:
            if "publish" in request.POST:
                with transaction.atomic():
                    publish(request.user, proposal, attachment)
                messages.success(request, "已发布。")
                return redirect("rules:publication")
            context["affected"] = preview(request.user, proposal)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    status = 200 if not form.errors or request.method == "GET" else 422
    return render(request, "rules/publication.html", context, status=status)


@login_required
@permission_required("rules.view_publishedvalue", raise_exception=True)
def attachment(request, pk: int):
    """The document a publication cites (stored outside the web root)."""
    published = get_object_or_404(publications_for(request.user).exclude(attachment=""), pk=pk)
    return FileResponse(published.attachment.open("rb"), as_attachment=True)
