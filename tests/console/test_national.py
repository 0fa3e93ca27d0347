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
