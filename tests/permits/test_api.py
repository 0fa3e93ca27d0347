"""The permits API: public catalog, administrators' configuration, authority; permissions and query counts."""

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from permits.services.demo import demo_catalog_seed
from pintu.access.models import Role
from tests.factories import sip_steps


@pytest.fixture
def catalog(trenggalek):
    call_command("seed_national_templates", "--no-holidays")
    demo_catalog_seed(trenggalek)
    return trenggalek


@pytest.fixture
def admin_client(trenggalek, officer, client_for):
    return client_for(trenggalek, officer(trenggalek, Role.REGENCY_ADMIN))


def test_public_catalog_is_readable_anonymously_with_what_an_applicant_needs(catalog, client_for,
                                                                            django_assert_max_num_queries):
    client = client_for(catalog)
    with django_assert_max_num_queries(10):  # routing (3) + count + types + 4 prefetches
        response = client.get("/api/v1/catalog/permit-types/")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert len(rows) == 7
    sip = rows["sip-bidan"]
    assert sip["sla_working_days"] == 5 and sip["is_online"] and sip["cost"]["is_free"]
    assert len(sip["requirements"]) == 12 and sip["procedure"]["total_working_days"] == 5
    assert rows["reklame"]["is_online"] is False  # Trenggalek: counter only
    pbg = rows["pbg"]
    assert pbg["cost"]["is_free"] is False and pbg["cost"]["regulation"]["year"] == 2024
    detail = client.get("/api/v1/catalog/permit-types/pbg/").json()
    assert detail["name"].startswith("Persetujuan Bangunan Gedung")
    assert client.get("/api/v1/catalog/permit-types/?online=1").json()["count"] == 5


def test_public_catalog_is_each_regencys_own(catalog, blitar, client_for):
    assert client_for(blitar).get("/api/v1/catalog/permit-types/").json()["count"] == 0


def test_config_is_refused_to_anonymous_non_admins_and_other_regencies_admins(catalog, blitar, officer, client_for):
    urls = ["/api/v1/config/permit-types/", "/api/v1/config/sops/", "/api/v1/config/delegations/",
            "/api/v1/authority/?permit_type=pbg"]
    clerk = officer(catalog, Role.FRONT_OFFICE)
    blitar_admin = officer(blitar, Role.REGENCY_ADMIN)
    for url in urls:
        assert client_for(catalog).get(url).status_code in (401, 403)
        assert client_for(catalog, blitar_admin).get(url).status_code == 403
    for url in urls[:3]:
        assert client_for(catalog, clerk).get(url).status_code == 403
    response = client_for(catalog, blitar_admin).post("/api/v1/config/permit-types/",
                                                      {"code": "x", "name": "X", "sla_working_days": 3},
                                                      content_type="application/json")
    assert response.status_code == 403
    with schema_context(catalog.schema_name):
        from permits.models import PermitType

        assert not PermitType.objects.filter(code="x").exists()


