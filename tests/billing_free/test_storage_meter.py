"""Issue #14.12: storage is metered from everything the regency stores, not only uploads: the signed
permit PDFs and the surveyors' reports count too, byte for byte."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from billing_free.models import UsageMeter
from permits.services.office_files import survey_report_store
from pintu.storage.services import document_read
from tests.factories import UserFactory, pdf_bytes, submitted_application
from tests.notify.helpers import issue


def stored_bytes(regency) -> int:
    latest = UsageMeter.objects.filter(regency=regency, metric="stored_bytes").order_by("-month").first()
    return latest.value if latest else 0


def test_signed_permits_and_survey_reports_count_on_the_storage_meter(trenggalek, blitar, trenggalek_office):
    with schema_context("trenggalek"):
        office = trenggalek_office
        application = submitted_application(office, UserFactory())
        uploads = stored_bytes(trenggalek)  # the application's uploads, already counted
        blitar_before = stored_bytes(blitar)
        permit = issue(office, application)
        pdf_size = len(document_read(permit.pdf_key))
        assert stored_bytes(trenggalek) == uploads + pdf_size

        report = pdf_bytes("Laporan survei lapangan: lokasi sesuai denah")
        stored = survey_report_store(file=SimpleUploadedFile("laporan.pdf", report, content_type="application/pdf"),
                                     filename="laporan.pdf")
        assert stored.size == len(report)
        assert stored_bytes(trenggalek) == uploads + pdf_size + len(report)
    assert stored_bytes(blitar) == blitar_before
