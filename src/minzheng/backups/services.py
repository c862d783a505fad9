"""Backing up and restoring a site: the database, the media folder and the keys.

    backup(DIR)            → DIR/<stamp>/ database.dump | database.sqlite3, media.tar,
                             audit-anchor.jsonl (when there is one), keys.env, manifest.json
    restore(DIR/<stamp>)   → refuses a backup that is not whole or not ours, keys that are
                             missing or differ, a target that is not empty; restores, then
                             checks the audit chain and every table's row count

A backup is written into a hidden `.<stamp>.partial` folder and renamed once complete: a
folder named by its stamp is a whole backup. Each one is audited."""

import getpass
import shutil
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from minzheng.audit import anchor as anchoring
from minzheng.audit.services import ChainReport, record, verify_chain
from minzheng.backups import database, keys
from minzheng.backups import manifest as manifests
from minzheng.backups.errors import Error
from minzheng.backups.events import Event
from minzheng.backups.manifest import ANCHOR_FILE, KEYS_FILE, MEDIA_FILE

Say = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def operator(command: str) -> str:
    """The audit event's reason: the command and the system account that ran it."""
    try:
        return f"{command}（{getpass.getuser()}）"
    except (KeyError, OSError):  # no name for the process's uid (a bare container)
        return command


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())


def _stamp_folder(root: Path) -> tuple[str, Path]:
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate, number = stamp, 1
    while (root / candidate).exists():
        number += 1
        candidate = f"{stamp}-{number}"
    return candidate, root / candidate


def _pack_media(root: Path, path: Path) -> dict[str, int]:
    """MEDIA_ROOT as a tar (only it; symbolic links are left out)."""
    files = size = 0
    with tarfile.open(path, "w") as tar:
        if root.is_dir():
            for item in sorted(root.rglob("*")):
                if item.is_symlink() or not (item.is_dir() or item.is_file()):
                    continue
                tar.add(item, arcname=item.relative_to(root).as_posix(), recursive=False)
                if item.is_file():
                    files, size = files + 1, size + item.stat().st_size
    return {"files": files, "bytes": size}


def backup(
    to: Path, *, say: Say = _quiet, using: str = DEFAULT_DB_ALIAS, reason: str = "cli:backup"
) -> Backup:
    """Write a backup into a new folder of `to`, named by its time."""
    engine = database.engine(using)
    to = Path(to).absolute()
    try:
        to.mkdir(parents=True, exist_ok=True)
        stamp, final = _stamp_folder(to)
        work = to / f".{stamp}.partial"
        work.mkdir(mode=0o700)
    except OSError as exc:
        raise Error.DIRECTORY_UNUSABLE.error(path=to, reason=exc.strerror or exc) from None
    try:
        body = _write_parts(work, stamp, engine, using, say)
        (work / manifests.MANIFEST).chmod(0o600)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    made = Backup(final, body)
    with transaction.atomic(using=using):
        record(
            Event.BACKUP_CREATED,
            object_type="backup",
            object_id=stamp,
            after={
                "path": str(final),
                "engine": engine,
                "tables": len(body["tables"]),
                "rows": made.rows,
                "audit_last_seq": body["audit"]["last_seq"],
                "media_files": body["media"]["files"],
                "manifest_sha256": manifests.sha256(final / manifests.MANIFEST),
            },
            reason=operator(reason),
        )
    say(f"备份完成：{final}")
    return made


def _write_parts(work: Path, stamp: str, engine: str, using: str, say: Say) -> dict[str, Any]:
    files: dict[str, dict[str, Any]] = {}
    created_at = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    # the checkpoints first: each then names an event committed before the database's snapshot
    if anchoring.anchor_file().is_file():
        shutil.copyfile(anchoring.anchor_file(), work / ANCHOR_FILE)
        files[ANCHOR_FILE] = manifests.describe(work / ANCHOR_FILE)
        say(f"审计检查点：{anchoring.anchor_file()} 已复制")
    say(f"数据库（{database.ENGINE_NAMES[engine]}）…")
    dump_name = database.DUMP_FILE[engine]
    snapshot = database.dump(work / dump_name, using)
    files[dump_name] = manifests.describe(work / dump_name)
    rows = sum(snapshot.tables.values())
    say(f"  {len(snapshot.tables)} 张表，共 {rows} 行；审计日志至 #{snapshot.audit_seq}")
    say(f"媒体文件（{settings.MEDIA_ROOT}）…")
    media = _pack_media(Path(settings.MEDIA_ROOT), work / MEDIA_FILE)
    files[MEDIA_FILE] = manifests.describe(work / MEDIA_FILE)
    say(f"  {media['files']} 个文件，{media['bytes']} 字节")
    running = keys.current()
    keys.write(work / KEYS_FILE, running, stamp)
    say(f"密钥：{KEYS_FILE}（仅所有者可读；请与数据备份分开保管）")
    for part in work.iterdir():
        part.chmod(0o600)
    return manifests.write(
        work,
        {
            "created_at": created_at,
            "engine": engine,
            "database": str(connections[using].settings_dict["NAME"]),
            "tool": snapshot.tool,
            "tables": snapshot.tables,
            "audit": {"last_seq": snapshot.audit_seq, "last_hash": snapshot.audit_hash},
            "media": media,
            "files": files,
            "keys": keys.fingerprints(running),
        },
        running["AUDIT_HMAC_KEY"],
    )


