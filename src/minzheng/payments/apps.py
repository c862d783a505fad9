from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "minzheng.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from minzheng.payments import summary  # noqa: F401  registers its document kind
