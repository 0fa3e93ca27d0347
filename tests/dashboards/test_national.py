"""The national dashboard: figures from the daily rows, a fixed query count, province filter, CSV/XLSX, access."""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from pintu.dashboards.models import RegencyDailyStats
from pintu.identity.models import MinistryRole
from pintu.identity.services import ministry_role_grant
from tests.factories import UserFactory

URL = "/kementerian/dasbor/"
PERIOD = "?dari=2026-11-01&sampai=2026-11-30"


@pytest.fixture
def ministry(db):
    user = UserFactory(full_name="Analis Kementerian")
    ministry_role_grant(user=user, role=MinistryRole.Role.INSPECTOR)  # any ministry role may read
    return user


def day_row(regency, day, **figures):
    defaults = dict(received_online=0, received_counter=0, decided=0, sla_met=0, sla_missed=0, decision_days={},
                    backlog=0, late=0, complaints_open=0, respondents=0, survey_score_sum=0)
    defaults.update(figures)
    return RegencyDailyStats.objects.create(regency=regency, day=day, **defaults)


@pytest.fixture
def month(trenggalek, blitar):
    # Trenggalek: 4 online + 1 counter; 4 decided, 3 on time; days 2,3,3,7 -> median 3; IKM from 2 respondents.
    day_row(trenggalek, dt.date(2026, 11, 2), received_online=3, received_counter=1, decided=2, sla_met=2,
            decision_days={"2": 1, "3": 1}, backlog=6, respondents=2, survey_score_sum=2 * 9 * 4)
    day_row(trenggalek, dt.date(2026, 11, 20), received_online=1, decided=2, sla_met=1, sla_missed=1,
            decision_days={"3": 1, "7": 1}, backlog=4, late=1, complaints_open=2)
    # Blitar: counter only, one decision late; a row outside the period is ignored.
    day_row(blitar, dt.date(2026, 11, 5), received_counter=2, decided=1, sla_missed=1, decision_days={"9": 1},
            backlog=1)
    day_row(blitar, dt.date(2026, 10, 31), received_online=50, backlog=99)


def test_figures_per_regency_equal_the_daily_rows(month, ministry, client_for, trenggalek, blitar):
    page = client_for(None, ministry).get(URL + PERIOD)
    assert page.status_code == 200
    rows = {r.regency.code: r.figures for r in page.context["rows"]}
    t, b = rows["3503"], rows["3572"]
    assert (t.received_online, t.received_counter, t.decided) == (4, 1, 4)
    assert t.sla_percent == Decimal("75.0") and t.median_working_days == Decimal("3.0")
    assert (t.backlog, t.late, t.complaints_open) == (4, 1, 2)  # the latest day's
    assert t.ikm == Decimal("100.00") and t.ikm_grade == "A"
    assert (b.received_online, b.received_counter, b.sla_percent, b.backlog) == (0, 2, Decimal("0.0"), 1)
    assert page.context["rankings"]["sla_best"][0].regency.code == "3503"
    html = page.content.decode()
    assert "<svg" in html and "Kepatuhan SLA" in html and "<script" not in html
    # Trenggalek's table cells, numbers as Indonesian writes them: online, counter, decided, SLA %, median.
    assert "<td>4</td><td>1</td><td>4</td><td>75,0</td><td>3,0</td><td>4</td><td>100,00 (A)</td><td>2</td>" in html


def test_the_query_count_does_not_grow_with_regencies(month, ministry, client_for, mataram,
                                                      django_assert_max_num_queries):
    client = client_for(None, ministry)
    client.get(URL + PERIOD)  # warm the routing cache
    with django_assert_max_num_queries(10):
        client.get(URL + PERIOD)
    with CaptureQueriesContext(connection) as before:
        client.get(URL + PERIOD)
    day_row(mataram, dt.date(2026, 11, 3), received_online=5, decided=1, sla_met=1, decision_days={"1": 1})
    with CaptureQueriesContext(connection) as after:
        page = client.get(URL + PERIOD)
    assert len(after) == len(before)
    assert any(r.regency.code == "5271" and r.figures.received_online == 5 for r in page.context["rows"])


def test_province_filter_keeps_that_provinces_regencies(month, ministry, client_for, mataram):
    page = client_for(None, ministry).get(URL + PERIOD + "&provinsi=52")
    assert [r.regency.code for r in page.context["rows"]] == ["5271"]


def test_csv_export_has_one_row_per_regency(month, ministry, client_for):
    response = client_for(None, ministry).get(URL + PERIOD + "&format=csv")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Kode", "Daerah", "Provinsi"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["3503"][3:7] == ["4", "1", "5", "4"] and by_code["3503"][9] == "75.0"
    assert by_code["3572"][4] == "2"


def test_xlsx_export_opens_in_openpyxl_with_the_right_rows(month, ministry, client_for):
    response = client_for(None, ministry).get(URL + PERIOD + "&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Kode"
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) >= {"3503", "3572"}
    assert by_code["3503"][3:7] == (4, 1, 5, 4) and by_code["3503"][9] == 75.0 and by_code["3503"][15] == "A"


def test_a_regency_officer_cannot_open_the_national_dashboard(trenggalek, officer, client_for):
    head = officer(trenggalek, "head")
    assert client_for(None, head).get(URL).status_code == 403
    assert client_for(trenggalek, head).get(URL).status_code == 404  # not mounted on subdomains


def test_a_visitor_is_sent_to_sign_in(client_for, db):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert "next=/kementerian/dasbor/" in response["Location"]


def test_bad_period_input_falls_back_to_the_last_30_days(ministry, client_for, db):
    page = client_for(None, ministry).get(URL + "?dari=kemarin&sampai=2026-13-45&hari=x&provinsi=zz")
    assert page.status_code == 200
    assert page.context["period"].days == 30 and page.context["rows"] == []
