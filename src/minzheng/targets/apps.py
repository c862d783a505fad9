from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "minzheng.targets"
    label = "targets"
    verbose_name = _("Work-plan targets")

    def ready(self) -> None:
        from minzheng.dashboards import extras
        from minzheng.targets.selectors import dashboard_counts

        extras.register("targets", dashboard_counts)
