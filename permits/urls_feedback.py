"""Satisfaction survey (SKM/IKM) and complaints (pengaduan) on a regency subdomain: pages and API."""
from django.urls import path

from permits.api import feedback as api
from permits.views import complaints, survey

app_name = "feedback"

urlpatterns = [
    path("skm/", survey.ikm_dashboard, name="ikm"),
    path("skm/csv/", survey.ikm_csv, name="ikm-csv"),
    path("skm/hasil/", survey.ikm_public, name="ikm-public"),
    path("skm/loket/", survey.counter_tablet, name="counter-tablet"),
    path("skm/permohonan/<int:pk>/", survey.applicant_rate, name="rate"),
    path("pengaduan/", complaints.complaint_file_view, name="complaint-file"),
    path("pengaduan/status/", complaints.complaint_status_view, name="complaint-status"),
    path("pengaduan/kelola/", complaints.complaints_page, name="complaints"),
    path("pengaduan/kelola/aturan/", complaints.complaint_policy_view, name="complaint-policy"),
    path("pengaduan/kelola/<int:pk>/", complaints.complaint_page, name="complaint"),
    path("pengaduan/kelola/<int:pk>/tetapkan/", complaints.complaint_assign_view, name="complaint-assign"),
    path("pengaduan/kelola/<int:pk>/jawab/", complaints.complaint_answer_view, name="complaint-answer"),
    path("pengaduan/kelola/<int:pk>/tutup/", complaints.complaint_close_view, name="complaint-close"),
    path("api/v1/survey/applications/<int:pk>/", api.SurveyResponseAPI.as_view(), name="api-survey-response"),
    path("api/v1/survey/ikm/", api.IkmAPI.as_view(), name="api-ikm"),
    path("api/v1/complaints/", api.ComplaintFileAPI.as_view(), name="api-complaint-file"),
    path("api/v1/complaints/status/", api.ComplaintStatusAPI.as_view(), name="api-complaint-status"),
    path("api/v1/complaints/stats/", api.ComplaintStatsAPI.as_view(), name="api-complaint-stats"),
]
