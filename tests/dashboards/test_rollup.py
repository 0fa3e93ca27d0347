"""The daily rollup: figures per regency day equal those computed by hand from seeded applications."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django_tenants.utils import schema_context

from permits.models import Application
from pintu.dashboards.models import RegencyDailyStats
from pintu.dashboards.services import regency_day_rollup
from pintu.dashboards.tasks import dashboards_rollup
from tests.factories import UTC, at, build_office, place, submit

MON = dt.date(2026, 11, 9)  # a Monday; no holiday in the test calendar between 9 and 20 November


def test_a_file_at_2330_wib_counts_on_the_10th_in_trenggalek_and_the_11th_in_mataram(
        trenggalek, mataram, eager_celery):
    moment = dt.datetime(2026, 11, 10, 16, 30, tzinfo=UTC)  # 23:30 WIB = 00:30 WITA next day
    for regency in (trenggalek, mataram):
        office = build_office(regency)
        with schema_context(regency.schema_name):
            place(submit(office), submitted_at=moment)

    for day in ("2026-11-10", "2026-11-11"):
        assert dashboards_rollup(day) >= 3  # one task per regency on the platform

    def received(regency, day):
        row = RegencyDailyStats.objects.get(regency=regency, day=day)
        return row.received_online, row.received_counter

    assert received(trenggalek, dt.date(2026, 11, 10)) == (1, 0)
    assert received(trenggalek, dt.date(2026, 11, 11)) == (0, 0)
    assert received(mataram, dt.date(2026, 11, 10)) == (0, 0)
    assert received(mataram, dt.date(2026, 11, 11)) == (1, 0)


def test_rerunning_the_rollup_upserts_one_row_per_regency_day(trenggalek, eager_celery, trenggalek_office):
    office = trenggalek_office
    with schema_context(trenggalek.schema_name):
        place(submit(office), submitted_at=at("Asia/Jakarta", 2026, 11, 9, 9))
        dashboards_rollup("2026-11-09")
        place(submit(office, channel="counter"), submitted_at=at("Asia/Jakarta", 2026, 11, 9, 10))
        dashboards_rollup("2026-11-09")
    rows = RegencyDailyStats.objects.filter(regency=trenggalek, day=MON)
    assert rows.count() == 1
    assert (rows.get().received_online, rows.get().received_counter) == (1, 1)


def test_decided_sla_median_backlog_equal_hand_computed_figures(trenggalek, trenggalek_office):
    office = trenggalek_office
    wib = "Asia/Jakarta"
    with schema_context(trenggalek.schema_name):
        a = [submit(office) for _ in range(3)] + [submit(office, channel="counter") for _ in range(2)]
        for app in a:
            place(app, submitted_at=at(wib, 2026, 11, 9, 9))
        # A: decided Wed 11 (2 working days), due Mon 16: on time.
        place(a[0], status=Application.Status.ISSUED, decided_at=at(wib, 2026, 11, 11, 14),
              due_at=at(wib, 2026, 11, 16, 23, 59))
        # B: decided Mon 16 (5 working days, 1 paused -> 4), due Thu 12: late.
        place(a[1], status=Application.Status.REJECTED, decided_at=at(wib, 2026, 11, 16, 10),
              due_at=at(wib, 2026, 11, 12, 23, 59), paused_working_days=1)
        # C, D, E stay open; C is past due by the end of the 16th.
        place(a[2], due_at=at(wib, 2026, 11, 13, 23, 59))
        place(a[3], due_at=at(wib, 2026, 11, 20, 23, 59))
        place(a[4], due_at=at(wib, 2026, 11, 20, 23, 59))
        day9 = regency_day_rollup(day=MON)
        day11 = regency_day_rollup(day=dt.date(2026, 11, 11))
        day16 = regency_day_rollup(day=dt.date(2026, 11, 16))

    assert (day9.received_online, day9.received_counter, day9.decided, day9.backlog) == (3, 2, 0, 5)
    assert (day11.decided, day11.issued, day11.sla_met, day11.sla_missed, day11.backlog) == (1, 1, 1, 0, 4)
    assert day11.decision_days == {"2": 1}
    assert (day16.decided, day16.rejected, day16.sla_met, day16.sla_missed) == (1, 1, 0, 1)
    assert day16.decision_days == {"4": 1}
    assert (day16.backlog, day16.late) == (3, 1)
    assert day16.median_working_days == Decimal("4.0")

    from pintu.dashboards.selectors import Figures

    period = Figures()
    for row in (day9, day11, day16):
        period.add_day(row)
    assert period.received == 5 and period.online_share == Decimal("60.0")
    assert period.sla_percent == Decimal("50.0")
    assert period.median_working_days == Decimal("3.0")  # median of 2 and 4
    assert period.backlog == 3  # the last day's
