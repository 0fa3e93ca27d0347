"""Issue #14.2: walk-ins with only a phone: the counter is warned when no SMS gateway would reach them,
and the SMS links to public tracking with the tracking code, not to an account page."""
from django_tenants.utils import schema_context

from permits.models.applications import Application
from pintu.notify.models import OutboxMessage
from pintu.notify.services import gateway_save
from tests.permits.views.test_counter_pages import built, scan_in_and_submit, start  # noqa: F401 - fixture


def test_the_counter_is_warned_when_no_sms_gateway_reaches_a_phone_only_walk_in(built, trenggalek,  # noqa: F811
                                                                                client_for):
    client = client_for(trenggalek, built.front_office)
    url = start(client, built, applicant_email="")["Location"]
    assert 'id="no-sms-gateway"' in client.get(url).content.decode()
    with_email = start(client, built, applicant_name="Bu Sri", applicant_email="sri@contoh.id")["Location"]
    assert 'id="no-sms-gateway"' not in client.get(with_email).content.decode()
    with schema_context("trenggalek"):
        gateway_save(channel="sms", url="http://127.0.0.1:9/send", token="t", actor=None)
    assert 'id="no-sms-gateway"' not in client.get(url).content.decode()


def test_the_sms_links_to_public_tracking_with_the_tracking_code(built, trenggalek, client_for):  # noqa: F811
    with schema_context("trenggalek"):
        gateway_save(channel="sms", url="http://127.0.0.1:9/send", token="t", actor=None)
    client = client_for(trenggalek, built.front_office)
    url = start(client, built, applicant_email="")["Location"]
    scan_in_and_submit(client, built, url)
    with schema_context("trenggalek"):
        application = Application.objects.get(applicant_name="Pak Darmo")
        sms = OutboxMessage.objects.get(application_id=application.pk, event="submitted", channel="sms")
    assert sms.recipient == "081234567890"
    assert f"/lacak/?nomor={application.registration_number}&kode={application.tracking_code}" in sms.body
    assert f"/permohonan/{application.pk}/" not in sms.body
    # the link works without an account
    tracked = client_for(trenggalek).get("/lacak/", {"nomor": application.registration_number,
                                                     "kode": application.tracking_code})
    assert tracked.status_code == 200 and application.registration_number in tracked.content.decode()
