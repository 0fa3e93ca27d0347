"""Notification pages on a regency subdomain (issue #5)."""
from django.urls import include, path

from permits.views import notify_admin as views

admin_patterns = [
    path("", views.settings_page, name="settings"),
    path("templat/<slug:event>/<slug:channel>/", views.template_edit, name="template"),
    path("gateway/<slug:channel>/", views.gateway_save, name="gateway"),
    path("masa-berlaku/", views.lead_days_save, name="lead-days"),
    path("pesan/", views.outbox_page, name="outbox"),
    path("pesan/<int:pk>/kirim-ulang/", views.outbox_retry, name="retry"),
]

applicant_patterns = [
    path("kotak-masuk/", views.inbox_page, name="inbox"),
    path("permohonan/<int:pk>/perpanjang/", views.permit_renew, name="renew"),
]

urlpatterns = [
    path("pengaturan/notifikasi/", include((admin_patterns, "notify-admin"))),
    path("", include((applicant_patterns, "notify"))),
]
