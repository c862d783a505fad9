"""Attachments of a case: checked by content and size (kit/uploads.py), stored outside the web
root, audited, and read back only by users who may see the case."""

from pathlib import Path

from django.conf import settings

from minzheng.accounts.permissions import require_permission
from minzheng.cases.models import Attachment
from minzheng.cases.services import audit_case, case_for
from minzheng.kit.errors import NotFound, ValidationFailed
from minzheng.kit.uploads import store_document


def attach(actor, case_id: int, upload, kind: str) -> Attachment:
    case = case_for(actor, case_id)
    require_permission(actor, "cases.investigate_case", "您的角色不能上传案件材料。")
    if kind not in Attachment.Kind.values:
        raise ValidationFailed("材料类型无效。", field="kind")
    stored, sha256 = store_document(upload, f"cases/{case.pk}", field="file")
    try:
        attachment = Attachment.objects.create(
            case=case,
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
    audit_case(actor, case, "case.attachment_added", {"kind": kind, "sha256": sha256})
    return attachment


def attachment_for(user, case_id: int, attachment_id: int) -> Attachment:
    case = case_for(user, case_id)
    found = case.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise NotFound("材料不存在。")
    return found
