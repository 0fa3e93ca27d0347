"""The page a permit's QR opens fits a 360 px phone: nothing wider than the screen, the number,
issuer and hash readable without scrolling sideways; holder, signer and authority on it."""
from tests.e2e.conftest import regency_url


def test_verification_page_has_no_horizontal_overflow_at_360_px(browser, pintu_server, issued_permit):
    issued = issued_permit(holder="Wulan Fisioterapis", number_tag="SIP-FISIOTERAPI-E2E")
    code, number = issued["code"], issued["permit_number"]
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
