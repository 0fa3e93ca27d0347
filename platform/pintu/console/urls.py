"""The ministry console, mounted at /kementerian/ on the apex only (never in urls_tenant)."""
from django.urls import path

from pintu.console import views

app_name = "console"

urlpatterns = [
    path("", views.regencies, name="regencies"),
    path("daerah/perbarui-angka/", views.snapshots_refresh, name="snapshots-refresh"),
    path("daerah/<str:code>/", views.regency_detail, name="regency"),
    path("daerah/<str:code>/status/", views.regency_status, name="regency-status"),
    path("daerah/<str:code>/undang-admin/", views.regency_admin_invite, name="regency-admin-invite"),
    path("penyiapan/", views.provision, name="provision"),
    path("penyiapan/riwayat/", views.jobs, name="jobs"),
    path("penyiapan/<int:job_id>/", views.job_detail, name="job"),
    path("pengumuman/", views.announcements, name="announcements"),
    path("pengumuman/<int:pk>/", views.announcement_edit, name="announcement"),
    path("nasional/", views.national, name="national"),
    path("nasional/templat/baru/", views.catalog_template_edit, name="template-new"),
    path("nasional/templat/<slug:code>/", views.catalog_template_edit, name="template"),
]
