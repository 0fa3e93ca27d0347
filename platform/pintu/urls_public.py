"""The apex domain: landing page, sign-in and sign-up, ministry console, applicant portal."""
from django.urls import include, path

from billing_free import urls as billing_urls
from permits.api.open_data import NationalRegisterAPI
from permits.oss import views as oss_views
from pintu import urls_common
from pintu.console import oss_views as oss_console
from pintu.dashboards import urls as dashboard_urls
from pintu.portal import api as portal_api
from pintu.web import views
from tenants.api import RegencyListAPI

web_patterns = [
    path("", views.landing, name="home"),
    path("sso/", views.sso_start, name="sso-start"),
    *urls_common.account_patterns,
]

urlpatterns = [
    path("", include((web_patterns, "web"))),
    # Fair-use statements, pungli reports and the inspectors' console (billing_free).
    path("", include((billing_urls.public_patterns, "billing"))),
    path("kementerian/dasbor/", include((dashboard_urls.national_patterns, "dashboards"))),
    # The ministry's view of the OSS integration (issue #17), beside the console.
    path("kementerian/oss/", oss_console.oss_overview, name="oss-console"),
    path("kementerian/oss/<str:code>/", oss_console.oss_regency, name="oss-console-regency"),
    path("kementerian/", include("pintu.console.urls")),
    # The applicant portal: every file in every regency, issued permits, profile (issue #6).
    path("portal/", include("pintu.portal.urls")),
    # OSS RBA calls these host to host; each checklist item is routed by its kd_daerah (docs/oss.md).
    path("oss/receiveNIB", oss_views.receive_nib, name="oss-receive-nib"),
    path("oss/receiveFileDS", oss_views.receive_file_ds, name="oss-receive-file-ds"),
    path("api/v1/regencies/", RegencyListAPI.as_view(), name="api-regencies"),
    # The ministry's API: what the console shows (issue #20), same selectors and services as the pages.
    path("api/v1/ministry/", include(("pintu.console.api_urls", "ministry-api"))),
    # Open data: every regency's issued permits, from the public index (issue #20).
    path("api/v1/open-data/permits/", NationalRegisterAPI.as_view(), name="api-open-data-permits"),
    # The applicant's own files, permits and profile across regencies (issue #20).
    path("api/v1/me/applications/", portal_api.MyApplicationsAPI.as_view(), name="api-me-applications"),
    path("api/v1/me/permits/", portal_api.MyPermitsAPI.as_view(), name="api-me-permits"),
    path("api/v1/me/profile/", portal_api.MyProfileAPI.as_view(), name="api-me-profile"),
    *urls_common.schema_patterns_for("pintu.urls_public"),
]

handler500 = "pintu.web.errors.server_error"
handler404 = "pintu.web.errors.page_not_found"
