"""Status lines speak plainly: no office jargon, no double full stops, a resubmission says so."""
import pytest
from django_tenants.utils import schema_context

from permits.models.applications import StepTask
from tests.factories import submitted_application, upload


@pytest.fixture
def built(trenggalek_office):
    return trenggalek_office


def test_role_labels_carry_no_front_or_back_office_jargon():
    from pintu.access.models import Role

    labels = " ".join(str(label) for _, label in Role.choices).lower()
    assert "front office" not in labels and "back office" not in labels
    assert str(Role.FRONT_OFFICE.label) == "Petugas loket"


def test_a_return_note_after_a_reason_ending_in_a_full_stop_has_one_full_stop_and_resubmission_says_so(
        built, trenggalek, applicant, client_for):
    from permits.services.applications import application_document_upload
    from permits.services.processing import application_return, document_review

    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        ktp = application.documents.get(requirement=built.requirements[0], is_current=True)
        document_review(document=ktp, officer=built.front_office, accepted=False, reason="Foto KTP tidak jelas.")
        application_return(task=StepTask.objects.get(application=application, status="open"), officer=built.front_office,
                           note="Unggah ulang KTP yang terbaca.")
        message = application.events.last().message
        application_document_upload(application=application, requirement=built.requirements[0],
                                    file=upload("ktp-baru.pdf", "KTP jelas"), actor=applicant)
    assert ".." not in message
    assert message.endswith("KTP: Foto KTP tidak jelas. Catatan: Unggah ulang KTP yang terbaca.")
    client = client_for(trenggalek, applicant)
    page = client.post(f"/permohonan/{application.pk}/", {"submit": "1", **application.form_data}, follow=True)
    text = page.content.decode()
    assert "diajukan kembali" in text and "Permohonan diajukan. Nomor registrasi" not in text
    history = client.get("/lacak/", {"nomor": application.registration_number,
                                     "kode": application.tracking_code}).content.decode()
    assert "Petugas front office" not in history and "back office" not in history
