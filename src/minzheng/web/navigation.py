"""The domain navigation: each entry shows only to users holding its permission."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None


NAVIGATION = [
    NavItem(_("Home"), "web:home", None),
    NavItem(_("Dashboard"), "dashboards:dashboard", "dashboards.view_dashboard"),
    NavItem(_("Registry"), "registry:households", "registry.view_household"),
    NavItem(_("Cases"), "cases:queue", "cases.view_case"),
    NavItem(_("Without application"), "cases:automatic", "cases.decide_case"),
    NavItem(_("Documents"), "documents:register", "documents.view_document"),
    NavItem(_("Risk warnings"), "monitoring:warnings", "monitoring.view_warning"),
    NavItem(_("Outreach"), "monitoring:outreach", "monitoring.view_outreachtask"),
    NavItem(_("Department data"), "monitoring:feeds", "monitoring.view_feedfile"),
    NavItem(_("Payrolls"), "payments:payrolls", "payments.view_payroll"),
    NavItem(_("Close relatives"), "payments:relatives", "payments.declare_relative"),
    NavItem(_("My applications"), "me:home", "cases.apply_online"),
    NavItem(_("Policy parameters"), "rules:publication", "rules.publish_parameter"),
    NavItem(_("Audit log"), "audit:events", "audit.view_auditevent"),
    NavItem(_("Back office"), "admin:index", None),
]


def items_for(user) -> list[dict[str, str]]:
    items = []
    for item in NAVIGATION:
        if item.url_name == "admin:index" and not user.is_staff:
            continue
        if item.permission and not user.has_perm(item.permission):
            continue
        items.append({"label": str(item.label), "url": reverse(item.url_name)})
    return items
