"""An applicant signs up on the apex, finds a regency, signs in on its subdomain;
an officer of another regency is refused there."""
import uuid

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from pintu.access.models import Role
from pintu.access.services import membership_grant
from pintu.identity.services import user_ensure
from tests.e2e.conftest import regency_url


def test_applicant_signs_up_and_reaches_a_regency(page, pintu_server):
    email = f"pemohon-{uuid.uuid4().hex[:6]}@contoh.id"
    page.goto(pintu_server["apex"] + "/")
    expect(page.locator("body")).to_contain_text("daerah melayani di Pintu")
    page.steps.shot("apex")

    page.get_by_role("link", name="Daftar").click()
    page.fill("#id_full_name", "Dewi Fisioterapis")
    page.fill("#id_email", email)
    page.fill("#id_nik", "1234")
    page.fill("#id_password", "kopi-tubruk-77")
    page.get_by_role("button", name="Daftar").click()
    expect(page.locator("body")).to_contain_text("NIK harus terdiri dari 16 angka")
    page.steps.shot("nik-refused")

    page.fill("#id_nik", f"35030152048{uuid.uuid4().int % 90000 + 10000}")  # a woman from Trenggalek
    page.fill("#id_password", "kopi-tubruk-77")
    page.get_by_role("button", name="Daftar").click()
    page.steps.shot("submitted")
    expect(page.locator("body")).to_contain_text("Akun Anda sudah aktif")
    page.steps.shot("signed-up")

    page.get_by_role("link", name="Kab. Trenggalek").click()
    assert page.url.startswith(regency_url(pintu_server, "trenggalek"))
    expect(page.locator("body")).to_contain_text("WIB")
    page.steps.shot("trenggalek-home")

    # Single sign-on: `Masuk` hops through the apex and comes back signed in, no password asked.
    page.get_by_role("link", name="Masuk").first.click()
    page.wait_for_url(regency_url(pintu_server, "trenggalek") + "**")
    expect(page.locator("body")).to_contain_text("Anda masuk sebagai pemohon")
    page.steps.shot("trenggalek-signed-in")


def test_officer_sees_own_regency_and_is_refused_in_another(page, pintu_server, django_db_blocker):
    email = f"admin-{uuid.uuid4().hex[:6]}@contoh.id"
    with django_db_blocker.unblock():
        user, _ = user_ensure(email=email, full_name="Admin Blitar Uji", password="kopi-tubruk-77")
        with schema_context("kota_blitar"):
            membership_grant(user=user, role=Role.REGENCY_ADMIN)

    page.goto(regency_url(pintu_server, "kota-blitar", "/masuk/"))
    assert page.url.startswith(pintu_server["apex"])  # the sign-in form lives on the apex
    page.fill("#id_username", email)
    page.fill("#id_password", "kopi-tubruk-77")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(regency_url(pintu_server, "kota-blitar") + "**")
    expect(page.locator("body")).to_contain_text("Administrator instansi")
    page.steps.shot("blitar-admin-home")
    page.get_by_role("link", name="Daftar petugas").click()
    expect(page.locator("body")).to_contain_text("Admin Blitar Uji")
    page.steps.shot("blitar-officers")

    page.goto(regency_url(pintu_server, "trenggalek", "/masuk/"))  # signed in by SSO, yet no role here
    page.wait_for_url(regency_url(pintu_server, "trenggalek") + "**")
    expect(page.locator("body")).to_contain_text("Anda masuk sebagai pemohon")
    response = page.goto(regency_url(pintu_server, "trenggalek", "/petugas/"))
    assert response.status == 403
    expect(page.locator("body")).to_contain_text("Akses ditolak")
    page.steps.shot("trenggalek-refused")
