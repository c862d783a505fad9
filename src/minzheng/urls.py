from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from minzheng.accounts import views as accounts_views
from minzheng.api import api
from minzheng.kit import converters  # noqa: F401  (registers <id:…> before the apps' urls)

admin.site.site_header = _("Minzheng back office")
admin.site.site_title = _("Minzheng back office")
admin.site.index_title = _("Back office")

urlpatterns = [
    # The back office signs in through our login (lockout, audit), never its own form.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/logout/", accounts_views.sign_out),
    path("admin/", admin.site.urls),
    path("accounts/", include("minzheng.accounts.urls")),
    path("audit/", include("minzheng.audit.urls")),
    path("registry/", include("minzheng.registry.urls")),
    path("registry/", include("minzheng.registry.urls_io")),  # spreadsheet import and export
    path("rules/", include("minzheng.rules.urls")),
    path("cases/", include("minzheng.cases.urls")),
    path("public/", include("minzheng.cases.urls_public")),  # no sign-in: village 公示 only
    path("me/", include("minzheng.cases.urls_resident")),
    path("monitoring/", include("minzheng.monitoring.urls")),
    path("dashboards/", include("minzheng.dashboards.urls")),
    path("targets/", include("minzheng.targets.urls")),
    path("documents/", include("minzheng.documents.urls")),
    # each domain issues its own documents beside the register
    path("documents/", include("minzheng.cases.urls_documents")),
    path("documents/", include("minzheng.payments.urls_documents")),
    path("payments/", include("minzheng.payments.urls")),
    path("api/", api.urls),
    path("", include("minzheng.web.urls")),
]

handler403 = "minzheng.web.forbidden.permission_denied"  # Chinese, in the layout, one log line
