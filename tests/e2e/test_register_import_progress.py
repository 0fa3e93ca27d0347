"""A regency administrator uploads a 10,000-row register of old permits in Chromium (issue #15): the upload
answers at once with the import's page, whose bar moves on each self-refresh (no JavaScript) while a real
Celery worker checks and writes the rows, and which then shows the result."""
from __future__ import annotations

import datetime as dt
import time
import uuid

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from permits.services.register_import import COLUMNS
from tenants.regions import districts
from tests.e2e.conftest import regency_url
from tests.e2e.test_application_journey import sign_in
from tests.factories import office_build

ROWS = 10_000


def _register_csv(code: str, suffix: str) -> bytes:
    district = districts("3503")[0][0]
    lines = [",".join(COLUMNS)]
    for i in range(ROWS):
        issued = dt.date(2019, 1, 1) + dt.timedelta(days=i % 1500)
        lines.append(f"503/{i:05d}/LAMA-{suffix}/{issued.year},{code},Pemegang {i},{district}010190{i % 9000 + 1:04d},"
                     f"{issued},{issued + dt.timedelta(days=5 * 365)},Kepala DPMPTSP")
    return ("\n".join(lines) + "\n").encode()


def test_ten_thousand_row_register_shows_a_moving_bar_then_the_result(browser, page, pintu_server, e2e_worker,
                                                                       django_db_blocker, tmp_path):
    from django.db import connection

    from permits.models import Permit
    from pintu.access.models import Role
    from pintu.access.services import membership_grant

    suffix = uuid.uuid4().hex[:6].upper()
    with django_db_blocker.unblock():
        try:
            with schema_context("trenggalek"):
                office = office_build()
                membership_grant(user=office.signer, role=Role.REGENCY_ADMIN)
        finally:
            connection.close()
    register = tmp_path / "register-lama.csv"
    register.write_bytes(_register_csv(office.permit_type.code, suffix))

    admin = sign_in(browser, pintu_server, office.signer.email)
    admin.set_default_timeout(60_000)
    admin.goto(regency_url(pintu_server, "trenggalek", "/pengaturan/register-izin/"))
    admin.set_input_files("#id_file", str(register))
    admin.uncheck("#id_dry_run")
    admin.get_by_role("button", name="Periksa / impor").click()
    admin.wait_for_url("**/pengaturan/register-izin/impor/**")
    admin.screenshot(path=str(page.steps.dir / "01-queued.png"), full_page=True)

    # Each self-refresh is a new page load: read the bar after every one until the job is over.
    seen, deadline = [], time.monotonic() + 300
    while time.monotonic() < deadline:
        bar = admin.locator(".progress")
        seen.append((int(bar.get_attribute("aria-valuenow")), admin.locator("#job-status").inner_text()))
        if "Selesai" in seen[-1][1] or "Gagal" in seen[-1][1]:
            break
        if 0 < seen[-1][0] < 100 and len([s for s in seen if 0 < s[0] < 100]) == 1:
            admin.screenshot(path=str(page.steps.dir / "02-running.png"), full_page=True)
        admin.wait_for_event("load", timeout=30_000)  # the page's own <meta http-equiv="refresh">
    admin.screenshot(path=str(page.steps.dir / "03-done.png"), full_page=True)

    percents = [percent for percent, _ in seen]
    assert seen[-1][0] == 100 and seen[-1][1].startswith("Selesai"), seen
    assert percents == sorted(percents), seen  # never goes back
    assert any(0 < percent < 100 for percent in percents), seen  # seen part-way, moving
    assert any("Memeriksa baris" in text or "Menyimpan" in text for _, text in seen), seen
    expect(admin.locator("#job-result")).to_contain_text("10.000 baris: 10.000 izin baru, 0 sudah ada")
    expect(admin.locator("meta[http-equiv=refresh]")).to_have_count(0)
    with django_db_blocker.unblock():
        try:
            with schema_context("trenggalek"):
                assert Permit.objects.filter(number__contains=f"/LAMA-{suffix}/").count() == ROWS
        finally:
            connection.close()
    admin.context.close()
