"""Pages for officers on a regency subdomain: the office (/kantor/) and the counter (/loket/)."""
from django.urls import include, path

from permits.views import counter, office

office_patterns = [
    path("", office.worklist_page, name="worklist"),
    path("tugas/<int:pk>/", office.task_page, name="task"),
    path("tugas/<int:pk>/ambil/", office.task_claim_view, name="claim"),
    path("tugas/<int:pk>/laporan/", office.report_download, name="report"),
    path("tugas/<int:pk>/draf.pdf", office.task_draft_pdf, name="task-draft"),
    path("tugas/<int:pk>/berkas/<int:document_pk>/", office.document_preview, name="document-preview"),
    path("berkas/<int:pk>/lihat/", office.document_inline, name="document-inline"),
    path("tugas/<int:pk>/jadwal-survei/", office.survey_schedule_view, name="survey-schedule"),
    path("berkas/<int:pk>/", office.document_download, name="document"),
    path("berkas/<int:pk>/periksa/", office.document_review_view, name="review"),
    path("permohonan/<int:pk>/", office.application_page, name="application"),
    path("izin/<int:pk>/cabut/", office.permit_revoke_view, name="revoke"),
]

counter_patterns = [
    path("", counter.counter_home, name="home"),
    path("baru/", counter.counter_start, name="start"),
    path("perpanjang/", counter.counter_renewal, name="renewal"),
    path("perpanjang/<int:permit_pk>/", counter.counter_renewal_start, name="renewal-start"),
    path("<int:pk>/", counter.counter_application, name="application"),
    path("<int:pk>/unggah/<int:requirement_pk>/", counter.counter_upload, name="upload"),
    path("<int:pk>/tanda-terima.pdf", counter.counter_receipt, name="receipt"),
    path("<int:pk>/serahkan/", counter.counter_hand_over, name="hand-over"),
    path("<int:pk>/izin.pdf", counter.counter_permit, name="permit"),
]

urlpatterns = [
    path("kantor/", include((office_patterns, "office"))),
    path("loket/", include((counter_patterns, "counter"))),
]
