"""The page a permit's QR opens fits a 360 px phone: nothing wider than the screen, the number,
issuer and hash readable without scrolling sideways; holder, signer and authority on it."""
import uuid
from concurrent.futures import ThreadPoolExecutor

from django_tenants.utils import schema_context

from permits.services.catalog import permit_type_update
from pintu.identity.services import user_ensure
from tests.e2e.conftest import regency_url
from tests.factories import office_build, submitted_application
from tests.permits.test_survey import decide


def _issued_permit():
    from django.db import connection

    suffix = uuid.uuid4().hex[:6]
    try:
        with schema_context("trenggalek"):
            applicant, _ = user_ensure(email=f"verif-{suffix}@contoh.id", full_name="Wulan Fisioterapis",
                                       password="kopi-tubruk-77")
            office = office_build()
            permit_type_update(permit_type=office.permit_type,
                               number_format=f"503/{{seq:04d}}/SIP-FISIOTERAPI-E2E-{suffix.upper()}/DPM-PTSP/{{year}}")
            application = decide(office, submitted_application(office, applicant))
            return application.permit.verification_code, application.permit.number
    finally:
        connection.close()


def test_verification_page_has_no_horizontal_overflow_at_360_px(browser, pintu_server, django_db_blocker):
    with django_db_blocker.unblock():
        with ThreadPoolExecutor(max_workers=1) as pool:  # pyHanko's asyncio loop, not Playwright's thread
            code, number = pool.submit(_issued_permit).result()
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 780})
    page = context.new_page()
    try:
        page.goto(regency_url(pintu_server, "trenggalek", f"/verifikasi/{code}/"))
        from tests.e2e.conftest import Steps

        Steps(page, "verification_page_360").shot("verification-360")
        widths = page.evaluate("""() => ({doc: document.documentElement.scrollWidth,
                                          body: document.body.scrollWidth, view: window.innerWidth,
                                          widest: Math.max(...[...document.querySelectorAll('main *')]
                                                  .map(e => e.getBoundingClientRect().right))})""")
        assert widths["doc"] <= 360 and widths["body"] <= 360 and widths["widest"] <= 360, widths
        # No cell's text spills out of its cell (a long word over the next column).
        spilled = page.evaluate("""() => [...document.querySelectorAll('.verify-facts th, .verify-facts td')]
                                         .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText)""")
        assert spilled == []
        # No label breaks inside a word ("Diterbitka/n oleh"): each word of each label sits on one line.
        broken = page.evaluate("""() => [...document.querySelectorAll('.verify-facts th')].flatMap(th => {
            const text = th.firstChild, out = [];
            if (!text || text.nodeType !== 3) return out;
            for (const m of text.data.matchAll(/\\S+/g)) {
                const r = document.createRange(); r.setStart(text, m.index); r.setEnd(text, m.index + m[0].length);
                const lines = new Set([...r.getClientRects()].map(q => Math.round(q.top)));
                if (lines.size > 1) out.push(m[0]);
            }
            return out; })""")
        assert broken == [], broken
        assert page.locator("a[data-trust-root]").get_attribute("href") == "/verifikasi/sertifikat-akar.pem"
        text = page.locator("main").inner_text()
        assert number in text and "Wulan Fisioterapis" in text and "Ditandatangani oleh" in text
        assert "ASLI dan BERLAKU" in text  # Indonesian although the browser asks for English
    finally:
        context.close()
