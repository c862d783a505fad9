"""The backup's keys: written to their own file (keys.env, mode 0600) that operators keep apart
from the data, fingerprinted in the manifest, and checked before anything is restored.

A database without its keys is unreadable (the encrypted fields, the blind indexes) and its
audit log unverifiable, so a restore refuses a keys file that is missing, lacks a key or holds
another backup's key, and refuses to run under keys other than the backup's."""

import hashlib
import os
from pathlib import Path

from django.conf import settings

from minzheng.backups.errors import Error

KEYS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY", "AUDIT_HMAC_KEY")
# What restoring without the key (or under another one) would break, for the refusal.
CONSEQUENCE = {
    "SECRET_KEY": "登录会话、密码重置链接等签名数据将全部失效",
    "FIELD_ENCRYPTION_KEY": "身份证号、银行账号等加密字段将无法解密",
    "BLIND_INDEX_KEY": "按身份证号等查找人员将查不到任何人",
    "AUDIT_HMAC_KEY": "审计日志的哈希链将无法校验",
}


def current() -> dict[str, str]:
    """The keys this process runs with."""
    return {name: getattr(settings, name) for name in KEYS}


def fingerprint(name: str, value: str) -> str:
    """What the manifest keeps of a key: a digest that names it without revealing it."""
    return hashlib.sha256(f"minzheng.backups.key.v1:{name}:{value}".encode()).hexdigest()


def fingerprints(keys: dict[str, str]) -> dict[str, str]:
    return {name: fingerprint(name, keys[name]) for name in KEYS}


def _quoted(value: str) -> str:
    """Single quotes, as a shell and systemd's EnvironmentFile read them."""
    return "'" + value.replace("'", "'\\''") + "'"


def write(path: Path, keys: dict[str, str], stamp: str) -> None:
    """keys.env, created with mode 0600 (never readable by others, even for a moment)."""
    lines = [
        f"# Minzheng 备份 {stamp} 的密钥。与数据备份分开保管（离线介质或另一处保管库）；",
        "# 恢复时用 `minzheng restore --from <备份目录> --keys <本文件>`。",
        *(f"{name}={_quoted(keys[name])}" for name in KEYS),
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("'\\''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def read(path: Path) -> dict[str, str]:
    """NAME=value lines (comments, blank lines and an `export ` prefix allowed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Error.KEYS_FILE_MISSING.error(path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Error.KEYS_FILE_MISSING.error(path=f"{path}（{exc}）") from None
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.removeprefix("export ").split("=", 1)
        found[name.strip()] = _unquoted(value)
    return found


def check(found: dict[str, str], path: Path, recorded: dict[str, str]) -> dict[str, str]:
    """The backup's keys from its file: every key there, and each the one the backup was made
    with (its fingerprint in the manifest). Raises naming the first key at fault."""
    missing = [name for name in KEYS if not found.get(name)]
    if missing:
        raise Error.KEY_MISSING.error(
            key="、".join(missing),
            path=path,
            consequence="恢复后" + "，".join(CONSEQUENCE[name] for name in missing),
        )
    for name in KEYS:
        if fingerprint(name, found[name]) != recorded.get(name):
            raise Error.KEY_NOT_OF_BACKUP.error(key=name, path=path)
    return {name: found[name] for name in KEYS}


def check_environment(keys: dict[str, str]) -> None:
    """The running environment must hold the backup's keys: the restored data is read with
    them from the first request on."""
    running = current()
    for name in KEYS:
        if running[name] != keys[name]:
            raise Error.KEY_DIFFERS.error(key=name, consequence=CONSEQUENCE[name])
