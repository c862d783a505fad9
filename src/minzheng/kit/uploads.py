"""Storing an uploaded document safely: type by content (not by name alone), size limit, a
random file name under MEDIA_ROOT (outside the web root, never served directly), and its
SHA-256 so the stored copy can be checked later."""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from minzheng.kit.errors import Error

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# suffix → the bytes such a file starts with
DOCUMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def store_document(
    upload: UploadedFile, folder: str, *, field: str = "attachment"
) -> tuple[str, str]:
    """(path relative to MEDIA_ROOT, SHA-256 hex) of the stored copy; refuses anything else."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in DOCUMENT_SIGNATURES:
        raise Error.DOCUMENT_TYPE.error(field=field)
    if upload.size > MAX_DOCUMENT_BYTES:
        raise Error.DOCUMENT_TOO_LARGE.error(field=field)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(DOCUMENT_SIGNATURES[suffix]):
        raise Error.DOCUMENT_CONTENT.error(field=field)
    relative = Path(folder) / f"{uuid.uuid4().hex}{suffix}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return str(relative), digest.hexdigest()
