"""The keys' refusals: a key that does not match the database, and the rotation's own."""

from minzheng.kit.errors import ErrorCode

_ROTATE = "见 README“密钥：校验值与更换”"


class Error(ErrorCode):
    KEY_MISMATCH = (
        "key_mismatch",
        409,
        "{key} 与数据库不符：数据库中的数据是用另一个 {key} 写入的。"
        "请设置写入该数据库时所用的 {key}；若要更换密钥，请把原密钥设为 {key}_OLD，"
        f"再运行 `minzheng rotate-keys`（{_ROTATE}）。",
    )
    AUDIT_KEY_MISMATCH = (
        "audit_key_mismatch",
        409,
        "AUDIT_HMAC_KEY 与数据库不符：审计日志是用另一个 AUDIT_HMAC_KEY 写入的。"
        "请设置原来的 AUDIT_HMAC_KEY（它不能更换：已有事件的哈希链依赖它）。",
    )
    ROTATION_UNFINISHED = (
        "rotation_unfinished",
        409,
        "{key} 的更换尚未完成：部分数据仍在原密钥下。请设置新的 {key} 与 {key}_OLD（原密钥），"
        f"再次运行 `minzheng rotate-keys` 完成更换（{_ROTATE}）。",
    )
    NOTHING_TO_ROTATE = (
        "nothing_to_rotate",
        422,
        "没有要更换的密钥：请把原密钥设为 FIELD_ENCRYPTION_KEY_OLD 或 BLIND_INDEX_KEY_OLD，"
        f"新密钥设为 FIELD_ENCRYPTION_KEY 或 BLIND_INDEX_KEY（{_ROTATE}）。",
    )
    OLD_KEY_MALFORMED = "old_key_malformed", 422, "{name} 不是有效的密钥：{form}。"
    OLD_KEY_MISMATCH = (
        "old_key_mismatch",
        409,
        "{key}_OLD 与数据库不符：它不是写入该数据库时所用的 {key}。",
    )
    SAME_KEY = "same_key", 422, "{key}_OLD 与 {key} 相同：新密钥必须不同于原密钥。"
    OTHER_NEW_KEY = (
        "other_new_key",
        409,
        "未完成的更换是换到另一个新的 {key}：请用那次更换所用的新密钥完成它。",
    )
    NO_CANARY_TABLE = (
        "no_canary_table",
        409,
        "数据库中还没有密钥校验表：请先运行 `minzheng migrate keyring --skip-checks`，"
        "再运行 `minzheng rotate-keys`。",
    )
    UNREADABLE_VALUE = (
        "unreadable_value",
        409,
        "{table} 中 id 为 {pk} 的行的 {column} 用新、原 FIELD_ENCRYPTION_KEY 都无法解密："
        "更换已停止（已完成的批次保留），请检查该行后再次运行。",
    )
