"""Issue #14.11 (part): a median of 0 working days and an SLA of 0 % are figures, not "—"; the SLA chart's
best 5 and worst 5 name each regency once when fewer than 10 have decisions."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from pintu.dashboards.selectors import Figures, NationalRow, rankings
from tests.dashboards.test_national import URL, day_row, ministry  # noqa: F401 - fixture


def test_a_zero_median_and_a_zero_sla_are_shown_as_zero(trenggalek, blitar, ministry, client_for):  # noqa: F811
    # Blitar decided one file the day it came in (0 working days), late by its SLA (0 % on time).
    day_row(blitar, dt.date(2026, 11, 5), received_counter=1, decided=1, sla_missed=1, decision_days={"0": 1})
    page = client_for(None, ministry).get(URL + "?dari=2026-11-01&sampai=2026-11-30").content.decode()
    row = page.split('data-regency="3572"')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    # name, province, online, counter, decided, SLA %, median, backlog, IKM, complaints
    assert cells[5] == "0,0" and cells[6] == "0,0", cells  # Indonesian decimal comma


def _row(name: str, sla_met: int) -> NationalRow:
    return NationalRow(regency=SimpleNamespace(name=name), figures=Figures(decided=10, sla_met=sla_met))


def test_best_and_worst_name_each_regency_once_when_fewer_than_ten():
    rows = [_row(f"Daerah {i}", sla_met=10 - i) for i in range(7)]
    ranked = rankings(rows)
    best = [r.regency.name for r in ranked["sla_best"]]
    worst = [r.regency.name for r in ranked["sla_worst"]]
    assert best == [f"Daerah {i}" for i in range(5)]
    assert worst == ["Daerah 6", "Daerah 5"] and not set(best) & set(worst)
    twelve = rankings([_row(f"D{i:02d}", sla_met=10 - i % 11) for i in range(12)])
    assert len(twelve["sla_best"]) == 5 and len(twelve["sla_worst"]) == 5
    assert not {id(r) for r in twelve["sla_best"]} & {id(r) for r in twelve["sla_worst"]}


def test_the_regency_dashboard_exports_xlsx_with_the_csv_lines(trenggalek, officer, client_for, trenggalek_office):
    import io

    from django_tenants.utils import schema_context
    from openpyxl import load_workbook

    from permits.regency import regency_today
    from tests.factories import submit
    office = trenggalek_office
    with schema_context(trenggalek.schema_name):
        submit(office)
        today = regency_today()
    client = client_for(trenggalek, officer(trenggalek, "auditor"))
    assert "format=xlsx" in client.get("/dasbor/").content.decode()
    response = client.get("/dasbor/?hari=3&format=xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
                .active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [(today - dt.timedelta(days=n)).isoformat() for n in (2, 1, 0)]
    assert rows[-1][1] == 1  # today's online application, a number in the sheet


def test_period_dates_are_read_as_typed_day_month_year_or_iso():
    from pintu.dashboards.selectors import date_parse, day_range_parse

    assert date_parse("02-11-2026") == date_parse("2/11/2026") == date_parse("2026-11-02") == dt.date(2026, 11, 2)
    assert date_parse("31-02-2026") is None and date_parse("kemarin") is None and date_parse("") is None
    period = day_range_parse(first="01-11-2026", last="30.11.2026", today=dt.date(2026, 12, 2))
    assert (period.first, period.last) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_rolled_up_figures_say_when_they_were_computed(trenggalek, blitar, ministry, client_for):  # noqa: F811
    from pintu.dashboards.models import RegencyDailyStats
    from tests.dashboards.test_national import day_row

    day_row(trenggalek, dt.date(2026, 11, 5), received_online=1)
    day_row(blitar, dt.date(2026, 11, 6), received_counter=1)
    # Blitar's rollup last ran at 09.03 WIB, Trenggalek's at 09.08: the page is as fresh as the stalest.
    RegencyDailyStats.objects.filter(regency=blitar).update(
        computed_at=dt.datetime(2026, 11, 6, 2, 3, tzinfo=dt.timezone.utc))
    RegencyDailyStats.objects.filter(regency=trenggalek).update(
        computed_at=dt.datetime(2026, 11, 6, 2, 8, tzinfo=dt.timezone.utc))
    page = client_for(None, ministry).get(URL + "?dari=01-11-2026&sampai=30-11-2026").content.decode()
    assert "Data per 6 November 2026, 09.03 WIB" in page
