"""Monitoring's audit actions, with the Chinese labels the audit screen shows."""

from minzheng.audit.actions import Action


class Event(Action):
    FEED_RECEIVED = "feed.received", "导入部门数据文件"
    MATCH_REVIEWED = "match.reviewed", "复核数据匹配结果"
    WARNINGS_RAISED = "warnings.raised", "计算预警指标并生成预警"
    WARNING_ASSIGNED = "warning.assigned", "分派预警"
    WARNING_VERIFIED = "warning.verified", "入户核实预警"
    WARNING_CLOSED = "warning.closed", "处置预警"
    OUTREACH_CREATED = "outreach.created", "生成政策找人任务"
    OUTREACH_FINISHED = "outreach.finished", "登记政策找人走访结果"
    CHECK_REFUSED = "check.refused", "因未取得授权拒绝核对"
    CHECK_REPORTED = "check.reported", "出具家庭经济状况核对报告"
