"""Dashboards as Chromium draws them (issue #14.11): day labels of the chart never overlap, weekday names
are Indonesian even in a browser set to English, and rolled-up figures say when they were computed."""
from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.e2e.conftest import regency_url
from tests.factories import TEST_PASSWORD

OVERLAPS = """(selector) => {
    const boxes = [...document.querySelectorAll(selector)].map(t => t.getBoundingClientRect());
    const hits = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) hits.push([i, j]);
    }
    return {count: boxes.length, hits};
}"""


def _seed(days: int):
    """An auditor of Trenggalek and `days` rolled-up days with figures, the newest yesterday."""
    from django.db import connection

    from permits.regency import regency_today
    from pintu.access.models import Role
    from pintu.access.services import membership_grant
    from tenants.models import Regency
    from tests.dashboards.test_national import day_row
    from tests.factories import UserFactory

    try:
        auditor = UserFactory(full_name="Auditor Dasbor")
        regency = Regency.objects.get(schema_name="trenggalek")
        with schema_context("trenggalek"):
            membership_grant(user=auditor, role=Role.AUDITOR)
            today = regency_today()
        from pintu.dashboards.models import RegencyDailyStats

        RegencyDailyStats.objects.filter(regency=regency).delete()
        for n in range(1, days + 1):
            day_row(regency, today - dt.timedelta(days=n), received_online=n % 5 + 1, received_counter=n % 3,
                    decided=1, sla_met=1, decision_days={"2": 1}, backlog=3)
        return auditor
    finally:
        connection.close()


@pytest.mark.parametrize("locale, width", [("en-US", 1280), ("en-US", 390), ("id-ID", 412)])
def test_the_regency_dashboard_in_chromium(browser, pintu_server, django_db_blocker, request, locale, width):
    from tests.e2e.conftest import Steps

    with django_db_blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
        auditor = pool.submit(_seed, 31).result()
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    steps = Steps(page, request.node.name)
    page.goto(regency_url(pintu_server, "trenggalek", "/masuk/"))
    page.fill("#id_username", auditor.email)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main").get_by_role("button").first.click()
    page.wait_for_url(regency_url(pintu_server, "trenggalek") + "**")
    for days in (31, 7, 90):
        page.goto(regency_url(pintu_server, "trenggalek", f"/dasbor/?hari={days}"))
        expect(page.locator("svg.chart")).to_be_visible()
        steps.shot(f"dashboard-{days}-days")
        labels = page.evaluate(OVERLAPS, "svg.chart text.x-label")
        assert labels["count"] >= min(days, 7) // 2 and labels["hits"] == [], labels
        # the page never gets wider than the screen: a wide chart scrolls inside its own box
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = page.locator(".chart-scroll").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    # weekday names in Indonesian, whatever the browser's language
    first_cells = page.locator("table.dashboard tbody tr td:first-child").all_inner_texts()
    weekdays = {cell.split()[0] for cell in first_cells}
    assert weekdays <= {"Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"} and len(weekdays) == 7, weekdays
    assert "data per" in page.locator("#as-of").inner_text().lower()
    # the period is typed day-month-year, as Indonesian writes it (no browser-language date field)
    assert page.locator("#f-dari").get_attribute("type") == "text"
    page.fill("#f-dari", "01-11-2026")
    page.fill("#f-sampai", "07-11-2026")
    page.locator("form.filters").get_by_role("button", name="Tampilkan").click()
    expect(page.locator("table.dashboard tbody tr")).to_have_count(7)
    expect(page.locator("table.dashboard tbody tr td").first).to_have_text("Min 01-11")
    steps.shot("dashboard-typed-period")
    context.close()
