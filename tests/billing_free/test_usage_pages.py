"""The monthly statement: the regency sees its own on its subdomain, the ministry any on the apex; CSV export."""
import csv
import io

from billing_free.services.metering import meter_add, month_of

TRENGGALEK_ADMIN = "admin@trenggalek.localhost"


def _admin(regency):
    from pintu.identity.models import User

    return User.objects.get(email=f"admin@{regency.schema_name.replace('_', '-')}.localhost")


def _seed(trenggalek, blitar):
    month = month_of(trenggalek)
    for i in range(12):
        meter_add(regency=trenggalek, metric="applications", idempotency_key=f"application:{i}:submit")
    meter_add(regency=trenggalek, metric="stored_bytes", amount=3 * 1024 * 1024)
    for i in range(99):
        meter_add(regency=blitar, metric="applications", idempotency_key=f"application:{i}:submit")
    return month


def test_the_regency_administrator_sees_its_own_usage_at_rp_0(trenggalek, blitar, client_for):
    _seed(trenggalek, blitar)
    response = client_for(trenggalek, _admin(trenggalek)).get("/pemakaian/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-metric="applications" data-state="ok"' in html
    row = html.split('data-metric="applications"')[1].split("</tr>")[0]
    assert "<td>12</td>" in row and "<td>20000</td>" in row and "Rp 0" in row
    assert "3,0\xa0MB" in html.split('data-metric="stored_bytes"')[1].split("</tr>")[0]
    assert '<th id="total-cost">Rp 0</th>' in html
    svg = html.split("<svg")[1].split("</svg>")[0]
    assert 'width="300.0"' in svg or 'width="300"' in svg  # track: plain numbers, no localized commas
    assert ",0\"" not in svg
    assert "<svg" in html and "<script" not in html and "http://" not in html.split("<svg")[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", "")
    assert "<td>99</td>" not in html  # Blitar's numbers never appear on Trenggalek's page


def test_the_head_may_read_it_other_officers_may_not(trenggalek, client_for, officer):
    assert client_for(trenggalek, officer(trenggalek, "head")).get("/pemakaian/").status_code == 200
    for role in ("front_office", "verifier", "surveyor", "signing_official", "auditor"):
        assert client_for(trenggalek, officer(trenggalek, role)).get("/pemakaian/").status_code == 403
        assert client_for(trenggalek, officer(trenggalek, role)).get("/pemakaian/csv/").status_code == 403
    assert client_for(trenggalek).get("/pemakaian/").status_code == 302


def test_an_administrator_of_another_regency_sees_nothing_here(trenggalek, blitar, client_for):
    assert client_for(blitar, _admin(trenggalek)).get("/pemakaian/").status_code == 403


def test_the_csv_export_has_twelve_months_of_every_metric(trenggalek, blitar, client_for):
    month = _seed(trenggalek, blitar)
    response = client_for(trenggalek, _admin(trenggalek)).get("/pemakaian/csv/")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert f"pemakaian-3503-{month:%Y-%m}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["kode_wilayah", "daerah", "bulan", "metrik", "nama_metrik", "pemakaian", "kuota", "persen",
                       "status", "biaya_rp"]
    assert len(rows) == 1 + 12 * 7
    this_month = {r[3]: r for r in rows[1:] if r[2] == f"{month:%Y-%m}"}
    assert this_month["applications"][5] == "12" and this_month["applications"][6] == "20000"
    assert this_month["stored_bytes"][5] == str(3 * 1024 * 1024)
    assert {r[0] for r in rows[1:]} == {"3503"} and {r[9] for r in rows[1:]} == {"0"}
    earlier = [r for r in rows[1:] if r[2] < f"{month:%Y-%m}" and r[3] == "applications"]
    assert len(earlier) == 11 and all(r[5] == "0" for r in earlier)


def test_a_bad_month_is_a_message_not_an_error(trenggalek, client_for):
    response = client_for(trenggalek, _admin(trenggalek)).get("/pemakaian/?bulan=2026-13")
    assert response.status_code == 200
    assert "Bulan tidak valid" in response.content.decode()


def test_the_ministry_reads_any_regencys_statement_and_overrides_its_quota(
        trenggalek, blitar, client_for, ministry_admin, django_assert_max_num_queries):
    _seed(trenggalek, blitar)
    apex = client_for(None, ministry_admin)
    with django_assert_max_num_queries(12):
        overview = apex.get("/kementerian/pemakaian/")
    assert overview.status_code == 200
    assert 'data-regency="3503" data-state="ok"' in overview.content.decode()

    page = apex.get("/kementerian/pemakaian/3572/")
    assert page.status_code == 200 and "<td>99</td>" in page.content.decode()

    response = apex.post("/kementerian/pemakaian/3572/kuota/", {"metric": "applications", "limit": "100"})
    assert response.status_code == 302
    page = apex.get("/kementerian/pemakaian/3572/").content.decode()
    row = page.split('data-metric="applications"')[1].split("</tr>")[0]
    assert 'data-state="warning"' in page.split('data-metric="applications"')[1][:40]
    assert "<td>99</td>" in row and "<td>100</td>" in row and "99,0%" in row and "Mendekati kuota" in row
    overview = apex.get("/kementerian/pemakaian/").content.decode()
    assert 'data-regency="3572" data-state="warning"' in overview

    csv_response = apex.get("/kementerian/pemakaian/3572/csv/")
    assert csv_response.status_code == 200
    assert apex.get("/kementerian/pemakaian/9999/").status_code == 404
    bad = apex.post("/kementerian/pemakaian/3572/kuota/", {"metric": "applications", "limit": "-5"}, follow=True)
    assert "Batas kuota harus bilangan bulat" in bad.content.decode()


def test_ministry_pages_are_closed_to_regency_people_and_other_ministry_roles(
        trenggalek, client_for, inspector, officer):
    admin = _admin(trenggalek)
    for user in (admin, officer(trenggalek, "head")):
        apex = client_for(None, user)
        assert apex.get("/kementerian/pemakaian/").status_code == 403
        assert apex.get("/kementerian/pemakaian/3503/").status_code == 403
        assert apex.post("/kementerian/pemakaian/3503/kuota/", {"metric": "sms", "limit": "1"}).status_code == 403
    assert client_for(None, inspector).post("/kementerian/pemakaian/3503/kuota/",
                                            {"metric": "sms", "limit": "1"}).status_code == 403
    # The ministry's pages do not exist on a regency subdomain at all.
    assert client_for(trenggalek, admin).get("/kementerian/pemakaian/3503/").status_code == 404
    assert client_for(None).get("/kementerian/pemakaian/").status_code == 302


def test_analysts_read_but_cannot_change_quotas(trenggalek, client_for):
    from tests.factories import ministry_user

    analyst = ministry_user("analyst")
    page = client_for(None, analyst).get("/kementerian/pemakaian/3503/")
    assert page.status_code == 200 and 'action="kuota/"' not in page.content.decode()
    assert client_for(None, analyst).post("/kementerian/pemakaian/3503/kuota/",
                                          {"metric": "sms", "limit": "1"}).status_code == 403
