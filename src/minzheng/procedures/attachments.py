"""Attachments of any procedure's record: checked by content and size (kit/uploads.py), stored
outside the web root under a random name, audited, read back only by users who may see the
record."""

from pathlib import Path

from django.conf import settings

from minzheng.accounts.permissions import require_permission
from minzheng.kit.uploads import store_document
from minzheng.procedures import events
from minzheng.procedures.declare import Procedure
from minzheng.procedures.errors import Error
from minzheng.procedures.models import Attachment


def attach(procedure: Procedure, actor, record_id: int, upload, kind: str) -> Attachment:
    require_permission(actor, procedure.view_permission)
    record = procedure.record_for(actor, record_id)
    require_permission(actor, procedure.attach_permission, Error.MAY_NOT_ATTACH)
    if kind not in procedure.attachment_kinds:
        raise Error.BAD_ATTACHMENT_KIND.error(field="kind")
    stored, sha256 = store_document(upload, f"{procedure.code}s/{record.pk}", field="file")
    try:
        attachment = Attachment.objects.create(
            procedure=procedure.code,
            record_id=record.pk,
            region_id=record.region_id,
            kind=kind,
            name=Path(upload.name).name[:200],
            file=stored,
            size=upload.size,
            sha256=sha256,
            uploaded_by=actor,
        )
    except Exception:
        (Path(settings.MEDIA_ROOT) / stored).unlink(missing_ok=True)  # nothing left half-done
        raise
    events.noted(procedure, actor, record, "attachment_added", {"kind": kind, "sha256": sha256})
    return attachment


def attachments_of(procedure: Procedure, record):
    rows = Attachment.objects.filter(procedure=procedure.code, record_id=record.pk)
    return rows.select_related("uploaded_by").order_by("uploaded_at", "id")


def attachment_for(procedure: Procedure, user, record_id: int, attachment_id: int) -> Attachment:
    require_permission(user, procedure.view_permission)
    record = procedure.record_for(user, record_id)
    found = attachments_of(procedure, record).filter(pk=attachment_id).first()
    if found is None:
        raise Error.ATTACHMENT_NOT_FOUND.error()
    return found


def kind_label(procedure: Procedure, kind: str) -> str:
    return procedure.attachment_kinds.get(kind, kind)
