"""manifest.json: what a backup holds and how to know it is whole.

It records when and from which engine the backup was made, the row count of every table, the
audit chain's last event, the media files' number and size, the SHA-256 of every file and a
fingerprint of each key; it is signed (HMAC-SHA256 under a key derived from AUDIT_HMAC_KEY), so
a file changed together with its recorded digest is refused as well."""

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from minzheng.backups.errors import Error

FORMAT = 1
MANIFEST = "manifest.json"
KEYS_FILE = "keys.env"
MEDIA_FILE = "media.tar"
ANCHOR_FILE = "audit-anchor.jsonl"  # a copy of the audit chain's checkpoints, when there are any
_SIGNING_LABEL = b"minzheng.backups.manifest.v1"
# each field a manifest must have, and its type
_FIELDS = {
    "format": int,
    "created_at": str,
    "engine": str,
    "database": str,
    "tables": dict,
    "audit": dict,
    "media": dict,
    "files": dict,
    "keys": dict,
    "signature": str,
}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def describe(path: Path) -> dict[str, Any]:
    return {"sha256": sha256(path), "bytes": path.stat().st_size}


def _canonical(body: dict[str, Any]) -> bytes:
    unsigned = {k: v for k, v in body.items() if k != "signature"}
    return json.dumps(unsigned, sort_keys=True, ensure_ascii=False).encode()


def signature(body: dict[str, Any], audit_key: str) -> str:
    key = hmac.new(audit_key.encode(), _SIGNING_LABEL, hashlib.sha256).digest()
    return hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()


def write(directory: Path, body: dict[str, Any], audit_key: str) -> dict[str, Any]:
    signed = {**body, "format": FORMAT, "signature": ""}
    signed["signature"] = signature(signed, audit_key)
    text = json.dumps(signed, indent=2, sort_keys=True, ensure_ascii=False)
    (directory / MANIFEST).write_text(text + "\n", encoding="utf-8")
    return signed


def read(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise Error.NOT_A_BACKUP.error(path=directory)
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Error.MANIFEST_UNREADABLE.error(path=path, reason=exc) from None
    if not isinstance(body, dict):
        raise Error.MANIFEST_UNREADABLE.error(path=path, reason="不是 JSON 对象")
    wrong = [name for name, kind in _FIELDS.items() if not isinstance(body.get(name), kind)]
    if wrong:
        reason = f"缺少或无效的字段：{'、'.join(wrong)}"
        raise Error.MANIFEST_UNREADABLE.error(path=path, reason=reason)
    if body["format"] != FORMAT:
        reason = f"格式版本 {body['format']}，本程序只读版本 {FORMAT}"
        raise Error.MANIFEST_UNREADABLE.error(path=path, reason=reason)
    return body


def check_signature(body: dict[str, Any], audit_key: str) -> None:
    if not hmac.compare_digest(signature(body, audit_key), body["signature"]):
        raise Error.MANIFEST_SIGNATURE.error()


def check_files(directory: Path, body: dict[str, Any]) -> None:
    """Every file the manifest lists is there with its SHA-256."""
    for name, recorded in sorted(body["files"].items()):
        path = directory / name
        if Path(name).name != name or not path.is_file():
            raise Error.FILE_MISSING.error(name=name)
        if not isinstance(recorded, dict) or sha256(path) != recorded.get("sha256"):
            raise Error.FILE_CORRUPT.error(name=name)
