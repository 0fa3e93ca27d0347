"""The ministry's API on the apex: the console's figures and actions, with the console's role rules."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from pintu.identity.models import MinistryRole

ADMIN, ANALYST, INSPECTOR = (MinistryRole.Role.ADMINISTRATOR, MinistryRole.Role.ANALYST,
                             MinistryRole.Role.INSPECTOR)
READS = [
    # (path, roles that may read, a role that may not)
    ("/api/v1/ministry/regencies/", (ADMIN, ANALYST, INSPECTOR), None),
    ("/api/v1/ministry/regencies/3503/", (ADMIN, ANALYST), None),
    ("/api/v1/ministry/provisioning-jobs/", (ADMIN, ANALYST), None),
    ("/api/v1/ministry/dashboard/", (ADMIN, ANALYST), None),
    ("/api/v1/ministry/usage/", (ADMIN, ANALYST), INSPECTOR),
    ("/api/v1/ministry/usage/3503/", (ADMIN, ANALYST), INSPECTOR),
    ("/api/v1/ministry/announcements/", (ADMIN, ANALYST), None),
    ("/api/v1/ministry/holidays/", (ADMIN, ANALYST), None),
    ("/api/v1/ministry/templates/", (ADMIN, ANALYST), None),
    ("/api/v1/ministry/pungli-reports/", (INSPECTOR,), ADMIN),
    ("/api/v1/ministry/pungli-reports/statistics/", (INSPECTOR, ADMIN), ANALYST),
]


@pytest.mark.parametrize("path,roles,refused", READS)
def test_each_read_answers_the_right_ministry_roles_on_the_apex_only(path, roles, refused, api, ministry,
                                                                     officer, trenggalek):
    for role in roles:
        assert api(None, ministry(role)).get(path).status_code == 200, (path, role)
    if refused:
        response = api(None, ministry(refused)).get(path)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    # A regency's administrator and an applicant hold no ministry role.
    assert api(None, officer(trenggalek, "regency_admin")).get(path).status_code == 403
    assert api(None, None).get(path).status_code in (401, 403)
    # The regency host has no ministry API at all (structured 404), even for the ministry.
    response = api(trenggalek, ministry(roles[0])).get(path)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_regency_list_has_every_official_regency_and_filters_like_the_console(api, ministry, trenggalek):
    client = api(None, ministry(ANALYST))
    everything = client.get("/api/v1/ministry/regencies/").json()
    assert len(everything) == 514
    active = client.get("/api/v1/ministry/regencies/", {"state": "active", "province": "35"}).json()
    assert {"3503"} <= {r["code"] for r in active} and all(r["province_code"] == "35" for r in active)
    assert next(r for r in active if r["code"] == "3503")["subdomain"] == "trenggalek"
    assert client.get("/api/v1/ministry/regencies/9999/").status_code == 404


def test_suspend_and_reactivate_need_the_administrator_and_a_reason(api, ministry, trenggalek, client_for):
    path = "/api/v1/ministry/regencies/3503/status/"
    body = {"action": "suspend", "reason": "Pemeliharaan data"}
    assert api(None, ministry(ANALYST)).post(path, body, content_type="application/json").status_code == 403
    admin = api(None, ministry(ADMIN))
    refused = admin.post(path, {"action": "suspend", "reason": ""}, content_type="application/json")
    assert refused.status_code == 400 and "reason" in refused.json()["fields"]
    response = admin.post(path, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "suspended"
    trenggalek.refresh_from_db()
    assert trenggalek.status == "suspended" and trenggalek.status_reason == "Pemeliharaan data"
    again = admin.post(path, {"action": "reactivate", "reason": "Selesai"}, content_type="application/json")
    assert again.json()["state"] == "active"
    # An administrator on a regency's host reaches no ministry write.
    elsewhere = api(trenggalek, ministry(ADMIN)).post(path, body, content_type="application/json")
    assert elsewhere.status_code == 404
    trenggalek.refresh_from_db()
    assert trenggalek.status == "active"


def test_provisioning_is_a_job_with_its_progress(api, ministry, django_capture_on_commit_callbacks):
    admin = api(None, ministry(ADMIN))
    assert api(None, ministry(ANALYST)).post("/api/v1/ministry/provisioning-jobs/", {"code": "3505"},
                                             content_type="application/json").status_code == 403
    bad = admin.post("/api/v1/ministry/provisioning-jobs/", {"code": "99"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["message"]
    with django_capture_on_commit_callbacks(execute=False):
        response = admin.post("/api/v1/ministry/provisioning-jobs/", {"code": "3505"},
                              content_type="application/json")
    assert response.status_code == 202
    job = response.json()
    assert job["total"] == 1 and job["percent"] == 0 and job["items"][0]["code"] == "3505"
    progress = admin.get(response["Location"]).json()
    assert progress["id"] == job["id"] and progress["status"] == "queued"


def test_the_dashboard_has_the_pages_numbers_and_exports_by_content_negotiation(api, client_for, ministry):
    from django.core.cache import caches

    from pintu.dashboards.models import RegencyDailyStats
    from tenants.models import Regency

    trenggalek = Regency.objects.get(code="3503")
    RegencyDailyStats.objects.create(regency=trenggalek, day=dt.date(2026, 11, 2), received_online=7,
                                     received_counter=3, decided=4, sla_met=3, sla_missed=1, backlog=6)
    user = ministry(ANALYST)
    query = {"dari": "2026-11-01", "sampai": "2026-11-30", "provinsi": "35"}
    data = api(None, user).get("/api/v1/ministry/dashboard/", query).json()
    row = next(r for r in data["rows"] if r["code"] == "3503")
    assert (row["received_online"], row["received_counter"], row["received"], row["decided"]) == (7, 3, 10, 4)
    assert data["first"] == "2026-11-01" and all(r["code"].startswith("35") for r in data["rows"])
    caches["default"].clear()
    page_csv = client_for(None, user).get("/kementerian/dasbor/", {**query, "format": "csv"})
    api_csv = api(None, user).get("/api/v1/ministry/dashboard/", query, HTTP_ACCEPT="text/csv")
    assert api_csv.status_code == 200 and api_csv["Content-Type"].startswith("text/csv")
    assert b"".join(api_csv.streaming_content) == b"".join(page_csv.streaming_content)
    lines = list(csv.reader(io.StringIO(b"".join(api(None, user).get(
        "/api/v1/ministry/dashboard/", query, HTTP_ACCEPT="text/csv").streaming_content).decode("utf-8-sig"))))
    assert ["3503", "Kab. Trenggalek"] == lines[[line[0] for line in lines].index("3503")][:2]
    xlsx = api(None, user).get("/api/v1/ministry/dashboard/", query,
                               HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_usage_statements_are_the_pages_lines(api, ministry, trenggalek):
    lines = api(None, ministry(ANALYST)).get("/api/v1/ministry/usage/3503/", {"bulan": "2026-11"}).json()
    assert "applications" in {line["metric"] for line in lines}
    assert all(line["cost"] == "0" for line in lines)
    bad = api(None, ministry(ANALYST)).get("/api/v1/ministry/usage/3503/", {"bulan": "nope"})
    assert bad.status_code == 400


def test_announcements_are_published_by_the_administrator_only(api, ministry):
    body = {"title": "Pemeliharaan", "body": "Sabtu malam", "audience": "all",
            "published_from": "2026-12-01T08:00:00+07:00"}
    assert api(None, ministry(ANALYST)).post("/api/v1/ministry/announcements/", body,
                                             content_type="application/json").status_code == 403
    admin = api(None, ministry(ADMIN))
    created = admin.post("/api/v1/ministry/announcements/", body, content_type="application/json")
    assert created.status_code == 201
    assert [a["title"] for a in admin.get("/api/v1/ministry/announcements/").json()] == ["Pemeliharaan"]
    assert admin.delete(f"/api/v1/ministry/announcements/{created.json()['id']}/").status_code == 204


def test_national_holidays_are_set_and_removed_by_the_administrator(api, ministry):
    admin = api(None, ministry(ADMIN))
    body = {"date": "2031-03-03", "name": "Libur uji", "kind": "joint_leave"}
    assert api(None, ministry(ANALYST)).post("/api/v1/ministry/holidays/", body,
                                             content_type="application/json").status_code == 403
    assert admin.post("/api/v1/ministry/holidays/", body, content_type="application/json").status_code == 201
    listed = admin.get("/api/v1/ministry/holidays/", {"year": 2031}).json()
    assert "2031-03-03" in [h["date"] for h in listed]
    assert admin.get("/api/v1/ministry/holidays/", {"year": "x"}).status_code == 400
    assert admin.delete("/api/v1/ministry/holidays/2031-03-03/").status_code == 204
    assert admin.delete("/api/v1/ministry/holidays/2031-03-03/").status_code == 404


def test_pungli_reports_reach_inspectors_and_nobody_else(api, ministry, trenggalek):
    from billing_free.services.pungli import pungli_report_submit

    report, _code = pungli_report_submit(regency=trenggalek, description="Diminta uang Rp 500.000 di loket")
    report_id = report.pk
    inspector = api(None, ministry(INSPECTOR))
    listed = inspector.get("/api/v1/ministry/pungli-reports/").json()
    assert [r["id"] for r in listed["results"]] == [report_id]
    assert inspector.get(f"/api/v1/ministry/pungli-reports/{report_id}/").json()["regency"] == "3503"
    assert api(None, ministry(ADMIN)).get(f"/api/v1/ministry/pungli-reports/{report_id}/").status_code == 403
    assert inspector.get("/api/v1/ministry/pungli-reports/999999/").status_code == 404


def test_an_announcement_dated_in_another_century_is_refused_on_its_field(api, ministry):
    """Found by the schema fuzzer: year 0287 was stored and answered with a local-mean-time offset
    (+07:07:12) that is no RFC 3339 date-time; now a 400 on the field, and nothing is stored."""
    admin = api(None, ministry(ADMIN))
    for field, value in (("published_from", "0287-09-12T12:15:44+07:00"), ("published_until", "2999-01-01T00:00:00Z")):
        body = {"title": "Pemeliharaan", "body": "Sabtu malam", "audience": "all",
                "published_from": "2026-12-01T08:00:00+07:00", field: value}
        refused = admin.post("/api/v1/ministry/announcements/", body, content_type="application/json")
        assert refused.status_code == 400, refused.content
        assert field in str(refused.json()), refused.json()
    assert admin.get("/api/v1/ministry/announcements/").json() == []
