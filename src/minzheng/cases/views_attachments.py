"""Uploading and reading back the documents of a case (stored outside the web root)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from minzheng.cases import attachments
from minzheng.cases.workflow import PROCEDURE
from minzheng.kit.errors import DomainError


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=list(PROCEDURE.attachment_kinds.items()))
    file = forms.FileField(label=_("file"), help_text=_("PDF, PNG or JPG, at most 10 MB."))


@login_required
@permission_required("cases.investigate_case", raise_exception=True)
@require_POST
def upload(request, pk: int):
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择材料类型和文件。")
        return redirect("cases:detail", pk)
    try:
        with transaction.atomic():
            attachments.attach(
                request.user, pk, form.cleaned_data["file"], form.cleaned_data["kind"]
            )
        messages.success(request, "材料已上传。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("cases:detail", pk)


@login_required
@permission_required("cases.view_case", raise_exception=True)
def download(request, pk: int, attachment_id: int):
    found = attachments.attachment_for(request.user, pk, attachment_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
