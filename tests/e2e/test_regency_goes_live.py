"""Issue #15's first "done when", in Chromium: a regency the demo does not seed (Kota Tangerang Selatan,
3674) goes from provisioning in the ministry console to a permit signed by a Plh, with nobody touching a
shell and every role given through pages.

The ministry provisions it (a real Celery worker runs the job and sends the welcome e-mail); its first
administrator follows the invitation link from the mail outbox and sets a password; the administrator
records the agencies (OPD), invites the front office, a verifier, two technical reviewers (one per agency),
the head of the office and the official who will stand in for him, and each invitee follows their own
mailed link in their own browser and sets a password. The administrator then configures a permit type with
an SOP holding two parallel technical reviews, the Walikota (an official without an account), the head's
post, the delegation (Perwal No. 12 Tahun 2024) and a Plh for the head, whose form first says what is
missing. An applicant signs up and applies; the file goes through every step and the Plh signs it.
Screenshots of each step in artifacts/e2e/<test>/.
"""
from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from pypdf import PdfReader

from pintu.identity.models import MinistryRole
from pintu.identity.services import ministry_role_grant, user_ensure
from tests.e2e.conftest import regency_url
from tests.factories import pdf_bytes

SUB = "kota-tangerang-selatan"
TIMEOUT = 60_000  # generous: two cores shared by many processes


