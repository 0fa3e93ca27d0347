"""The regencies page: the official 514, which are on Pintu, their figures, in a fixed number of queries."""
import re

from django.conf import settings
from django.utils import timezone

from pintu.console.models import RegencySnapshot
from pintu.identity.models import MinistryRole
from tenants.models import Domain, Regency
from tenants.regions import official_regencies


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>(\d{4})</td>", html)


def test_lists_the_official_regencies_fifty_a_page(ministry_admin, apex):
    html = apex(ministry_admin).get("/kementerian/").content.decode()
    assert "2 dari 514 kabupaten/kota sudah di Pintu (2 aktif, 0 dinonaktifkan)" in html
    assert "514 daerah cocok" in html
    assert _rows(html)[:2] == ["1101", "1102"] and len(_rows(html)) == 50
    assert "Halaman 1 dari 11" in html
    last = apex(ministry_admin).get("/kementerian/?page=11").content.decode()
    assert len(_rows(last)) == 14 and _rows(last)[-1] == max(official_regencies())


def test_filters_by_province_and_state_and_searches_name_or_code(ministry_admin, apex):
    client = apex(ministry_admin)
    east_java = [c for c, r in official_regencies().items() if r.province_code == "35"]
    html = client.get("/kementerian/", {"province": "35"}).content.decode()
    assert _rows(html) == east_java[:50] and f"{len(east_java)} daerah cocok" in html
    assert _rows(client.get("/kementerian/", {"state": "platform"}).content.decode()) == ["3503", "3572"]
    assert _rows(client.get("/kementerian/", {"state": "active", "q": "blitar"}).content.decode()) == ["3572"]
    not_yet = _rows(client.get("/kementerian/", {"state": "not_yet", "q": "blitar"}).content.decode())
    assert not_yet == ["3505"]  # Kab. Blitar is not on the platform yet, Kota Blitar is
    assert _rows(client.get("/kementerian/", {"q": "3672"}).content.decode()) == ["3672"]
    assert "Tidak ada daerah yang cocok" in client.get("/kementerian/", {"state": "suspended"}).content.decode()


def test_a_regency_on_the_platform_shows_its_link_zone_status_and_figures(ministry_admin, apex, trenggalek):
    RegencySnapshot.objects.update_or_create(regency=trenggalek, defaults=dict(
        officers=7, permit_types=23, applications=412, stored_bytes=5 * 1024 * 1024, taken_at=timezone.now()))
    html = apex(ministry_admin).get("/kementerian/", {"q": "trenggalek"}).content.decode()
    row = html[html.index("<td>3503</td>"):html.index("</tr>", html.index("<td>3503</td>"))]
    assert 'href="http://trenggalek.localhost/"' in row
    assert "Aktif" in row and "WIB" in row
    assert [c.replace("\xa0", " ") for c in re.findall(r"<td>\s*([\d.,]+(?:\s*MB)?)\s*</td>", row)][1:] == ["7", "23", "412", "5,0 MB"]


def test_a_suspended_regency_is_marked_and_filtered(ministry_admin, apex, blitar):
    blitar.status = Regency.Status.SUSPENDED
    blitar.save()
    html = apex(ministry_admin).get("/kementerian/", {"state": "suspended"}).content.decode()
    assert _rows(html) == ["3572"] and "Dinonaktifkan" in html


def test_the_page_reads_a_fixed_number_of_queries_however_many_regencies(ministry_admin, apex, trenggalek,
                                                                           django_assert_max_num_queries):
    client = apex(ministry_admin)
    client.get("/kementerian/")  # warm the session
    with django_assert_max_num_queries(8) as few:
        client.get("/kementerian/", {"state": "platform"})
    # Put forty more regencies on the platform (rows only: the page never enters their schemas).
    extra = [r for r in official_regencies().values() if r.code not in ("3503", "3572")][:40]
    regencies = Regency.objects.bulk_create([
        Regency(schema_name=f"uji_{r.code}", code=r.code, name=r.name, province_code=r.province_code,
                province_name=r.province_name) for r in extra])
    Domain.objects.bulk_create([Domain(domain=f"uji-{r.code}.{settings.PINTU_DOMAIN}", tenant=r, is_primary=True)
                                for r in regencies])
    RegencySnapshot.objects.bulk_create([RegencySnapshot(regency=r, officers=3, taken_at=timezone.now())
                                         for r in regencies])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/kementerian/", {"state": "platform"})
    assert "42 daerah cocok" in response.content.decode()
    assert response.content.decode().count(">uji-") == 40


def test_analyst_sees_figures_but_no_buttons_that_change_things(ministry, apex):
    analyst = ministry(MinistryRole.Role.ANALYST)
    html = apex(analyst).get("/kementerian/").content.decode()
    assert "514 daerah cocok" in html
    assert "Siapkan daerah baru" not in html and "Perbarui angka" not in html
