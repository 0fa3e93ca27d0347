"""Only ministry staff open the console; analysts read, administrators write; regencies never see it."""
import pytest
from django.urls import reverse

from pintu.access.models import Role
from pintu.identity.models import MinistryRole

GET_PAGES = ["/kementerian/", "/kementerian/daerah/3503/", "/kementerian/penyiapan/", "/kementerian/penyiapan/riwayat/",
             "/kementerian/pengumuman/", "/kementerian/nasional/"]
POSTS = [("/kementerian/penyiapan/", {"code": "3506"}),
         ("/kementerian/daerah/3503/status/", {"action": "suspend", "reason": "uji"}),
         ("/kementerian/daerah/perbarui-angka/", {}),
         ("/kementerian/pengumuman/", {"title": "x", "body": "y", "audience": "all"}),
         ("/kementerian/nasional/", {"date": "2030-01-02", "name": "Libur", "kind": "holiday"})]


@pytest.mark.parametrize("path", GET_PAGES)
def test_a_regency_administrator_is_refused_every_console_page_on_the_apex(path, trenggalek, officer, apex):
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    response = apex(admin).get(path)
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


@pytest.mark.parametrize("path", GET_PAGES + [p for p, _ in POSTS])
def test_console_urls_do_not_exist_on_a_regency_subdomain(path, trenggalek, officer, ministry_admin, client_for):
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    assert client_for(trenggalek, admin).get(path).status_code == 404
    # not even for a ministry administrator: the console lives on the apex only
    assert client_for(trenggalek, ministry_admin).get(path).status_code == 404


@pytest.mark.parametrize("path, data", POSTS)
def test_a_regency_administrator_cannot_write_through_the_console(path, data, trenggalek, officer, apex):
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    assert apex(admin).post(path, data).status_code == 403
    trenggalek.refresh_from_db()
    assert trenggalek.is_active


def test_an_applicant_is_refused_and_a_visitor_is_sent_to_sign_in(applicant, apex):
    assert apex(applicant).get("/kementerian/").status_code == 403
    response = apex().get("/kementerian/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize("path", GET_PAGES)
def test_an_analyst_reads_every_page(path, ministry, apex):
    analyst = ministry(MinistryRole.Role.ANALYST)
    assert apex(analyst).get(path).status_code == 200


@pytest.mark.parametrize("path, data", POSTS)
def test_an_analyst_cannot_change_anything(path, data, ministry, apex, trenggalek):
    analyst = ministry(MinistryRole.Role.ANALYST)
    response = apex(analyst).post(path, data)
    assert response.status_code == 403
    assert "Hanya administrator kementerian" in response.content.decode() or "Akses ditolak" in response.content.decode()
    trenggalek.refresh_from_db()
    assert trenggalek.is_active


def test_only_ministry_users_see_the_console_link(ministry_admin, applicant, apex):
    assert "Konsol kementerian" in apex(ministry_admin).get("/").content.decode()
    assert "Konsol kementerian" not in apex(applicant).get("/").content.decode()
