"""The accounts' audit actions, with the Chinese labels the audit screen shows."""

from minzheng.audit.actions import Action


class Event(Action):
    LOGIN_SUCCEEDED = "login.succeeded", "登录成功"
    LOGIN_FAILED = "login.failed", "登录失败"
    LOGIN_REFUSED_LOCKED = "login.refused_locked", "账号锁定期间尝试登录"
    LOGIN_REFUSED_ADDRESS = "login.refused_address", "同一地址登录失败过多时尝试登录"
    ACCOUNT_LOCKED = "account.locked", "账号因连续登录失败被锁定"
    ACCOUNT_UNLOCKED = "account.unlocked", "解除账号锁定"
    SESSION_LOGOUT = "session.logout", "退出登录"
    SESSION_TIMEOUT = "session.timeout", "会话超时自动退出"
    USER_CREATED = "user.created", "创建账号"
    USER_CHANGED = "user.changed", "修改账号"
    ROLE_GRANTED = "role.granted", "授予角色"
    ROLE_REVOKED = "role.revoked", "撤销角色"