@dataclass
class RestoreReport:
    """What the restored database holds against what the manifest recorded."""

    stamp: str
    tables: dict[str, int]
    chain: ChainReport
    media_files: int
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def check(source: Path, keys_file: Path | None, using: str) -> tuple[dict, dict[str, str]]:
    """Everything a restore refuses, before it writes anything: the manifest and its signature,
    the keys (there, the backup's own, the running ones), the files' SHA-256, the target."""
    body = manifests.read(source)
    keys_file = keys_file or source / KEYS_FILE
    backup_keys = keys.check(keys.read(keys_file), keys_file, body["keys"])
    manifests.check_signature(body, backup_keys["AUDIT_HMAC_KEY"])
    keys.check_environment(backup_keys)
    target = database.engine(using)
    if body["engine"] != target:
        names = database.ENGINE_NAMES
        raise Error.ENGINE_MISMATCH.error(
            backup=names.get(body["engine"], body["engine"]), target=names[target]
        )
    manifests.check_files(source, body)
    filled = database.filled_tables(using)
    if filled:
        more = f" 等 {len(filled)} 张表" if len(filled) > 5 else ""
        raise Error.TARGET_NOT_EMPTY.error(tables="、".join(filled[:5]) + more)
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        raise Error.MEDIA_NOT_EMPTY.error(path=media)
    return body, backup_keys


def restore(
    source: Path,
    *,
    keys_file: Path | None = None,
    say: Say = _quiet,
    using: str = DEFAULT_DB_ALIAS,
    audited: bool = True,
) -> RestoreReport:
    """Restore the backup at `source` into the empty database `using` and MEDIA_ROOT, then
    verify it. `audited`: record the restore in the restored log (a drill does not)."""
    body, _ = check(source, keys_file, using)
    say(f"备份 {source.name}（{body['created_at']}）已核对：密钥齐全且与当前环境一致，文件完好。")
    say("恢复数据库…")
    database.restore(source / database.DUMP_FILE[body["engine"]], using)
    say("恢复媒体文件…")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_FILE) as tar:
        tar.extractall(media_root, filter="data")
    _restore_anchor(source, say)
    report = verify(source.name, body, using)
    if report.intact and audited:
        with transaction.atomic(using=using):
            record(
                Event.BACKUP_RESTORED,
                object_type="backup",
                object_id=source.name,
                after={
                    "created_at": body["created_at"],
                    "tables": len(report.tables),
                    "rows": report.rows,
                    "audit_last_seq": body["audit"]["last_seq"],
                },
                reason=operator("cli:restore"),
            )
    return report


def _restore_anchor(source: Path, say: Say) -> None:
    """The backup's copy of the checkpoints goes where none are; an existing file is kept (it
    may be newer than the backup) and the restored chain is checked against it."""
    copy, target = source / ANCHOR_FILE, anchoring.anchor_file()
    if not copy.is_file():
        return
    if target.exists():
        say(f"保留现有的审计检查点文件 {target}，恢复的审计日志将与之核对。")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(copy, target)
    say(f"审计检查点文件已恢复到 {target}。")


def verify(stamp: str, body: dict[str, Any], using: str) -> RestoreReport:
    """The restored database against the manifest: every table with its row count, the audit
    chain intact and ending where the backup's did, the media files all there."""
    counts = database.row_counts(using)
    recorded: dict[str, int] = body["tables"]
    problems = [
        f"表 {name}：备份时 {_rows(recorded, name)}，恢复后 {_rows(counts, name)}"
        for name in sorted(set(recorded) | set(counts))
        if recorded.get(name) != counts.get(name)
    ]
    chain = verify_chain()
    problems += [f"审计日志：{problem}" for problem in chain.problems]
    last = database.audit_last(using)
    expected = (body["audit"].get("last_seq"), body["audit"].get("last_hash"))
    if last != expected:
        problems.append(f"审计日志：最后一条为 #{last[0]}，备份时为 #{expected[0]}（或哈希不同）")
    media_root = Path(settings.MEDIA_ROOT)
    media_files = sum(1 for item in media_root.rglob("*") if item.is_file())
    if media_files != body["media"].get("files"):
        before = body["media"].get("files")
        problems.append(f"媒体文件：备份时 {before} 个，恢复后 {media_files} 个")
    return RestoreReport(stamp, counts, chain, media_files, problems)


def _rows(counts: dict[str, int], name: str) -> str:
    return f"{counts[name]} 行" if name in counts else "无此表"
