"""The backups' refusals: an unusable backup (no manifest, a missing or foreign key, a damaged
file), a target that is not empty, a missing or failing database tool."""

from minzheng.kit.errors import ErrorCode

_KEYS = "请找到与这一备份一起（分开）保管的完整密钥文件，用 --keys 指定"


class Error(ErrorCode):
    UNSUPPORTED_ENGINE = (
        "backup_unsupported_engine",
        422,
        "不支持备份或恢复 {engine} 数据库：只支持 PostgreSQL 和 SQLite。",
    )
    DIRECTORY_UNUSABLE = "backup_directory_unusable", 422, "无法写入备份目录 {path}：{reason}"
    NOT_A_BACKUP = (
        "backup_not_a_backup",
        422,
        "{path} 不是一个备份：其中没有 manifest.json（应指定 `minzheng backup` 写出的"
        "以时间命名的目录）。",
    )
    MANIFEST_UNREADABLE = (
        "backup_manifest_unreadable",
        422,
        "备份清单 {path} 无法读取：{reason}",
    )
    MANIFEST_SIGNATURE = (
        "backup_manifest_signature",
        422,
        "备份清单的签名无效：清单被改动过，或密钥文件不属于这一备份。拒绝恢复。",
    )
    KEYS_FILE_MISSING = (
        "backup_keys_file_missing",
        422,
        f"找不到备份的密钥文件 {{path}}：没有密钥，恢复的数据无法读取。{_KEYS}。",
    )
    KEY_MISSING = (
        "backup_key_missing",
        422,
        f"备份缺少密钥 {{key}}：密钥文件 {{path}} 中没有这一项，{{consequence}}。{_KEYS}。",
    )
    KEY_NOT_OF_BACKUP = (
        "backup_key_not_of_backup",
        422,
        f"密钥文件 {{path}} 中的 {{key}} 不是这一备份的密钥（与备份清单记录的指纹不符）。{_KEYS}。",
    )
    KEY_DIFFERS = (
        "backup_key_differs",
        409,
        "当前环境的 {key} 与备份的不同：用它恢复，{consequence}。请先把环境变量 {key} "
        "设为备份密钥文件中的值再恢复；要更换密钥，请在恢复之后进行。",
    )
    ENGINE_MISMATCH = (
        "backup_engine_mismatch",
        409,
        "这是 {backup} 数据库的备份，不能恢复到 {target} 数据库。",
    )
    FILE_MISSING = (
        "backup_file_missing",
        422,
        "备份不完整：缺少文件 {name}（清单中有它）。拒绝恢复。",
    )
    FILE_CORRUPT = (
        "backup_file_corrupt",
        422,
        "备份文件 {name} 的 SHA-256 与清单不符：文件已损坏或被改动。拒绝恢复。",
    )
    TARGET_NOT_EMPTY = (
        "backup_target_not_empty",
        409,
        "目标数据库不是空的：已有数据的表有 {tables}。恢复只写入新建的空数据库"
        "（PostgreSQL：createdb 新建，不要先运行 migrate；SQLite：一个不存在的文件），"
        "以免覆盖现有数据。数据库未作任何改动。",
    )
    MEDIA_NOT_EMPTY = (
        "backup_media_not_empty",
        409,
        "媒体目录 {path} 不是空的：恢复不覆盖已有文件。请清空或换用新的 MINZHENG_VAR_DIR。"
        "数据库未作任何改动。",
    )
    TOOL_MISSING = (
        "backup_tool_missing",
        422,
        "找不到 {tool}：请安装 PostgreSQL 客户端（apt-get install postgresql-client），"
        "其版本不得低于数据库服务器。",
    )
    TOOL_FAILED = "backup_tool_failed", 422, "{tool} 失败：{reason}"
    DRILL_DATABASE = (
        "backup_drill_database",
        409,
        "无法新建演练数据库 {name}：{reason}（演练所用的数据库账号需要 CREATEDB 权限）",
    )