def _mailed_link(mail_dir, to: str, timeout: float = 60) -> str:
    """The newest invitation link mailed to `to` (file-based outbox), waiting for the mail to be written."""
    deadline = time.monotonic() + timeout
    pattern = re.compile(r"https?://\S+/undangan/[\w-]+/")
    while True:
        for path in sorted(mail_dir.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
            text = path.read_text(errors="replace")
            if re.search(rf"^To: {re.escape(to)}$", text, re.M) and (found := pattern.search(text)):
                return found.group(0)
        if time.monotonic() > deadline:
            raise AssertionError(f"no invitation mailed to {to} in {mail_dir}")
        time.sleep(0.2)  # polling the outbox, bounded by the deadline above


def _context_page(browser, steps_dir, name: str):
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.shot = lambda label: page.screenshot(path=str(steps_dir / f"{name}-{label}.png"), full_page=True)
    return page


def _accept(browser, steps_dir, link: str, name: str, full_name: str, password: str):
    """The invitee opens their link in a browser of their own and sets a password; they are signed in."""
    page = _context_page(browser, steps_dir, name)
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Undangan petugas")
    page.fill("#id_full_name", full_name)
    page.fill("#id_password", password)
    page.fill("#id_password2", password)
    page.get_by_role("button", name="Terima undangan").click()
    expect(page.locator(".messages")).to_contain_text("Undangan diterima")
    return page


def _open_task(page, server, registration_number: str):
    page.goto(regency_url(server, SUB, "/kantor/"))
    page.get_by_role("link", name=registration_number).first.click()
    expect(page.locator("h1")).to_be_visible()


def test_unseeded_regency_goes_from_console_to_a_permit_signed_by_a_plh(page, browser, pintu_server, e2e_worker,
                                                                        django_db_blocker, tmp_path):
    suffix = uuid.uuid4().hex[:6]
    ministry_email = f"kementerian-{suffix}@contoh.id"
    with django_db_blocker.unblock():
        user, _ = user_ensure(email=ministry_email, full_name="Rina Kementerian", password="kopi-tubruk-77")
        ministry_role_grant(user=user, role=MinistryRole.Role.ADMINISTRATOR)
    mail, steps_dir, shot = pintu_server["mail"], page.steps.dir, page.steps.shot
    page.set_default_timeout(TIMEOUT)
    url = lambda path: regency_url(pintu_server, SUB, path)  # noqa: E731

    # 1. The ministry provisions Kota Tangerang Selatan from the console; a real worker runs the job.
    page.goto(pintu_server["apex"] + "/masuk/")
    page.fill("#id_username", ministry_email)
    page.fill("#id_password", "kopi-tubruk-77")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Konsol kementerian").click()
    page.fill("#id_q", "tangerang selatan")
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_role("link", name="Kota Tangerang Selatan").click()
    expect(page.locator("body")).to_contain_text("belum bergabung")
    page.get_by_role("link", name="Siapkan daerah ini").click()
    expect(page.locator("#id_code")).to_have_value("3674")
    page.get_by_role("button", name="Siapkan").click()
    expect(page.locator("#job-status")).to_contain_text("Selesai", timeout=180_000)
    expect(page.locator("body")).to_contain_text(f"admin@{SUB}.localhost")
    shot("console-provisioned")
    admin_link = _mailed_link(mail, f"admin@{SUB}.localhost", timeout=120)
    assert f"{SUB}.localhost:{pintu_server['port']}/undangan/" in admin_link

    # 2. The first administrator sets a password from the welcome mail's link and records the agencies.
    admin = _accept(browser, steps_dir, admin_link, "admin", "Siti Admin Tangsel", "teh-poci-tangsel-1")
    admin.goto(url("/pengaturan/instansi/"))
    for code, name in (("dinkes", "Dinas Kesehatan"), ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang")):
        admin.fill("#id_code", code)
        admin.fill("#id_name", name)
        admin.get_by_role("button", name="Tambah instansi").click()
        expect(admin.locator(".messages")).to_contain_text(f"Instansi {name} ditambahkan")
    admin.shot("01-agencies")

    # 3. Every officer is invited through the page, roles ticked and agencies picked from the list.
    people = {  # key: (e-mail, name, NIK, roles, agencies)
        "loket": (f"loket-{suffix}@tangsel.contoh.id", "Budi Loket", "", ["Petugas loket"], []),
        "verifikator": (f"verifikator-{suffix}@tangsel.contoh.id", "Wati Verifikator", "", ["Verifikator berkas"], []),
        "dinkes": (f"dinkes-{suffix}@tangsel.contoh.id", "dr. Hendra Dinkes", "", [], ["Dinas Kesehatan"]),
        "dpupr": (f"dpupr-{suffix}@tangsel.contoh.id", "Ir. Joko PUPR", "", [],
                  ["Dinas Pekerjaan Umum dan Penataan Ruang"]),
        "kepala": (f"kepala-{suffix}@tangsel.contoh.id", "Drs. Ahmad Kepala", "3674011505700001",
                   ["Pejabat penandatangan", "Kepala dinas"], []),
        "plh": (f"plh-{suffix}@tangsel.contoh.id", "Dewi Sekretaris", "3674015708800002", ["Auditor"], []),
    }
    admin.locator("nav.admin-nav").get_by_role("link", name="Petugas").click()
    for email, name, nik, roles, agencies in people.values():
        admin.fill("#id_email", email)
        admin.fill("#id_full_name", name)
        admin.fill("#id_nik", nik)
        for label in roles + agencies:
            admin.get_by_label(label, exact=True).check()
        admin.get_by_role("button", name="Kirim undangan").click()
        expect(admin.locator(".messages")).to_contain_text(f"Undangan dikirim ke {email}")
    expect(admin.locator("section", has_text="Undangan yang menunggu").locator("tr")).to_have_count(len(people))
    admin.shot("02-invitations-pending")

    # 4. Each invitee follows their mailed link in their own browser and sets a password.
    officers = {}
    for key, (email, name, *_rest) in people.items():
        officers[key] = _accept(browser, steps_dir, _mailed_link(mail, email), key, name, f"sandi-{key}-{suffix}")
    officers["dinkes"].shot("accepted")
    admin.reload()
    expect(admin.locator("body")).to_contain_text("Tidak ada undangan yang menunggu")
    for email, name, *_rest in people.values():
        expect(admin.locator("table").first).to_contain_text(name)
    admin.shot("03-officers-active")

    # 5. A permit type with one requirement and an SOP with two parallel technical reviews.
    code = f"sipb-{suffix}"
    admin.locator("nav.admin-nav").get_by_role("link", name="Jenis izin").click()
    admin.get_by_role("link", name="+ Jenis izin baru").click()
    admin.fill("#id_code", code)
    admin.fill("#id_name", "Surat Izin Praktik Bidan")
    admin.fill("#id_sla_working_days", "5")
    admin.fill("#id_validity_months", "60")
    admin.fill("#id_legal_basis", "Peraturan Walikota Tangerang Selatan Nomor 12 Tahun 2024")
    admin.fill("#id_number_format", "503/{seq:04d}/SIPB/DPMPTSP/{year}")
    admin.get_by_role("button", name="Simpan jenis izin").click()
    expect(admin.locator(".messages")).to_contain_text("Jenis izin Surat Izin Praktik Bidan tersimpan")
    admin.locator("nav.tabs").get_by_role("link", name="Persyaratan").click()
    admin.fill("#id_name", "Fotokopi KTP")
    admin.check("#id_allowed_types_0")  # PDF
    admin.get_by_role("button", name="Tambah persyaratan").click()
    expect(admin.locator(".items")).to_contain_text("Fotokopi KTP")

    admin.locator("nav.tabs").get_by_role("link", name="SOP").click()
    admin.get_by_role("button", name="Mulai menyusun SOP").click()
    actions = ["forward", "return", "reject", "recommend", "approve_sign"]
    steps = [  # name, role, agency, allowed actions, parallel group
        ("Pemeriksaan kelengkapan", "front_office", "", ["forward", "return"], ""),
        ("Verifikasi berkas", "verifier", "", ["forward", "return", "reject"], ""),
        ("Kajian Dinas Kesehatan", "technical_team", "Dinas Kesehatan", ["recommend", "return"], "kajian"),
        ("Kajian Dinas PUPR", "technical_team", "Dinas Pekerjaan Umum dan Penataan Ruang", ["recommend", "return"],
         "kajian"),
        ("Persetujuan dan tanda tangan", "signing_official", "", ["approve_sign", "reject"], ""),
    ]
    for step_name, role, agency, allowed, group in steps:
        admin.get_by_role("link", name="+ Tambah langkah").click()
        admin.fill("#id_name", step_name)
        admin.select_option("#id_role", role)
        if agency:
            admin.select_option("#id_agency", label=agency)
        admin.fill("#id_sla_working_days", "1")
        for i, action in enumerate(actions):
            admin.set_checked(f"#id_allowed_actions_{i}", action in allowed)
        admin.fill("#id_parallel_group", group)
        admin.get_by_role("button", name="Simpan langkah").click()
        expect(admin.locator(".messages")).to_contain_text(f"Langkah '{step_name}' tersimpan")
    expect(admin.locator("#sop-check")).to_contain_text("Tidak ada kesalahan")
    admin.shot("04-sop-draft")
    admin.get_by_role("button", name="Berlakukan SOP versi 1").click()
    expect(admin.locator(".messages")).to_contain_text("SOP versi 1 kini berlaku")

    # 6. Positions: the Walikota without an account, the head's post held by the head; the delegation.
    admin.locator("nav.admin-nav").get_by_role("link", name="Jabatan").click()
    admin.fill("#id_name", "Walikota Tangerang Selatan")
    admin.fill("#id_code", "walikota")
    admin.select_option("#id_kind", "regional_head")
    admin.fill("#id_official_name", "Benyamin Davnie")
    admin.get_by_role("button", name="Tambah jabatan").click()
    expect(admin.locator(".messages")).to_contain_text("Jabatan Walikota Tangerang Selatan ditambahkan")
    admin.fill("#id_name", "Kepala DPMPTSP")
    admin.fill("#id_code", "kepala-dpmptsp")
    admin.select_option("#id_kind", "office_head")
    admin.select_option("#id_holder", label=f"Drs. Ahmad Kepala ({people['kepala'][0]})")
    admin.get_by_role("button", name="Tambah jabatan").click()
    expect(admin.locator(".messages")).to_contain_text("Jabatan Kepala DPMPTSP ditambahkan")
    admin.shot("05-positions")

    admin.locator("nav.admin-nav").get_by_role("link", name="Pelimpahan wewenang").click()
    admin.select_option("#id_from_position", label="Walikota Tangerang Selatan")
    admin.select_option("#id_to_position", label="Kepala DPMPTSP")
    admin.check("#id_applies_to_all")
    admin.fill("#id_legal_basis_number", "Perwal No. 12 Tahun 2024")
    admin.fill("#id_legal_basis_date", "2024-01-15")
    admin.fill("#id_valid_from", "2024-01-15")
    admin.get_by_role("button", name="Simpan pelimpahan").click()
    expect(admin.locator(".messages")).to_contain_text("Pelimpahan wewenang Perwal No. 12 Tahun 2024 tersimpan")

    # 7. The head is away this week: a Plh. The form first says what is missing, in Indonesian.
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    admin.locator("nav.admin-nav").get_by_role("link", name="Plh/Plt").click()
    admin.select_option("#id_position", label="Kepala DPMPTSP")
    admin.check("#id_kind_0")  # Plh
    admin.select_option("#id_user", label=f"Dewi Sekretaris ({people['plh'][0]})")
    admin.fill("#id_decree_number", "800/123/DPMPTSP/2026")
    admin.fill("#id_valid_from", today.isoformat())
    admin.get_by_role("button", name="Simpan").click()
    errors = admin.locator(".field.has-error, .errorlist")
    expect(errors.first).to_be_visible()
    expect(admin.locator("main")).to_contain_text("isi sampai tanggal berapa")
    expect(admin.locator("main")).to_contain_text("belum memegang peran pejabat penandatangan")
    admin.shot("06-plh-refused")
    admin.fill("#id_valid_until", (today + dt.timedelta(days=7)).isoformat())
    admin.check("#id_grant_signing_role")
    admin.get_by_role("button", name="Simpan").click()
    expect(admin.locator(".messages")).to_contain_text("Plh Kepala DPMPTSP tersimpan")
    admin.locator("nav.admin-nav").get_by_role("link", name="Siapa berwenang?").click()
    admin.select_option("#id_permit_type", label="Surat Izin Praktik Bidan")
    admin.fill("#id_on", today.isoformat())
    admin.locator("main form").get_by_role("button").first.click()
    expect(admin.locator("main")).to_contain_text("Walikota Tangerang Selatan: Benyamin Davnie")
    expect(admin.locator("main")).to_contain_text("Plh Kepala DPMPTSP, Dewi Sekretaris")
    admin.shot("07-who-signs")

    # 8. An applicant signs up on the regency and applies (a phone-sized browser).
    ktp = tmp_path / "ktp.pdf"
    ktp.write_bytes(pdf_bytes("KTP Rina"))
    applicant_email = f"rina-{suffix}@contoh.id"
    page.context.clear_cookies()  # the ministry's browser becomes the applicant's phone
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url(f"/daftar/?next=/izin/{code}/"))
    page.fill("#id_full_name", "Rina Bidan")
    page.fill("#id_email", applicant_email)
    page.fill("#id_password", "bidan-tangsel-99")
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_url(url(f"/izin/{code}/") + "**")
    shot("applicant-permit-page")
    page.get_by_role("button", name="Ajukan permohonan").click()
    row = page.locator("form", has=page.get_by_label("Fotokopi KTP", exact=True))
    row.get_by_label("Fotokopi KTP", exact=True).set_input_files(str(ktp))
    row.get_by_role("button", name="Unggah").click()
    expect(page.locator("main")).to_contain_text("Fotokopi KTP terunggah")
    page.get_by_role("button", name="Ajukan permohonan").click()
    expect(page.locator(".messages")).to_contain_text("Permohonan diajukan")
    shot("applicant-submitted")
    with django_db_blocker.unblock(), ThreadPoolExecutor(1) as pool:
        application_pk, number = pool.submit(_application_of, applicant_email).result()

    # 9. Every step: front office, verifier, both technical reviews (in parallel), then the Plh signs.
    for key, step in (("loket", "Pemeriksaan kelengkapan"), ("verifikator", "Verifikasi berkas")):
        _open_task(officers[key], pintu_server, number)
        officers[key].get_by_role("button", name="Teruskan").click()
        expect(officers[key].locator(".messages")).to_contain_text(f"Teruskan: {step} — {number}")
        officers[key].shot("forwarded")
    for key in ("dinkes", "dpupr"):
        _open_task(officers[key], pintu_server, number)
        officers[key].fill("#note", "Memenuhi syarat teknis.")
        officers[key].get_by_role("button", name="Beri rekomendasi").click()
        expect(officers[key].locator("body")).to_contain_text("Rekomendasi")
        officers[key].shot("recommended")
    plh = officers["plh"]
    _open_task(plh, pintu_server, number)
    expect(plh.locator(".authority")).to_contain_text("Perwal No. 12 Tahun 2024")
    expect(plh.locator(".authority")).to_contain_text("Plh Kepala DPMPTSP, Dewi Sekretaris")
    plh.shot("authority")
    plh.get_by_role("button", name="Setujui dan tandatangani").click()
    expect(plh.locator("body")).to_contain_text("Izin terbit")
    plh.shot("signed")

    # 10. The applicant sees the permit; the verification page names the Plh; the decision stored the Plh.
    page.goto(url(f"/permohonan/{application_pk}/"))
    expect(page.locator("body")).to_contain_text("Izin terbit")
    shot("applicant-issued")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Unduh izin")).click()
    text = "".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    assert "Dewi Sekretaris" in text and "PLH. KEPALA DPMPTSP" in text and "Rina Bidan" in text
    page.get_by_role("link", name="Halaman verifikasi").click()
    expect(page.locator("body")).to_contain_text("ASLI dan BERLAKU")
    expect(page.locator("body")).to_contain_text("Plh. Kepala DPMPTSP")
    expect(page.locator("body")).to_contain_text("Perwal No. 12 Tahun 2024")
    shot("verification")
    with django_db_blocker.unblock(), ThreadPoolExecutor(1) as pool:
        signed = pool.submit(_signed_by, application_pk).result()
    assert signed == {"signer": people["plh"][0], "acting_kind": "plh", "rule": "Perwal No. 12 Tahun 2024",
                      "permit_number_prefix": "503/0001/SIPB/DPMPTSP/"}
    for other in officers.values():
        other.context.close()
    admin.context.close()


def _application_of(email: str) -> tuple[int, str]:
    from django.db import connection
    from django_tenants.utils import schema_context

    from permits.models import Application

    try:
        with schema_context(SUB.replace("-", "_")):
            application = Application.objects.get(applicant__email=email)
            return application.pk, application.registration_number
    finally:
        connection.close()


def _signed_by(application_pk: int) -> dict:
    from django.db import connection
    from django_tenants.utils import schema_context

    from permits.models import Application

    try:
        with schema_context(SUB.replace("-", "_")):
            application = Application.objects.get(pk=application_pk)
            decision, permit = application.decision, application.permit
            return {"signer": decision.official.email, "acting_kind": decision.acting.kind,
                    "rule": decision.rule.legal_basis_number,
                    "permit_number_prefix": permit.number[:len("503/0001/SIPB/DPMPTSP/")]}
    finally:
        connection.close()
