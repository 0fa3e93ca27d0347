"""A ministry administrator puts Kab. Blitar on Pintu from the browser and opens its new subdomain.

The provisioning runs in a real Celery worker (tenant-schemas-celery), fed by
the real web server through the broker; the job page refreshes itself with no
JavaScript until the job is done.
"""
import re
import uuid

from playwright.sync_api import expect

from pintu.identity.models import MinistryRole
from pintu.identity.services import ministry_role_grant, user_ensure
from tests.e2e.conftest import regency_url


def test_ministry_administrator_provisions_a_regency_from_the_browser(page, pintu_server, e2e_worker,
                                                                       django_db_blocker):
    email = f"kementerian-{uuid.uuid4().hex[:6]}@contoh.id"
    with django_db_blocker.unblock():
        user, _ = user_ensure(email=email, full_name="Rina Kementerian", password="kopi-tubruk-77")
        ministry_role_grant(user=user, role=MinistryRole.Role.ADMINISTRATOR)

    page.goto(pintu_server["apex"] + "/masuk/")
    page.fill("#id_username", email)
    page.fill("#id_password", "kopi-tubruk-77")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Konsol kementerian").click()
    expect(page.locator("body")).to_contain_text("dari 514 kabupaten/kota sudah di Pintu")
    page.steps.shot("console-regencies")

    page.select_option("#id_state", "not_yet")
    page.fill("#id_q", "blitar")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("table.regencies")).to_contain_text("Kab. Blitar")
    expect(page.locator("table.regencies")).not_to_contain_text("Kota Blitar")
    page.steps.shot("kab-blitar-not-yet")

    page.get_by_role("link", name="Kab. Blitar").click()
    expect(page.locator("body")).to_contain_text("belum bergabung")
    page.get_by_role("link", name="Siapkan daerah ini").click()
    expect(page.locator("#id_code")).to_have_value("3505")
    page.fill("#id_subdomain", "trenggalek")  # taken: refused next to the field, in Indonesian
    page.get_by_role("button", name="Siapkan").click()
    expect(page.locator("body")).to_contain_text("Subdomain 'trenggalek' sudah dipakai Kab. Trenggalek.")
    page.steps.shot("subdomain-taken")

    page.fill("#id_subdomain", "")
    page.get_by_role("button", name="Siapkan").click()
    expect(page.locator("h1")).to_contain_text("3505 Kab. Blitar")
    page.steps.shot("job-started")
    # The page reloads itself every 2 s until the worker is done.
    expect(page.locator("#job-status")).to_contain_text("Selesai", timeout=90_000)
    expect(page.locator("#job-status")).to_contain_text("1 dari 1 daerah diproses")
    expect(page.locator("body")).to_contain_text("admin@blitar.localhost")
    # No password shown once (issue #15): the administrator is invited by e-mail.
    expect(page.locator("code.password")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("Undangan untuk menetapkan kata sandi dikirim")
    page.steps.shot("job-finished")

    page.get_by_role("link", name="blitar.localhost").click()
    page.wait_for_url(regency_url(pintu_server, "blitar") + "**")
    expect(page.locator("header")).to_contain_text("Kab. Blitar")
    expect(page.locator("body")).to_contain_text("WIB")
    page.steps.shot("blitar-home")

    # The worker sent the new administrator the welcome e-mail with an invitation link, on the
    # port the platform serves.
    link = _mailed_link(pintu_server, "admin@blitar.localhost", "/undangan/")
    assert f":{pintu_server['port']}/" in link

    # The administrator follows the link in a browser of their own and sets a password.
    admin = page.context.browser.new_context(locale="id-ID").new_page()
    admin.goto(link)
    admin.fill("#id_full_name", "Admin Kab. Blitar")
    admin.fill("#id_password", "teh-poci-blitar-88")
    admin.fill("#id_password2", "teh-poci-blitar-88")
    admin.get_by_role("button", name="Terima undangan").click()
    admin.goto(regency_url(pintu_server, "blitar", "/pengaturan/petugas/"))
    expect(admin.locator("h1")).to_contain_text("Petugas daerah ini")
    admin.screenshot(path=str(page.steps.dir / "90-admin-officers.png"), full_page=True)
    # The link works once.
    admin.goto(link)
    expect(admin.locator("body")).to_contain_text("sudah dipakai")
    with django_db_blocker.unblock():
        from pintu.identity.models import User
        assert User.objects.get(email="admin@blitar.localhost").check_password("teh-poci-blitar-88")


def _mailed_link(pintu_server, to: str, marker: str) -> str:
    for path in sorted(pintu_server["mail"].iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
        text = path.read_text()
        if to in text and marker in text:
            return re.search(r"https?://\S+" + re.escape(marker) + r"[\w-]+/", text).group(0)
    raise AssertionError(f"no mail to {to} with {marker}")
