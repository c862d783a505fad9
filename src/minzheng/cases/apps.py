from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "minzheng.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # The case procedure and the kinds of document of social assistance are registered
        # when their modules load: before the first request asks for them.
        from minzheng.cases import printouts, workflow  # noqa: F401
