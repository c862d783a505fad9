from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backups of the database, the media and the keys, their restore and the restore drill
    (`minzheng backup`, `restore`, `restore-drill`; README "Backups and the restore drill")."""

    name = "minzheng.backups"
    label = "backups"
    verbose_name = "备份与恢复"
