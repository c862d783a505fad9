"""The backups' audit actions: a backup written, a database restored from one, a drill run."""

from minzheng.audit.actions import Action


class Event(Action):
    BACKUP_CREATED = "backup.created", "创建备份（数据库、媒体文件、密钥）"
    BACKUP_RESTORED = "backup.restored", "从备份恢复数据库"
    DRILL_RUN = "backup.drill_run", "恢复演练"
