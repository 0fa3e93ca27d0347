"""The national holiday calendar and catalog templates, through pintu.national's services, in the console."""
import datetime as dt

from pintu.identity.models import MinistryRole
from pintu.national.models import CatalogTemplate, NationalHoliday


def test_an_administrator_adds_and_removes_a_national_holiday(ministry_admin, apex):
    client = apex(ministry_admin)
    response = client.post("/kementerian/nasional/", {"date": "2031-04-02", "name": "Cuti Bersama Uji",
                                                      "kind": "joint_leave", "action": "set"})
    assert response.status_code == 302 and response["Location"].endswith("?tahun=2031")
    holiday = NationalHoliday.objects.get(date=dt.date(2031, 4, 2))
    assert (holiday.kind, holiday.source, holiday.updated_by) == ("joint_leave", "ministry", ministry_admin)
    html = client.get("/kementerian/nasional/?tahun=2031").content.decode()
    assert "Cuti Bersama Uji" in html and "Diubah admin kementerian" in html
    client.post("/kementerian/nasional/", {"date": "2031-04-02", "action": "remove"})
    assert not NationalHoliday.objects.filter(date=dt.date(2031, 4, 2)).exists()


def test_mistakes_are_explained(ministry_admin, apex):
    client = apex(ministry_admin)
    response = client.post("/kementerian/nasional/", {"date": "2031-13-40", "name": "x", "kind": "holiday"})
    assert response.status_code == 400 and "Tanggal tidak valid" in response.content.decode()
    response = client.post("/kementerian/nasional/", {"date": "2031-04-02", "name": " ", "kind": "holiday"})
    assert response.status_code == 400 and "Nama hari libur wajib diisi." in response.content.decode()


def test_analyst_reads_the_calendar_and_templates(ministry, apex):
    NationalHoliday.objects.create(date=dt.date(2031, 8, 17), name="Hari Kemerdekaan RI")
    CatalogTemplate.objects.create(code="uji-templat", name="Templat Uji", data={})
    html = apex(ministry(MinistryRole.Role.ANALYST)).get("/kementerian/nasional/?tahun=2031").content.decode()
    assert "Hari Kemerdekaan RI" in html and "Templat Uji" in html and "Simpan hari libur" not in html


TEMPLATE_YAML = """
permit_type: {code: izin-uji-nasional, name: Izin Uji Nasional, sla_working_days: 5}
requirements:
  - {name: KTP, allowed_types: [pdf, jpg], max_size_kb: 1536}
form_fields: []
sop:
  steps:
    - {name: Pemeriksaan, role: front_office, sla_working_days: 1, allowed_actions: [forward, return]}
    - {name: Penandatanganan, role: signing_official, sla_working_days: 1, allowed_actions: [approve_sign, reject]}
"""


def test_an_administrator_publishes_republishes_and_withdraws_a_template(ministry_admin, apex):
    client = apex(ministry_admin)
    bad = client.post("/kementerian/nasional/templat/baru/", {"code": "izin-uji", "name": "Izin Uji",
                                                             "data": "permit_type: [tidak: valid"})
    assert bad.status_code == 400 and "bukan YAML yang valid" in bad.content.decode()
    incomplete = client.post("/kementerian/nasional/templat/baru/", {"code": "izin-uji", "name": "Izin Uji",
                                                                    "data": "permit_type: {}"})
    assert incomplete.status_code == 400 and "permit_type, requirements, form_fields, sop" in incomplete.content.decode()
    assert not CatalogTemplate.objects.filter(code="izin-uji").exists()

    assert client.post("/kementerian/nasional/templat/baru/", {"code": "izin-uji", "name": "Izin Uji",
                                                              "data": TEMPLATE_YAML}).status_code == 302
    template = CatalogTemplate.objects.get(code="izin-uji")
    assert template.version == 1 and template.is_published and template.data["requirements"][0]["name"] == "KTP"
    page = client.get("/kementerian/nasional/templat/izin-uji/").content.decode()
    assert "Izin Uji Nasional" in page  # the content, as YAML, ready to edit
    client.post("/kementerian/nasional/templat/izin-uji/", {"code": "izin-uji", "name": "Izin Uji (revisi)",
                                                            "data": TEMPLATE_YAML, "action": "publish"})
    template.refresh_from_db()
    assert template.version == 2 and template.name == "Izin Uji (revisi)"
    client.post("/kementerian/nasional/templat/izin-uji/", {"action": "withdraw"})
    template.refresh_from_db()
    assert not template.is_published


def test_only_ministry_administrators_change_templates(ministry, apex, trenggalek, officer):
    from pintu.access.models import Role

    CatalogTemplate.objects.create(code="uji-baca", name="Templat Baca", data={})
    analyst = apex(ministry(MinistryRole.Role.ANALYST))
    assert analyst.get("/kementerian/nasional/templat/uji-baca/").status_code == 200
    assert analyst.post("/kementerian/nasional/templat/uji-baca/", {"action": "withdraw"}).status_code == 403
    admin_of_regency = officer(trenggalek, Role.REGENCY_ADMIN)
    assert apex(admin_of_regency).get("/kementerian/nasional/templat/uji-baca/").status_code == 403
    assert CatalogTemplate.objects.get(code="uji-baca").is_published
