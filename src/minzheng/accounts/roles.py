"""The roles of Minzheng, defined in code: label, expected region level, permissions.

Each role is a Django group named by its code, whose permissions are synchronised from this
table after every migrate; nobody edits groups by hand. 三员分立: the system, security and audit
administrator roles are mutually exclusive and none of them reads personal data.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from minzheng.regions import codes

_VIEW_REGISTRY = ["registry.view_household", "registry.view_person", "regions.view_region"]
_EDIT_REGISTRY = [
    "registry.add_household",
    "registry.change_household",
    "registry.add_person",
    "registry.change_person",
]
_REVEAL = ["registry.reveal_person"]
_CASEWORK = ["registry.transfer_person", "registry.import_household", "registry.export_household"]
_EXPORT = ["registry.export_household"]
_PUBLISH = ["rules.publish_parameter", "rules.view_publishedvalue"]
_SNAPSHOT = ["rules.add_decisionsnapshot", "rules.view_decisionsnapshot"]
_VIEW_SNAPSHOT = ["rules.view_decisionsnapshot"]
_VIEW_CASES = ["cases.view_case", "documents.view_document"]  # a case's notices and forms
_CASES_VILLAGE = ["cases.add_case", *_VIEW_CASES]
_CASES_TOWNSHIP = [
    *_CASES_VILLAGE,
    "cases.accept_case",
    "cases.investigate_case",
    "cases.publicise_case",
    "cases.grant_emergency_case",
    "cases.recheck_case",
]
_CASES_REVIEWER = [*_VIEW_CASES, "cases.review_case", "cases.grant_small_case"]
_CASES_COUNTY = [*_VIEW_CASES, "cases.decide_case"]
_VIEW_MONITORING = [
    "monitoring.view_warning",
    "monitoring.view_outreachtask",
    "monitoring.view_feedfile",
]
_MONITOR_VILLAGE = [
    "monitoring.view_warning",
    "monitoring.view_outreachtask",
    "monitoring.handle_warning",
    "monitoring.handle_outreach",
]
_MONITOR_TOWNSHIP = [
    *_VIEW_MONITORING,
    "monitoring.handle_warning",
    "monitoring.handle_outreach",
    "monitoring.assign_warning",
    "monitoring.request_check",
]
_MONITOR_COUNTY = [*_MONITOR_TOWNSHIP, "monitoring.ingest_feed", "monitoring.review_match"]
# Leaders' reads (dashboards/): aggregate figures, no personal data.
_DASHBOARD = ["dashboards.view_dashboard"]
_STATISTICS = [*_DASHBOARD, "dashboards.view_statistics"]
_CLOSE_MONTH = ["dashboards.close_month"]
# Work-plan targets (targets/): read; report progress (the owner); enter, import, refresh.
_VIEW_TARGETS = ["targets.view_target"]
_REPORT_TARGETS = [*_VIEW_TARGETS, "targets.report_progress"]
_MANAGE_TARGETS = [*_VIEW_TARGETS, "targets.add_target", "targets.change_target"]
# Payments: the county manager prepares payrolls (maker), the county approver approves them
# (checker); townships see and resolve their own lines; staff declare close relatives.
_DECLARE = ["payments.declare_relative"]
_PAYROLL_VIEW = ["payments.view_payroll", *_DECLARE]
_PAYROLL_TOWNSHIP = [*_PAYROLL_VIEW, "payments.resolve_flag"]
_FUNDS = ["payments.view_payroll", "payments.view_funds"]
_PAYROLL_CHECKER = [
    *_PAYROLL_VIEW,
    "payments.approve_payroll",
    "payments.view_funds",
    "payments.view_recovery",
]
_PAYROLL_MAKER = [
    *_PAYROLL_TOWNSHIP,
    "payments.prepare_payroll",
    "payments.export_bankfile",
    "payments.import_returns",
    "payments.manage_recovery",
    "payments.view_recovery",
    "payments.view_funds",
    "payments.view_relativedeclaration",
]


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    level: int | None  # the region level a holder's home region is expected to have
    permissions: tuple[str, ...]
    back_office: bool = False  # may open the Django admin
    administrator: bool = False  # one of the three separated administrator roles


ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role(
            "village_worker",
            _("Village/community worker"),
            codes.VILLAGE,
            (*_VIEW_REGISTRY, *_EDIT_REGISTRY, *_CASES_VILLAGE, *_MONITOR_VILLAGE, *_DECLARE),
        ),
        Role(
            "township_clerk",
            _("Township case worker"),
            codes.TOWNSHIP,
            (
                *_VIEW_REGISTRY,
                *_EDIT_REGISTRY,
                *_REVEAL,
                *_CASEWORK,
                *_SNAPSHOT,
                *_CASES_TOWNSHIP,
                *_MONITOR_TOWNSHIP,
                *_STATISTICS,
                *_PAYROLL_TOWNSHIP,
            ),
        ),
        Role(
            "township_reviewer",
            _("Township reviewer"),
            codes.TOWNSHIP,
            (
                *_VIEW_REGISTRY,
                *_REVEAL,
                *_EXPORT,
                *_SNAPSHOT,
                *_CASES_REVIEWER,
                *_MONITOR_TOWNSHIP,
                *_STATISTICS,
                *_PAYROLL_VIEW,
            ),
        ),
        Role(
            "county_approver",
            _("County approver"),
            codes.COUNTY,
            (
                *_VIEW_REGISTRY,
                *_REVEAL,
                *_EXPORT,
                *_SNAPSHOT,
                *_CASES_COUNTY,
                *_MONITOR_TOWNSHIP,
                *_STATISTICS,
                *_VIEW_TARGETS,
                *_PAYROLL_CHECKER,
            ),
        ),
        Role(
            "county_admin",
            _("County manager"),
            codes.COUNTY,
            (
                *_VIEW_REGISTRY,
                *_EDIT_REGISTRY,
                *_REVEAL,
                *_CASEWORK,
                *_PUBLISH,
                *_SNAPSHOT,
                *_VIEW_CASES,
                *_MONITOR_COUNTY,
                *_STATISTICS,
                *_CLOSE_MONTH,
                *_MANAGE_TARGETS,
                *_REPORT_TARGETS,
                *_PAYROLL_MAKER,
            ),
            back_office=True,
        ),
        Role(
            "city_admin",
            _("City manager"),
            codes.CITY,
            (
                *_VIEW_REGISTRY,
                *_EXPORT,
                *_PUBLISH,
                *_VIEW_SNAPSHOT,
                *_VIEW_CASES,
                *_VIEW_MONITORING,
                *_STATISTICS,
                *_MANAGE_TARGETS,
                *_FUNDS,
            ),
            back_office=True,
        ),
        Role(
            "city_viewer",
            _("City viewer"),
            codes.CITY,
            (
                *_VIEW_REGISTRY,
                *_VIEW_SNAPSHOT,
                *_VIEW_CASES,
                *_VIEW_MONITORING,
                *_STATISTICS,
                *_VIEW_TARGETS,
                *_FUNDS,
            ),
        ),
        Role("bureau_leader", _("Bureau leader"), codes.COUNTY, (*_STATISTICS, *_VIEW_TARGETS)),
        Role(
            "target_owner",
            _("Work-plan target owner"),
            codes.COUNTY,
            (*_DASHBOARD, *_REPORT_TARGETS),
        ),
        Role("resident", _("Resident"), codes.VILLAGE, ("cases.apply_online",)),
        Role(
            "system_admin",
            _("System administrator"),
            None,
            (
                "accounts.view_user",
                "accounts.add_user",
                "accounts.change_user",
                "regions.view_region",
                "regions.change_region",
            ),
            back_office=True,
            administrator=True,
        ),
        Role(
            "security_admin",
            _("Security administrator"),
            None,
            ("accounts.view_user", "accounts.grant_role", "accounts.unlock_user"),
            back_office=True,
            administrator=True,
        ),
        Role(
            "audit_admin",
            _("Audit administrator"),
            None,
            ("audit.view_auditevent", "audit.export_auditevent"),
            back_office=True,
            administrator=True,
        ),
    ]
}
ROLE_CHOICES = [(code, role.label) for code, role in ROLES.items()]


def get_role(code: str) -> Role:
    from minzheng.accounts.errors import Error

    try:
        return ROLES[code]
    except KeyError:
        raise Error.UNKNOWN_ROLE.error(code=code) from None


def sync_role_groups(**kwargs) -> None:
    """Create one group per role and set exactly its permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    if kwargs.get("using", "default") != "default":
        return
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role in ROLES.values():
        group, _created = Group.objects.get_or_create(name=role.code)
        group.permissions.set([by_name[name] for name in role.permissions if name in by_name])