def test_admin_configures_a_permit_type_end_to_end(trenggalek, admin_client, client_for):
    c = admin_client
    pt = c.post("/api/v1/config/permit-types/", {
        "code": "sipf", "name": "SIP Fisioterapis", "sla_working_days": 5,
        "number_format": "503/{seq:04d}/SIPF/DPM-PTSP/{year}"}, content_type="application/json")
    assert pt.status_code == 201, pt.json()
    pt_id = pt.json()["id"]
    for name in ("KTP", "STR"):
        r = c.post("/api/v1/config/requirements/", {"permit_type": pt_id, "name": name, "allowed_types": ["pdf"],
                                                    "max_size_kb": 1536}, content_type="application/json")
        assert r.status_code == 201, r.json()
    r = c.post("/api/v1/config/form-fields/", {"permit_type": pt_id, "key": "nik", "label": "NIK", "kind": "nik"},
               content_type="application/json")
    assert r.status_code == 201
    sop = c.post("/api/v1/config/sops/", {"permit_type": pt_id, "steps": sip_steps()}, content_type="application/json")
    assert sop.status_code == 201 and sop.json()["version"] == 1
    check = c.get(f"/api/v1/config/sops/{sop.json()['id']}/check/").json()
    assert check["errors"] == [] and check["warnings"]
    published = c.post(f"/api/v1/config/sops/{sop.json()['id']}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    # editing the published SOP answers with a new draft version
    edited = c.put(f"/api/v1/config/sops/{sop.json()['id']}/", {"steps": sip_steps()[:1] + sip_steps()[3:]},
                   content_type="application/json")
    assert edited.status_code == 201 and edited.json()["version"] == 2 and edited.json()["status"] == "draft"

    head = c.post("/api/v1/config/positions/", {"code": "bupati", "name": "Bupati Trenggalek",
                                                "kind": "regional_head"}, content_type="application/json")
    office = c.post("/api/v1/config/positions/", {"code": "kepala", "name": "Kepala DPMPTSP", "kind": "office_head"},
                    content_type="application/json")
    rule = c.post("/api/v1/config/delegations/", {
        "from_position": head.json()["id"], "to_position": office.json()["id"], "permit_types": [pt_id],
        "legal_basis_number": "Perbup 27/2019", "legal_basis_date": "2019-06-03", "valid_from": "2019-07-01"},
        content_type="application/json")
    assert rule.status_code == 201, rule.json()
    overlap = c.post("/api/v1/config/delegations/", {
        "from_position": head.json()["id"], "to_position": office.json()["id"], "applies_to_all": True,
        "legal_basis_number": "Perbup 1/2026", "legal_basis_date": "2026-01-02", "valid_from": "2026-01-02"},
        content_type="application/json")
    assert overlap.status_code == 400 and overlap.json()["code"] == "delegation_overlap"
    assert overlap.json()["fields"]["valid_from"][0]["code"] == "delegation_overlap"
    assert c.post("/api/v1/config/local-holidays/", {"date": "2026-08-31", "name": "Hari Jadi Trenggalek"},
                  content_type="application/json").status_code == 201

    authority = c.get("/api/v1/authority/?permit_type=sipf&on=2026-05-04").json()
    assert authority["position"]["code"] == "kepala" and authority["rule"]["legal_basis_number"] == "Perbup 27/2019"
    assert authority["can_sign"] is False and "kosong" in authority["chain"][-1]
    public = client_for(trenggalek).get("/api/v1/catalog/permit-types/sipf/").json()
    assert [r["name"] for r in public["requirements"]] == ["KTP", "STR"] and public["procedure"]["version"] == 1


def test_bad_input_gets_field_level_codes_never_a_500(trenggalek, admin_client):
    c = admin_client
    r = c.post("/api/v1/config/permit-types/", {"code": "x", "name": "X", "sla_working_days": 5,
                                                "number_format": "503/{year}"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["fields"]["number_format"][0]["code"] == "seq_missing"
    for code, status in (("na", 201), ("nb", 400)):  # the second type would print the first one's numbers
        r = c.post("/api/v1/config/permit-types/", {"code": code, "name": code.upper(), "sla_working_days": 5,
                                                    "number_format": "503/{seq:04d}/SAMA/{year}"},
                   content_type="application/json")
        assert r.status_code == status, r.json()
    assert r.json()["fields"]["number_format"][0]["code"] == "number_format_taken"
    r = c.post("/api/v1/config/permit-types/", {"code": "x"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["fields"]["name"][0]["code"] == "required"
    r = c.get("/api/v1/authority/?permit_type=nope")
    assert r.status_code == 400 and r.json()["fields"]["permit_type"][0]["code"] == "not_found"
    pt = c.post("/api/v1/config/permit-types/", {"code": "y", "name": "Y", "sla_working_days": 5},
                content_type="application/json").json()
    sop = c.post("/api/v1/config/sops/", {"permit_type": pt["id"], "steps": sip_steps()[:1]},
                 content_type="application/json").json()
    r = c.post(f"/api/v1/config/sops/{sop['id']}/publish/")
    assert r.status_code == 400 and r.json()["code"] == "sop_invalid"
    assert [e["code"] for e in r.json()["detail"]["errors"]] == ["no_signing_step"]
    r = c.post("/api/v1/config/local-holidays/", {"date": "31-08-2026", "name": "X"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["fields"]["date"][0]["code"] == "invalid"


def test_config_lists_have_bounded_query_counts(catalog, admin_client, django_assert_max_num_queries):
    # routing and sign-in cost 5 (search path, domain, session, user, membership); then count + page + prefetches
    for url, limit in [("/api/v1/config/permit-types/", 8), ("/api/v1/config/requirements/", 8),
                       ("/api/v1/config/form-fields/", 8), ("/api/v1/config/sops/", 9),
                       ("/api/v1/config/delegations/", 9), ("/api/v1/config/positions/", 8),
                       ("/api/v1/config/acting-officials/", 8), ("/api/v1/config/local-holidays/", 8)]:
        with django_assert_max_num_queries(limit):
            assert admin_client.get(url).status_code == 200


def test_openapi_schema_lists_the_permits_api(trenggalek, client_for):
    response = client_for(trenggalek).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/catalog/permit-types/" in response.content and b"/api/v1/authority/" in response.content
