"""Issue #14.8: saving the gateway form with the token left blank keeps the stored token."""
from django_tenants.utils import schema_context

from pintu.access.models import Role
from pintu.notify.models import Gateway
from pintu.notify.services import gateway_save


def test_a_blank_token_keeps_the_stored_one_and_only_the_box_clears_it(trenggalek, officer, client_for):
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    with schema_context("trenggalek"):
        gateway_save(channel="sms", url="https://sms.contoh.id/send", token="rahasia-123", sender="DPMPTSP",
                     actor=None)
    client = client_for(trenggalek, admin)
    page = client.get("/pengaturan/notifikasi/").content.decode()
    assert "rahasia-123" not in page and "(tersimpan; isi untuk mengganti)" in page
    form = {"url": "https://sms2.contoh.id/send", "token": "", "sender": "PTSP", "is_active": "1",
            "timeout_seconds": "10"}
    assert client.post("/pengaturan/notifikasi/gateway/sms/", form).status_code == 302
    with schema_context("trenggalek"):
        gateway = Gateway.objects.get(channel="sms")
        assert (gateway.url, gateway.sender, gateway.token) == ("https://sms2.contoh.id/send", "PTSP", "rahasia-123")
    client.post("/pengaturan/notifikasi/gateway/sms/", {**form, "token": "baru-456"})
    with schema_context("trenggalek"):
        assert Gateway.objects.get(channel="sms").token == "baru-456"
    client.post("/pengaturan/notifikasi/gateway/sms/", {**form, "token_clear": "1"})
    with schema_context("trenggalek"):
        assert Gateway.objects.get(channel="sms").token == ""
