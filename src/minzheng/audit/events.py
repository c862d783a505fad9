"""The audit log's own actions (reading it is audited too), and the changes of reference data
that lower layers own but cannot record themselves (regions sit below the audit)."""

from minzheng.audit.actions import Action


class Event(Action):
    ACCESS_DENIED = "audit.access_denied", "无权查看审计日志的访问"
    EXPORTED = "audit.exported", "导出审计日志"
    REGION_CHANGED = "region.changed", "修改行政区划"
