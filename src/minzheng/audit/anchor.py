"""Anchoring the audit chain outside the database: signed checkpoints.

The chain itself cannot show that its newest events were deleted: whoever removes a tail and
resets `AuditChainHead` (or truncates the table) leaves a shorter chain that is internally
sound. A checkpoint records, outside the database, how far the chain had reached: one JSON line

    {"seq": 3000, "hash": "…", "time": "2026-12-01T02:00:00+00:00", "sig": "…"}

appended (O_APPEND, fsync) to `settings.AUDIT_ANCHOR_FILE` and logged on the logger
"minzheng.audit.anchor", which operators ship off the machine (syslog, a remote log store).
`sig` is an HMAC-SHA256 of the other fields under a key derived from AUDIT_HMAC_KEY, so nobody
without the key can forge or edit a checkpoint. `audit-verify` then requires every checkpointed
event to exist with its hash: a chain ending before the last checkpoint was cut.

Checkpoints are written by `minzheng audit-checkpoint` (a timer) and by `record` itself every
`AUDIT_CHECKPOINT_EVERY` events, once the transaction has committed.
"""

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from minzheng.audit.errors import Error

# Each checkpoint line goes to this logger as well: route it to syslog or a remote store.
sink = logging.getLogger("minzheng.audit.anchor")
logger = logging.getLogger("minzheng.audit")

_KEY_LABEL = b"minzheng.audit.anchor.v1"
DEFAULT_EVERY = 1000


def anchor_file() -> Path:
    return Path(
        getattr(settings, "AUDIT_ANCHOR_FILE", Path(settings.VAR_DIR) / "audit-anchor.jsonl")
    )


def checkpoint_every() -> int:
    """A checkpoint every this many events, written by `record` (0: only by the command)."""
    return int(getattr(settings, "AUDIT_CHECKPOINT_EVERY", DEFAULT_EVERY))


def _key() -> bytes:
    """The checkpoints' own key, derived from the chain's: one secret to keep, two uses apart."""
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), _KEY_LABEL, hashlib.sha256).digest()


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    time: str

    def signature(self) -> str:
        message = json.dumps(
            {"seq": self.seq, "hash": self.hash, "time": self.time}, sort_keys=True
        ).encode()
        return hmac.new(_key(), message, hashlib.sha256).hexdigest()

    def line(self) -> str:
        fields = {"seq": self.seq, "hash": self.hash, "time": self.time, "sig": self.signature()}
        return json.dumps(fields, separators=(",", ":"))


def _append(path: Path, line: str) -> None:
    """One write on a descriptor opened with O_APPEND (concurrent writers never interleave, and
    a file made append-only with `chattr +a` accepts it), forced to disk before returning."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (line + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        if os.write(fd, data) != len(data):
            raise OSError(f"short write to {path}")
        os.fsync(fd)
    finally:
        os.close(fd)


def write(seq: int, digest: str) -> Checkpoint:
    """Anchor event #seq with its hash: append the signed line, then log it to the sink."""
    checkpoint = Checkpoint(
        seq=seq, hash=digest, time=timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    )
    path, line = anchor_file(), checkpoint.line()
    try:
        _append(path, line)
    except OSError as exc:
        raise Error.ANCHOR_UNWRITABLE.error(path=path, reason=exc.strerror or exc) from exc
    sink.info("%s", line)
    return checkpoint


def write_after_commit(seq: int, digest: str) -> None:
    """`record`'s automatic checkpoint: a failure is logged, never raised (the event stands)."""
    try:
        write(seq, digest)
    except Exception:
        logger.exception("审计检查点 #%s 写入失败", seq)


@dataclass(frozen=True)
class Anchor:
    """What a checkpoint file holds: the valid checkpoints with their line numbers, and the
    problems found reading it (unreadable file, unparsable or wrongly signed lines)."""

    path: Path
    exists: bool
    checkpoints: list[tuple[int, Checkpoint]]
    problems: list[str]


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8", errors="replace") as file:  # a bad byte spoils one line
        for number, text in enumerate(file, start=1):
            if text.strip():
                yield number, text.strip()


def read(path: Path | str | None = None, max_problems: int = 20) -> Anchor:
    """Every checkpoint of the file, each signature checked; a missing file is no problem here
    (the caller knows whether checkpoints were expected)."""
    path = Path(path) if path is not None else anchor_file()
    checkpoints: list[tuple[int, Checkpoint]] = []
    problems: list[str] = []
    more = 0
    try:
        for number, text in _lines(path):
            checkpoint = _checked(text)
            if not isinstance(checkpoint, str):
                checkpoints.append((number, checkpoint))
            elif len(problems) < max_problems:
                problems.append(checkpoint.format(path=path, line=number))
            else:
                more += 1
    except FileNotFoundError:
        return Anchor(path, False, [], [])
    except OSError as exc:
        problems.append(f"无法读取审计检查点文件 {path}：{exc.strerror or exc}")
    if more:
        problems.append(f"审计检查点文件 {path} 另有 {more} 行无法解析或签名无效")
    return Anchor(path, True, checkpoints, problems)


def _checked(text: str) -> Checkpoint | str:
    """The line's checkpoint, or the problem with it ({path}, {line} to fill in)."""
    try:
        fields = json.loads(text)
    except ValueError:
        fields = None
    if not (
        isinstance(fields, dict)
        and set(fields) == {"seq", "hash", "time", "sig"}
        and type(fields["seq"]) is int
        and fields["seq"] > 0
        and all(isinstance(fields[k], str) for k in ("hash", "time", "sig"))
    ):
        return "审计检查点文件 {path} 第 {line} 行无法解析（检查点被改动）"
    checkpoint = Checkpoint(fields["seq"], fields["hash"], fields["time"])
    if not hmac.compare_digest(checkpoint.signature().encode(), fields["sig"].encode()):
        return "审计检查点文件 {path} 第 {line} 行签名无效（检查点被伪造或改动）"
    return checkpoint
