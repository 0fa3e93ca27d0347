"""Issue #14.1: a walk-in gets their signed permit: the front office prints or downloads it (recorded as
handed over), and the walk-in downloads it with the registration number and tracking code."""
import pytest
from django_tenants.utils import schema_context

from permits.models.applications import Application
from pintu.audit.models import AuditEntry
from pintu.notify.models import OutboxMessage
from tests.notify.helpers import issue
from tests.permits.views.test_counter_pages import built, scan_in_and_submit, start  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("built")


@pytest.fixture
def issued_walk_in(built, trenggalek, client_for):  # noqa: F811
    client = client_for(trenggalek, built.front_office)
    url = start(client, built, applicant_email="darmo@contoh.id")["Location"]
    scan_in_and_submit(client, built, url)
    with schema_context("trenggalek"):
        application = Application.objects.get(applicant_name="Pak Darmo")
        permit = issue(built, application)
    return client, url, application, permit


def _pdf(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_front_office_prints_the_signed_permit_and_it_is_recorded_as_handed_over(issued_walk_in):
    client, url, application, permit = issued_walk_in
    page = client.get(url).content.decode()
    assert f"{url}izin.pdf" in page and "Cetak / unduh izin untuk pemohon" in page
    response = client.get(f"{url}izin.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _pdf(response).startswith(b"%PDF")
    client.get(f"{url}izin.pdf")  # printed twice: one hand-over event, two audit entries
    with schema_context("trenggalek"):
        events = application.events.filter(kind="permit_handed_over")
        assert [e.message for e in events] == [f"Izin {permit.number} diserahkan kepada pemohon di loket."]
        assert AuditEntry.objects.filter(action="permit.hand_over", target_id=str(permit.pk)).count() == 2


def test_the_walk_in_downloads_the_permit_with_registration_number_and_tracking_code(issued_walk_in, trenggalek,
                                                                                     client_for):
    _, _, application, permit = issued_walk_in
    anonymous = client_for(trenggalek)
    tracked = anonymous.get("/lacak/", {"nomor": application.registration_number,
                                        "kode": application.tracking_code}).content.decode()
    assert 'id="permit-download"' in tracked
    numbers = {"nomor": application.registration_number, "kode": application.tracking_code}
    response = anonymous.get("/lacak/izin.pdf", numbers)
    assert response.status_code == 200 and _pdf(response).startswith(b"%PDF")
    wrong = anonymous.get("/lacak/izin.pdf", {**numbers, "kode": "SALAH123"})
    assert wrong.status_code == 404 and "tidak cocok" in wrong.content.decode()
    with schema_context("trenggalek"):
        assert AuditEntry.objects.filter(action="permit.download", target_id=str(permit.pk),
                                         detail__by="tracking_code").count() == 1
        # the e-mail sends the walk-in (no account) to that download, not to an account page
        mail = OutboxMessage.objects.filter(event="issued", channel="email").get()
    assert "/lacak/izin.pdf?nomor=" in mail.body and f"/permohonan/{application.pk}/" not in mail.body
    assert application.tracking_code in mail.body


def test_a_file_still_in_process_has_no_permit_to_hand_over(built, trenggalek, client_for):  # noqa: F811
    client = client_for(trenggalek, built.front_office)
    url = start(client, built)["Location"]
    scan_in_and_submit(client, built, url)
    with schema_context("trenggalek"):
        application = Application.objects.get(applicant_name="Pak Darmo")
    refused = client.get(f"{url}izin.pdf", follow=True).content.decode()
    assert "belum terbit" in refused
    assert client_for(trenggalek).get("/lacak/izin.pdf", {"nomor": application.registration_number,
                                                          "kode": application.tracking_code}).status_code == 404
