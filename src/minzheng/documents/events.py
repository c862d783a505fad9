"""The documents' audit actions."""

from minzheng.audit.actions import Action


class Event(Action):
    ISSUED = "document.issued", "出具文书"
