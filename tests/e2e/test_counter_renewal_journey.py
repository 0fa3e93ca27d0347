"""Renewing a counter-only permit in Chromium (issue #14.3): the holder's permit page (390 px) sends them to
the counter instead of offering a button that is refused; the front office finds the permit by the holder's
NIK, starts the renewal and submits it without scanning anything again."""
from __future__ import annotations

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from permits.models.applications import Application
from tests.e2e.conftest import regency_url
from tests.e2e.test_application_journey import sign_in

NIK = "3503011505900001"


def _counter_only_permit():
    """A holder's permit of a type made counter-only, 20 days before it ends."""
    from django.db import connection

    from permits.models.applications import Permit
    from permits.regency import regency_today
    from permits.services.catalog import permit_type_update
    from tests.factories import UserFactory, office_build, submitted_application
    from tests.notify.helpers import issue

    suffix = uuid.uuid4().hex[:6].upper()
    try:
        holder = UserFactory(full_name="Bu Ratna", nik=NIK[:-4] + f"{uuid.uuid4().int % 9000 + 1000}")
        with schema_context("trenggalek"):
            office = office_build()
            permit_type_update(permit_type=office.permit_type,
                               number_format=f"503/{{seq:04d}}/PJG-{suffix}/DPM-PTSP/{{year}}")
            permit = issue(office, submitted_application(office, holder))
            permit_type_update(permit_type=office.permit_type, is_online=False)
            Permit.objects.filter(pk=permit.pk).update(valid_until=regency_today() + dt.timedelta(days=20))
            return office, holder, permit
    finally:
        connection.close()


def test_a_counter_only_permit_is_renewed_at_the_counter(page, browser, pintu_server, django_db_blocker):
    with django_db_blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
        office, holder, permit = pool.submit(_counter_only_permit).result()

    # 1. The holder, on a phone, is told to come to the counter (no "Perpanjang izin" button).
    mine = sign_in(browser, pintu_server, holder.email)
    mine.set_viewport_size({"width": 390, "height": 844})
    mine.goto(regency_url(pintu_server, "trenggalek", f"/permohonan/{permit.application_id}/"))
    expect(mine.locator("#renew-at-counter")).to_contain_text("dilayani di loket")
    expect(mine.get_by_role("button", name="Perpanjang izin")).to_have_count(0)
    assert mine.evaluate("document.documentElement.scrollWidth") <= 390
    mine.screenshot(path=str(page.steps.dir / "01-holder-told-to-renew-at-the-counter.png"), full_page=True)
    mine.context.close()

    # 2. The front office finds the permit by the holder's NIK and starts the renewal.
    clerk = sign_in(browser, pintu_server, office.front_office.email)
    clerk.goto(regency_url(pintu_server, "trenggalek", "/loket/"))
    clerk.get_by_role("link", name="Perpanjangan izin").click()
    clerk.fill("#q", holder.nik)
    clerk.locator("main form[role=search]").get_by_role("button", name="Cari").click()
    found = clerk.locator("#renewal-results")
    expect(found).to_contain_text(permit.number)
    expect(found).to_contain_text("Bu Ratna")
    assert clerk.evaluate("document.documentElement.scrollWidth") <= 412
    clerk.screenshot(path=str(page.steps.dir / "02-counter-finds-the-permit.png"), full_page=True)
    found.get_by_role("button", name="Mulai perpanjangan").click()
    expect(clerk.locator(".messages")).to_contain_text("Perpanjangan izin")
    expect(clerk.locator("#renewal-of")).to_contain_text(permit.number)
    for name in ("KTP", "STR Fisioterapis", f"Izin {permit.number}.pdf"):
        expect(clerk.locator("main")).to_contain_text(name)
    clerk.screenshot(path=str(page.steps.dir / "03-renewal-draft-with-earlier-documents.png"), full_page=True)

    # 3. Nothing to scan again: submitted as it is.
    clerk.get_by_role("button", name="Ajukan permohonan").click()
    expect(clerk.locator(".messages")).to_contain_text("Permohonan diajukan dengan nomor registrasi")
    clerk.screenshot(path=str(page.steps.dir / "04-renewal-submitted.png"), full_page=True)
    with django_db_blocker.unblock(), schema_context("trenggalek"):
        renewal = Application.objects.get(renewal_of_id=permit.pk)
        assert (renewal.channel, renewal.kind, renewal.status) == ("counter", "renewal", "in_process")
        assert renewal.applicant_id == holder.pk
        assert renewal.documents.filter(is_current=True).count() == 3
    clerk.context.close()
