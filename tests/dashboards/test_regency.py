"""A regency's own dashboard: stored days plus today live, backlog by step and officer, target gap, access."""
from __future__ import annotations

import csv
import datetime as dt
import io

from django_tenants.utils import schema_context

from permits.regency import regency_today
from pintu.audit.models import AuditEntry
from pintu.dashboards.models import RegencyDailyStats, RegencyTarget
from tests.factories import submit

URL = "/dasbor/"


def test_today_is_live_and_past_days_come_from_the_rollup(trenggalek, officer, client_for,
                                                          django_assert_max_num_queries, trenggalek_office):
    office = trenggalek_office
    with schema_context(trenggalek.schema_name):
        today = regency_today()
        submit(office), submit(office), submit(office, channel="counter")
    RegencyDailyStats.objects.create(regency=trenggalek, day=today - dt.timedelta(days=1), received_online=4,
                                     received_counter=0, decided=2, sla_met=1, sla_missed=1,
                                     decision_days={"3": 2}, backlog=7)
    head = officer(trenggalek, "head")
    client = client_for(trenggalek, head)
    client.get(URL)
    with django_assert_max_num_queries(30):
        page = client.get(URL + "?hari=7")
    assert page.status_code == 200
    total = page.context["total"]
    assert (total.received_online, total.received_counter) == (6, 1)  # 4 stored yesterday + 2 live today
    assert (total.decided, total.sla_met) == (2, 1)
    assert total.backlog == 3  # today's live backlog: the three open files
    steps = {s["step__name"]: s["n"] for s in page.context["by_step"]}
    assert steps == {"Pemeriksaan kelengkapan": 3}
    officers = page.context["by_officer"]
    assert sum(o["n"] for o in officers) == 3
    types = {t["name"]: t for t in page.context["by_type"]}
    assert types[office.permit_type.name]["online"] == 2 and types[office.permit_type.name]["counter"] == 1
    assert "<svg" in page.content.decode()


def test_the_head_sets_a_daily_online_target_and_sees_the_gap(trenggalek, officer, client_for, trenggalek_office):
    office = trenggalek_office
    with schema_context(trenggalek.schema_name):
        submit(office), submit(office)
    head = officer(trenggalek, "head")
    client = client_for(trenggalek, head)
    response = client.post(URL, {"online_daily_target": "5"})
    assert response.status_code == 302
    assert RegencyTarget.objects.get(regency=trenggalek).online_daily_target == 5
    with schema_context(trenggalek.schema_name):
        assert AuditEntry.objects.filter(action="dashboard.target_set").exists()
    page = client.get(URL)
    assert page.context["target"] == 5 and page.context["today_gap"] == -3
    assert 'id="today-gap">-3<' in page.content.decode()


def test_a_bad_target_is_refused_with_a_message(trenggalek, officer, client_for):
    head = officer(trenggalek, "head")
    page = client_for(trenggalek, head).post(URL, {"online_daily_target": "banyak"}, follow=True)
    assert "Target harian harus bilangan bulat" in page.content.decode()
    assert not RegencyTarget.objects.filter(regency=trenggalek).exists()


def test_an_administrator_reads_but_only_the_head_sets_the_target(trenggalek, officer, client_for):
    admin = officer(trenggalek, "regency_admin")
    client = client_for(trenggalek, admin)
    assert client.get(URL).status_code == 200
    client.post(URL, {"online_daily_target": "9"})
    assert not RegencyTarget.objects.filter(regency=trenggalek).exists()


def test_other_roles_and_other_regencies_heads_are_refused(trenggalek, blitar, officer, client_for):
    assert client_for(trenggalek, officer(trenggalek, "front_office")).get(URL).status_code == 403
    blitar_head = officer(blitar, "head")
    assert client_for(trenggalek, blitar_head).get(URL).status_code == 403
    assert client_for(blitar, blitar_head).get(URL).status_code == 200


def test_csv_export_has_one_line_per_day_with_the_target_gap(trenggalek, officer, client_for, trenggalek_office):
    office = trenggalek_office
    with schema_context(trenggalek.schema_name):
        submit(office)
        today = regency_today()
    RegencyTarget.objects.create(regency=trenggalek, online_daily_target=3)
    response = client_for(trenggalek, officer(trenggalek, "auditor")).get(URL + "?hari=3&format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [(today - dt.timedelta(days=n)).isoformat() for n in (2, 1, 0)]
    assert rows[-1][1] == "1" and rows[-1][13] == "3" and rows[-1][14] == "-2"


def test_a_reversed_or_huge_period_is_clamped_not_an_error(trenggalek, officer, client_for):
    client = client_for(trenggalek, officer(trenggalek, "auditor"))
    page = client.get(URL + "?dari=2026-12-31&sampai=2020-01-01")
    assert page.status_code == 200 and page.context["period"].days == 366
