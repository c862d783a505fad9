"""Writing and verifying the append-only, hash-chained audit log.

`record` joins the caller's transaction: an operation and its audit event commit or roll back
together. Sensitive values must be masked by the caller before they reach `before`/`after`.
Every `AUDIT_CHECKPOINT_EVERY` events, once committed, the chain is anchored outside the
database (anchor.py), and `verify_chain` compares it with those checkpoints.
"""

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from minzheng.audit import anchor as anchoring
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


def hash_of(event: AuditEvent) -> str:
    """The event's hash as the current AUDIT_HMAC_KEY makes it: a key check compares it with
    the stored one."""
    return _digest(event.prev_hash, event)


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
        every = anchoring.checkpoint_every()
        if every > 0 and event.seq % every == 0:
            # Anchored only once committed: a rolled-back event is never checkpointed.
            transaction.on_commit(
                partial(anchoring.write_after_commit, event.seq, event.hash), robust=True
            )
    return event


def checkpoint() -> anchoring.Checkpoint | None:
    """Anchor the chain as it stands: a signed checkpoint of its last committed event (None
    when the log is empty). Raises Error.ANCHOR_UNWRITABLE when the file cannot be written."""
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    return None if last is None else anchoring.write(last.seq, last.hash)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problems: list[str]
    checkpoints: int = 0  # the valid checkpoints compared
    anchored: int = 0  # the sequence number of the latest one
    anchor_path: Path | None = None

    @property
    def intact(self) -> bool:
        return not self.problems


def _events_in_order(chunk: int = 2000) -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk)


def verify_chain(max_problems: int = 50, anchor_path: Path | str | None = None) -> ChainReport:
    """Recompute every link; report edited, inserted, reordered or deleted events. Then compare
    the chain with the checkpoints anchored outside the database (`anchor_path`: a copy shipped
    elsewhere; by default AUDIT_ANCHOR_FILE): each checkpointed event must be there with its
    hash, and the chain must reach the latest checkpoint (a cut tail, a truncation)."""
    # The file first: every checkpoint it holds then names an event committed before the scan.
    anchor = anchoring.read(anchor_path)
    problems: list[str] = list(anchor.problems)
    anchored_hashes: dict[int, set[str]] = {}
    for _line, mark in anchor.checkpoints:
        anchored_hashes.setdefault(mark.seq, set()).add(mark.hash)
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
        if anchored_hashes.get(event.seq, {event.hash}) != {event.hash}:
            problems.append(f"事件 #{event.seq} 的哈希与检查点不符（事件被篡改或链被重建）")
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
    last = AuditEvent.objects.aggregate(last=Max("seq"))["last"] or 0
    anchored = max(anchored_hashes, default=0)
    if anchored > last:  # always told, however many problems came before
        now = f"现在最后一条为 #{last}" if last else "现在没有任何事件"
        problems.append(f"审计日志被截断：检查点已记录到 #{anchored}，{now}")
    problems += _missing_anchor(anchor, explicit=anchor_path is not None, head=head, last=last)
    return ChainReport(
        checked=checked,
        problems=problems,
        checkpoints=len(anchor.checkpoints),
        anchored=anchored,
        anchor_path=anchor.path,
    )


def _missing_anchor(
    anchor: anchoring.Anchor, *, explicit: bool, head: AuditChainHead | None, last: int
) -> list[str]:
    """A checkpoint file that should hold checkpoints but is missing or empty: the one named
    on the command line, or the configured one once the chain has reached the automatic
    checkpoint's sequence number."""
    if anchor.checkpoints or anchor.problems:
        return []
    reached = max(last, head.last_seq if head else 0)
    every = anchoring.checkpoint_every()
    if not explicit and not (every > 0 and reached >= every):
        return []
    hint = f"日志已到 #{reached}，应有检查点；刚启用检查点时先运行 minzheng audit-checkpoint"
    if not anchor.exists:
        return [f"找不到审计检查点文件 {anchor.path}（{hint}）"]
    return [f"审计检查点文件 {anchor.path} 中没有检查点（{hint}）"]
