"""A regency's subdomain: its home page, its officers' and applicants' pages, its API."""
from django.urls import include, path

from billing_free import urls as billing_urls
from permits.api.agencies import AgencyDetailAPI, AgencyListAPI
from permits.oss import views as oss_views
from pintu import urls_common
from pintu.access.api import (
    InvitationActionAPI,
    InvitationListAPI,
    OfficerListAPI,
    OfficerRolesAPI,
    OfficerStateAPI,
)
from pintu.audit import views as audit_views
from pintu.dashboards import urls as dashboard_urls
from pintu.notify import api as notify_api
from pintu.storage import views as storage_views
from pintu.web import invitations, views
from tenants.api import RegencyDetailAPI

web_patterns = [
    path("", views.regency_home, name="home"),
    path("petugas/", views.officers, name="officers"),
    path("sso/terima/", views.sso_accept, name="sso-accept"),
    path("undangan/<str:token>/", invitations.invitation_page, name="invitation"),
    *urls_common.account_patterns,
]

urlpatterns = [
    path("", include((web_patterns, "web"))),
    # Usage statement (regency administrators) and the public pungli form + status-by-code only.
    path("", include((billing_urls.tenant_patterns, "billing"))),
    path("", include("permits.urls")),
    # Officers' pages: the office (/kantor/), the counter (/loket/), the audit log (/audit/).
    path("", include("permits.urls_office")),
    # Satisfaction survey (/skm/) and complaints (/pengaduan/), their pages and /api/v1/ endpoints.
    path("", include("permits.urls_feedback")),
    path("audit/", audit_views.audit_log, name="audit-log"),
    # The office's dashboard (/dasbor/) and the public transparency page (/transparansi/), issue #6.
    path("dasbor/", include((dashboard_urls.regency_patterns, "dashboards"))),
    path("", include("permits.urls_transparency")),
    # Notifications (issue #5): /pengaturan/notifikasi/ for administrators, /kotak-masuk/ and renewal for applicants.
    path("", include("permits.urls_notify")),
    # Regency administrators configure the catalog, SOPs, authority and calendar.
    path("pengaturan/", include("permits.urls_admin")),
    # Applications: applicant, public tracking and verification, officers' worklist and actions.
    path("api/v1/", include(("permits.api.application_urls", "applications-api"))),
    path("api/v1/regency/", RegencyDetailAPI.as_view(), name="api-regency"),
    path("api/v1/officers/", OfficerListAPI.as_view(), name="api-officers"),
    # Officer management (issue #15): invitations, roles, deactivation; the agencies (OPD) they pick.
    path("api/v1/officers/invitations/", InvitationListAPI.as_view(), name="api-invitations"),
    path("api/v1/officers/invitations/<int:pk>/resend/", InvitationActionAPI.as_view(action="resend"),
         name="api-invitation-resend"),
    path("api/v1/officers/invitations/<int:pk>/cancel/", InvitationActionAPI.as_view(action="cancel"),
         name="api-invitation-cancel"),
    path("api/v1/officers/<int:user_id>/roles/", OfficerRolesAPI.as_view(), name="api-officer-roles"),
    path("api/v1/officers/<int:user_id>/deactivate/", OfficerStateAPI.as_view(action="deactivate"),
         name="api-officer-deactivate"),
    path("api/v1/officers/<int:user_id>/reactivate/", OfficerStateAPI.as_view(action="reactivate"),
         name="api-officer-reactivate"),
    path("api/v1/agencies/", AgencyListAPI.as_view(), name="api-agencies"),
    path("api/v1/agencies/<int:pk>/", AgencyDetailAPI.as_view(), name="api-agency"),
    # The applicant's notification inbox from this regency (issue #20).
    path("api/v1/inbox/", notify_api.InboxAPI.as_view(), name="api-inbox"),
    path("api/v1/inbox/read/", notify_api.InboxMarkReadAPI.as_view(), name="api-inbox-read"),
    # Permit catalog (public), configuration (regency administrators), authority resolver.
    path("api/v1/", include(("permits.api.urls", "permits-api"))),
    # Signed, expiring, regency-bound download links for documents on local disk.
    # The signed permit PDF linked from receiveLicense (issue #17).
    path("oss/izin/<str:token>/", oss_views.permit_file, name="oss-permit-file"),
    path("oss/nib/", oss_views.nib_lookup, name="oss-nib-lookup"),
    path("berkas/<str:token>/", storage_views.signed_download, name="storage-download"),
    *urls_common.schema_patterns_for("pintu.urls_tenant"),
]

handler500 = "pintu.web.errors.server_error"
handler404 = "pintu.web.errors.page_not_found"
