"""The rules' audit actions, with the Chinese labels the audit screen shows."""

from minzheng.audit.actions import Action


class Event(Action):
    PARAMETER_PUBLISHED = "parameter.published", "发布政策参数"
    SNAPSHOT_TAKEN = "rules.snapshot_taken", "保存评估快照"
