"""The audit log's own actions: reading it is audited too."""

from minzheng.audit.actions import Action


class Event(Action):
    ACCESS_DENIED = "audit.access_denied", "无权查看审计日志的访问"
    EXPORTED = "audit.exported", "导出审计日志"
