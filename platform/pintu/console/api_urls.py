"""/api/v1/ministry/ on the apex only (included by pintu.urls_public, never by urls_tenant)."""
from django.urls import path

from pintu.console import api

urlpatterns = [
    path("regencies/", api.MinistryRegencyListAPI.as_view(), name="regencies"),
    path("regencies/<str:code>/", api.MinistryRegencyDetailAPI.as_view(), name="regency"),
    path("regencies/<str:code>/status/", api.MinistryRegencyStatusAPI.as_view(), name="regency-status"),
    path("provisioning-jobs/", api.ProvisioningJobListAPI.as_view(), name="jobs"),
    path("provisioning-jobs/<int:job_id>/", api.ProvisioningJobDetailAPI.as_view(), name="job"),
    path("dashboard/", api.NationalDashboardAPI.as_view(), name="dashboard"),
    path("usage/", api.UsageOverviewAPI.as_view(), name="usage"),
    path("usage/<str:code>/", api.UsageStatementAPI.as_view(), name="usage-regency"),
    path("announcements/", api.AnnouncementListAPI.as_view(), name="announcements"),
    path("announcements/<int:pk>/", api.AnnouncementDetailAPI.as_view(), name="announcement"),
    path("holidays/", api.NationalHolidayListAPI.as_view(), name="holidays"),
    path("holidays/<str:date>/", api.NationalHolidayDetailAPI.as_view(), name="holiday"),
    path("templates/", api.CatalogTemplateListAPI.as_view(), name="templates"),
    path("pungli-reports/", api.PungliReportListAPI.as_view(), name="pungli-reports"),
    path("pungli-reports/statistics/", api.PungliStatisticsAPI.as_view(), name="pungli-statistics"),
    path("pungli-reports/<int:pk>/", api.PungliReportDetailAPI.as_view(), name="pungli-report"),
]
