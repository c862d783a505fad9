"""Spreadsheet import (upload → dry-run preview → confirm) and export of households.

An upload is kept outside the web root, under MEDIA_ROOT/imports/<uuid>, with a small JSON note
naming its owner; only that user can preview or import it. It is deleted once imported, and
uploads older than a day are swept away at the next upload.
"""

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from minzheng.kit.errors import DomainError
from minzheng.kit.exports import csv_bytes
from minzheng.kit.sheets import read_upload
from minzheng.registry import importer, tabular
from minzheng.registry.errors import Error

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SHOWN_ISSUES = 1000  # the page lists this many; the CSV of problems has them all
_SUFFIXES = (".xlsx", ".csv")
_KEEP_SECONDS = 24 * 3600
_IMPORT = "registry.import_household"


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(_SUFFIXES):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


# ---- stored uploads ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredUpload:
    path: Path
    name: str


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _store(user, upload) -> uuid.UUID:
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    cutoff = time.time() - _KEEP_SECONDS
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = uuid.uuid4()
    with open(folder / str(token), "wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    note = {"owner": user.pk, "name": Path(upload.name).name}
    (folder / f"{token}.json").write_text(json.dumps(note, ensure_ascii=False))
    return token


def _stored(user, token: uuid.UUID) -> StoredUpload:
    """The user's own upload; anyone else's, or a missing one, is the same refusal (404)."""
    note_path = _folder() / f"{token}.json"
    note = json.loads(note_path.read_text()) if note_path.exists() else {}
    path = _folder() / str(token)
    if note.get("owner") != user.pk or not path.exists():
        raise Error.IMPORT_UPLOAD_GONE.error()
    return StoredUpload(path, note["name"])


def _discard(token: uuid.UUID) -> None:
    for path in (_folder() / str(token), _folder() / f"{token}.json"):
        path.unlink(missing_ok=True)


# ---- import -----------------------------------------------------------------------------------


@login_required
@permission_required(_IMPORT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = _store(request.user, form.cleaned_data["file"])
        return redirect("registry_io:preview", token=token)
    status = 422 if request.method == "POST" else 200  # a refused file, as the other uploads
    return render(request, "registry/io/upload.html", {"form": form}, status=status)


@login_required
@permission_required(_IMPORT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_preview(request, token: uuid.UUID):
    stored = _stored(request.user, token)
    context = {"token": token, "file_name": stored.name}
    try:
        frame = read_upload(stored.name, stored.path.read_bytes())
        if request.method == "POST":
            with transaction.atomic():
                counts = importer.run_import(frame, request.user, source_name=stored.name)
            _discard(token)
            messages.success(request, _imported(counts))
            return redirect("registry:households")
        result = importer.preview(frame, request.user)
    except DomainError as exc:
        if exc.error_code is Error.IMPORT_REJECTED:  # the data changed since the preview
            result = importer.ImportPreview(0, 0, 0, exc.errors, [])
            return _preview_page(request, context, result, status=exc.status)
        return render(request, "registry/io/preview.html", {**context, "problem": exc.message},
                      status=exc.status)  # fmt: skip
    return _preview_page(request, context, result)


def _preview_page(request, context: dict, result, status: int = 200):
    context = {
        **context,
        "result": result,
        "errors": result.errors[:SHOWN_ISSUES],
        "warnings": result.warnings[:SHOWN_ISSUES],
        "shown": SHOWN_ISSUES,
    }
    return render(request, "registry/io/preview.html", context, status=status)


def _imported(counts) -> str:
    return _t(
        "Imported %(households)s households, %(persons)s persons and %(incomes)s income items."
    ) % {"households": counts.households, "persons": counts.persons, "incomes": counts.incomes}


@login_required
@permission_required(_IMPORT, raise_exception=True)
@require_GET
def import_problems(request, token: uuid.UUID):
    """Every error and warning of the preview as CSV (行, 列, 问题)."""
    stored = _stored(request.user, token)
    result = importer.preview(read_upload(stored.name, stored.path.read_bytes()), request.user)
    rows = [["类型", "行", "列", "问题"]] + [
        [kind, i.row, i.column, i.message]
        for kind, issues in (("错误", result.errors), ("提示", result.warnings))
        for i in issues
    ]
    return _download(csv_bytes(rows), "import-problems.csv", "csv")


@login_required
@permission_required(_IMPORT, raise_exception=True)
@require_GET
def import_template(request):
    return _download(tabular.template_for(request.user), "household-template.xlsx", "xlsx")


# ---- export -----------------------------------------------------------------------------------


@login_required
@permission_required("registry.export_household", raise_exception=True)
@require_GET
def export(request, fmt: str):
    with transaction.atomic():
        exported = tabular.export_households(
            request.user,
            fmt,
            search=request.GET.get("q", ""),
            region_code=request.GET.get("region_code", ""),
        )
    return _download(exported.content, exported.file_name, fmt)


def _download(content: bytes, file_name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=tabular.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
