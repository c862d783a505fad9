"""The accounts' errors: code, HTTP status and Chinese message (tests assert the codes)."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    UNKNOWN_ROLE = "unknown_role", 422, "未知角色：{code}"
    UNKNOWN_REGION = "unknown_region", 422, "区划代码 {code} 不存在。"
    WEAK_PASSWORD = "weak_password", 422, "{problems}"
    USERNAME_TAKEN = "username_taken", 409, "用户名 {username} 已存在。"
    SEPARATION_OF_DUTIES = (
        "separation_of_duties",
        403,
        "三员分立：系统管理员、安全管理员、审计管理员的职责不能由同一账号兼任。",
    )
    CREATE_WITHOUT_ROLES = (
        "create_without_roles",
        403,
        "账号创建与角色授权须分别由系统管理员和安全管理员完成。",
    )
    ONLY_SECURITY_ADMIN_GRANTS = (
        "only_security_admin_grants",
        403,
        "只有安全管理员可以授予或撤销角色。",
    )
    SELF_GRANT = "self_grant", 403, "不能给自己授予或撤销角色。"
    REGION_LEVEL_MISMATCH = (
        "region_level_mismatch",
        422,
        "角色“{role}”要求账号的所属区划为{level}级。",
    )
