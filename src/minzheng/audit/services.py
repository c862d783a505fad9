"""Writing and verifying the append-only, hash-chained audit log.

`record` joins the caller's transaction: an operation and its audit event commit or roll back
together. Sensitive values must be masked by the caller before they reach `before`/`after`.
"""

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from minzheng.audit.actions import labels
from minzheng.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    """JSON-native form (Decimals, dates → strings) so the stored value hashes the same later."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _digest(prev_hash: str, event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "region_code": event.region_code,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "ip": event.ip,
    }
    message = prev_hash + json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor=None,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: str | int = "",
    region_code: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain inside the current transaction. `action`: an app's
    declared action (its events.py) or, for a procedure's step, "<code>.<step>"."""
    action = str(action)
    if settings.AUDIT_DECLARED_ACTIONS_ONLY and action not in labels():
        raise ValueError(f"audit action {action!r} is not declared in any app's events.py")
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_name=getattr(actor, "username", "") or "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            region_code=region_code or "",
            before=_plain(before),
            after=_plain(after),
            reason=reason,
            ip=client_ip(request),
            prev_hash=head.last_hash,
        )
        event.hash = _digest(head.last_hash, event)
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def _events_in_order(chunk: int = 2000) -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk)


def verify_chain(max_problems: int = 50) -> ChainReport:
    """Recompute every link; report edited, inserted, reordered or deleted events."""
    problems: list[str] = []
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    for event in _events_in_order():
        checked += 1
        if event.seq != expected_seq:
            problems.append(
                f"事件序号不连续：期望 #{expected_seq}，实际 #{event.seq}（有事件被删除）"
            )
        if event.prev_hash != prev_hash:
            problems.append(f"事件 #{event.seq} 的前序哈希与上一事件不符（链被截断或重排）")
        if _digest(event.prev_hash, event) != event.hash:
            problems.append(f"事件 #{event.seq} 的内容与其哈希不符（事件被篡改）")
        prev_hash, expected_seq = event.hash, event.seq + 1
        if len(problems) >= max_problems:
            break
    head = AuditChainHead.objects.filter(pk=1).first()
    if (
        len(problems) < max_problems
        and head
        and (head.last_seq, head.last_hash)
        != (
            expected_seq - 1,
            prev_hash,
        )
    ):
        problems.append(f"链尾不符：记录的最后事件为 #{head.last_seq}（末尾事件被删除）")
    return ChainReport(checked=checked, problems=problems)
