"""The status everywhere follows the permit's state: the applicant's page, the portal and public tracking
say "Izin dicabut" once revoked (no "Unduh izin" offered), "Izin kedaluwarsa" once expired."""
import datetime as dt

import pytest
from django_tenants.utils import schema_context

from permits.models.applications import Permit, StepTask
from tests.factories import submitted_application


@pytest.fixture
def built(trenggalek_office):
    return trenggalek_office


def _issued(built, applicant):
    from permits.actions import step_button_press

    application = submitted_application(built, applicant)
    for _ in range(3):
        for task in StepTask.objects.filter(application=application, status="open"):
            officer = {"front_office": built.front_office, "signing_official": built.signer}.get(task.role) or \
                (built.health if task.agency == "Dinas Kesehatan" else built.police)
            action = {"front_office": "forward", "technical_team": "recommend"}.get(task.role, "approve_sign")
            step_button_press(task=task, officer=officer, action=action)
    return application, Permit.objects.get(application=application)


def _tracking(client, application):
    return client.get("/lacak/", {"nomor": application.registration_number,
                                  "kode": application.tracking_code}).content.decode()


def test_a_revoked_permit_reads_revoked_on_every_page_the_applicant_looks_at(built, trenggalek, applicant,
                                                                              client_for):
    from permits.services.issuance import permit_revoke

    with schema_context("trenggalek"):
        application, permit = _issued(built, applicant)
    mine = client_for(trenggalek, applicant)
    public = client_for(trenggalek)
    assert "Status: Izin terbit" in _tracking(public, application)  # cached page of the issued state
    assert "Unduh izin (PDF bertanda tangan elektronik)" in mine.get(f"/permohonan/{application.pk}/").content.decode()
    with schema_context("trenggalek"):
        permit_revoke(permit=permit, actor=built.signer, reason="Tempat praktik ditutup")

    page = mine.get(f"/permohonan/{application.pk}/").content.decode()
    assert 'data-state="revoked">Izin dicabut</h2>' in page and "Status: Izin terbit" not in page
    assert "Tempat praktik ditutup" in page and "Unduh izin (PDF bertanda tangan elektronik)" not in page

    tracking = _tracking(public, application)
    assert "Status: Izin dicabut" in tracking and "Status: Izin terbit" not in tracking

    portal = client_for(None, applicant).get("/portal/").content.decode()
    row = next(line for line in portal.splitlines() if application.registration_number in line)
    assert "Izin dicabut" in row and "Unduh izin" not in row


def test_an_expired_permit_reads_expired_in_tracking_and_on_the_applicants_page(built, trenggalek, applicant,
                                                                                client_for):
    with schema_context("trenggalek"):
        application, permit = _issued(built, applicant)
        Permit.objects.filter(pk=permit.pk).update(valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2021, 1, 1))
    assert "Status: Izin kedaluwarsa" in _tracking(client_for(trenggalek), application)
    page = client_for(trenggalek, applicant).get(f"/permohonan/{application.pk}/").content.decode()
    assert 'data-state="expired">Izin kedaluwarsa</h2>' in page and "Masa berlaku izin ini sudah berakhir" in page


def test_a_renewed_permit_reads_renewed(built, trenggalek, applicant, client_for):
    from permits.models.applications import Application

    with schema_context("trenggalek"):
        application, permit = _issued(built, applicant)
        renewal, _ = _issued(built, applicant)
        Application.objects.filter(pk=renewal.pk).update(kind=Application.Kind.RENEWAL, renewal_of=permit)
    assert "Status: Izin diperpanjang" in _tracking(client_for(trenggalek), application)
    page = client_for(trenggalek, applicant).get(f"/permohonan/{application.pk}/").content.decode()
    assert 'data-state="renewed">Izin diperpanjang</h2>' in page


def test_verification_page_names_the_holder_with_a_masked_nik_the_signer_and_the_authority(
        built, trenggalek, client_for):
    from tests.factories import UserFactory

    holder = UserFactory(full_name="Dewi Lestari", nik="3503011204850001")
    with schema_context("trenggalek"):
        application, permit = _issued(built, holder)
        application.refresh_from_db()
    page = client_for(trenggalek).get(f"/verifikasi/{permit.verification_code}/").content.decode()
    assert "Dewi Lestari" in page and "NIK 350301******0001" in page and "3503011204850001" not in page
    assert built.signer.full_name in page and "Kepala DPMPTSP" in page
    assert "Berdasarkan pelimpahan wewenang" in page or "Berdasarkan wewenang kepala daerah" in page
    assert 'class="verify-facts"' in page


def test_verification_page_of_a_renewed_permit_is_not_called_expired(built, trenggalek, applicant, client_for):
    from permits.models.applications import Application

    with schema_context("trenggalek"):
        application, permit = _issued(built, applicant)
        renewal, _ = _issued(built, applicant)
        Application.objects.filter(pk=renewal.pk).update(kind=Application.Kind.RENEWAL, renewal_of=permit)
    page = client_for(trenggalek).get(f"/verifikasi/{permit.verification_code}/").content.decode()
    assert "sudah diperpanjang" in page and "KEDALUWARSA" not in page
