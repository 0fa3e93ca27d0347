"""The applicant's pages and the public pages of a regency subdomain."""
from django.urls import path

from permits.views import applicant, verification

app_name = "permits"

urlpatterns = [
    path("izin/", applicant.catalog, name="catalog"),
    path("izin/<slug:code>/", applicant.permit_type_detail, name="permit-type"),
    path("izin/<slug:code>/ajukan/", applicant.application_start, name="application-start"),
    path("permohonan/", applicant.my_applications, name="my-applications"),
    path("permohonan/klaim/", applicant.application_claim, name="application-claim"),
    path("permohonan/<int:pk>/", applicant.application_detail, name="application"),
    path("permohonan/<int:pk>/unggah/<int:requirement_pk>/", applicant.document_upload, name="document-upload"),
    path("permohonan/<int:pk>/berkas/<int:document_pk>/", applicant.document_download, name="document-download"),
    path("permohonan/<int:pk>/izin.pdf", applicant.permit_download, name="permit-download"),
    path("lacak/", applicant.track, name="track"),
    path("verifikasi/", applicant.verify_by_number, name="verify-number"),
    path("lacak/izin.pdf", applicant.track_permit_download, name="track-permit-download"),
    path("verifikasi/sertifikat-akar.pem", verification.trust_root, name="trust-root"),
    path("verifikasi/<str:code>/", applicant.verify, name="verify"),
]
