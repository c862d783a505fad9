"""The work-plan targets' audit actions, with the Chinese labels the audit screen shows."""

from minzheng.audit.actions import Action


class Event(Action):
    TARGET_CREATED = "target.created", "录入工作目标"
    TARGETS_IMPORTED = "targets.imported", "导入工作目标"
    PROGRESS_REPORTED = "target.progress_reported", "填报工作目标进度"
    PROGRESS_COMPUTED = "target.progress_computed", "自动计算工作目标进度"
