"""A regency administrator configures a new permit type entirely in the browser — two requirements and a
three-step SOP — publishes it, and applicants then find it in the public catalog and the API."""
import uuid

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from pintu.access.models import Role
from pintu.access.services import membership_grant
from pintu.identity.services import user_ensure
from tests.e2e.conftest import regency_url


def test_admin_creates_permit_type_with_requirements_and_sop_and_publishes_it(page, pintu_server,
                                                                               django_db_blocker):
    suffix = uuid.uuid4().hex[:6]
    email, code, name = f"admin-{suffix}@contoh.id", f"uji-{suffix}", f"Izin Usaha Uji {suffix}"
    with django_db_blocker.unblock():
        admin, _ = user_ensure(email=email, full_name="Bu Sri Kasi Perizinan", password="kopi-tubruk-77")
        signer, _ = user_ensure(email=f"ttd-{suffix}@contoh.id", full_name="Pak Kadis", password="kopi-tubruk-77")
        with schema_context("trenggalek"):
            membership_grant(user=admin, role=Role.REGENCY_ADMIN)
            membership_grant(user=signer, role=Role.SIGNING_OFFICIAL)
    url = lambda path: regency_url(pintu_server, "trenggalek", path)  # noqa: E731

    # Sign in through the apex (single sign-on) and find "Pengaturan" in the menu.
    page.goto(url("/masuk/"))
    page.fill("#id_username", email)
    page.fill("#id_password", "kopi-tubruk-77")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(url("/") + "**")
    page.locator("header.top").get_by_role("link", name="Pengaturan").click()
    expect(page.locator("h1")).to_have_text("Pengaturan layanan perizinan")
    page.steps.shot("dashboard")

    # A new permit type; a bad number format is refused next to its field, then previewed and saved.
    page.get_by_role("link", name="+ Jenis izin baru").click()
    page.fill("#id_code", code)
    page.fill("#id_name", name)
    page.fill("#id_sla_working_days", "5")
    page.fill("#id_legal_basis", "Peraturan Bupati Trenggalek Nomor 7 Tahun 2025")
    page.fill("#id_number_format", "503/{nomor}/IUU/{year}")
    page.get_by_role("button", name="Pratinjau nomor").click()
    expect(page.locator(".field.has-error")).to_contain_text("{nomor} yang tidak dikenal")
    page.steps.shot("number-format-refused")
    page.fill("#id_number_format", "503/{seq:04d}/IUU/DPMPTSP/{year}")
    page.get_by_role("button", name="Pratinjau nomor").click()
    expect(page.locator("#number-sample")).to_contain_text("503/0001/IUU/DPMPTSP/")
    page.steps.shot("number-preview")
    page.get_by_role("button", name="Simpan jenis izin").click()
    expect(page.locator(".messages")).to_contain_text(f"Jenis izin {name} tersimpan")
    page.steps.shot("permit-type-saved")

    # Two requirements.
    page.locator("nav.tabs").get_by_role("link", name="Persyaratan").click()
    page.fill("#id_name", "Fotokopi KTP pemohon")
    page.check("#id_allowed_types_0")  # PDF
    page.check("#id_allowed_types_1")  # JPG
    page.fill("#id_max_size", "1,5")
    page.get_by_role("button", name="Tambah persyaratan").click()
    expect(page.locator(".items")).to_contain_text("Fotokopi KTP pemohon")
    page.fill("#id_name", "Denah lokasi usaha")
    page.get_by_role("button", name="Tambah persyaratan").click()
    expect(page.locator(".field.has-error")).to_contain_text("Pilih minimal satu jenis berkas")
    page.steps.shot("requirement-refused")
    page.check("#id_allowed_types_0")
    page.fill("#id_max_size", "500")
    page.select_option("#id_max_size_unit", "KB")
    page.get_by_role("button", name="Tambah persyaratan").click()
    expect(page.locator(".items > li")).to_have_count(2)
    expect(page.locator(".items")).to_contain_text("1,5 MB")
    page.steps.shot("two-requirements")

    # A three-step SOP: completeness check, verification, signature.
    page.locator("nav.tabs").get_by_role("link", name="SOP").click()
    page.get_by_role("button", name="Mulai menyusun SOP").click()
    steps = [
        ("Pemeriksaan kelengkapan berkas", "front_office", ["forward", "return"]),
        ("Verifikasi berkas", "verifier", ["forward", "return", "reject"]),
        ("Persetujuan dan tanda tangan", "signing_official", ["approve_sign", "reject"]),
    ]
    actions = ["forward", "return", "reject", "recommend", "approve_sign"]
    for step_name, role, allowed in steps:
        page.get_by_role("link", name="+ Tambah langkah").click()
        page.fill("#id_name", step_name)
        page.select_option("#id_role", role)
        page.fill("#id_sla_working_days", "1")
        for i, action in enumerate(actions):
            page.set_checked(f"#id_allowed_actions_{i}", action in allowed)
        page.get_by_role("button", name="Simpan langkah").click()
        expect(page.locator(".messages")).to_contain_text(f"Langkah '{step_name}' tersimpan")
    expect(page.locator("#sop-check")).to_contain_text("Tidak ada kesalahan")
    expect(page.locator(".flow-step")).to_have_count(3)
    page.steps.shot("sop-draft")
    page.get_by_role("button", name="Berlakukan SOP versi 1").click()
    expect(page.locator(".messages")).to_contain_text("SOP versi 1 kini berlaku")
    page.steps.shot("sop-published")

    # The dashboard says so; applicants see it in the catalog and the API.
    page.locator("nav.admin-nav").get_by_role("link", name="Jenis izin").click()
    expect(page.locator("table.permit-types")).to_contain_text(name)
    expect(page.locator("table.permit-types tr", has_text=name)).to_contain_text("SOP berlaku v1")
    page.steps.shot("dashboard-after")

    page.goto(url("/izin/"))
    expect(page.locator("body")).to_contain_text(name)
    page.steps.shot("public-catalog")

    response = page.goto(url("/api/v1/catalog/permit-types/"))
    assert response.status == 200
    expect(page.locator("body")).to_contain_text(code)
    page.steps.shot("api-catalog")
    body = page.goto(url("/api/v1/catalog/permit-types/?format=json")).json()  # Chromium resolves *.localhost
    items = body["results"] if isinstance(body, dict) else body
    [entry] = [item for item in items if item["code"] == code]
    assert entry["name"] == name and entry["sla_working_days"] == 5
    assert [(r["name"], r["max_size_kb"]) for r in entry["requirements"]] == [
        ("Fotokopi KTP pemohon", 1536), ("Denah lokasi usaha", 500)]
    assert entry["procedure"]["version"] == 1 and len(entry["procedure"]["steps"]) == 3
