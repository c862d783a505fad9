"""The keys' audit actions: a rotation's start, resumption and end."""

from minzheng.audit.actions import Action


class Event(Action):
    ROTATION_STARTED = "keys.rotation_started", "开始更换密钥"
    ROTATION_RESUMED = "keys.rotation_resumed", "继续未完成的密钥更换"
    ROTATION_FINISHED = "keys.rotation_finished", "密钥更换完成"
