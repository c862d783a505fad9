"""The statistics' audit actions, with the Chinese labels the audit screen shows."""

from minzheng.audit.actions import Action


class Event(Action):
    MONTH_CLOSED = "statistics.month_closed", "统计月报关账"
