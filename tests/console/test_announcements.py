"""Ministry announcements reach the officers of the regencies they address, on every page, cheaply."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pintu.access.models import Role
from pintu.console.models import Announcement
from pintu.console.services import announcement_save

FMT = "%Y-%m-%dT%H:%M"


def _post(client, path="/kementerian/pengumuman/", **data):
    now = timezone.localtime()
    payload = {"title": "Pemeliharaan server", "body": "Layanan berhenti Sabtu 22.00–23.00 WIB.", "audience": "all",
               "published_from": (now - dt.timedelta(minutes=5)).strftime(FMT), "published_until": ""}
    payload.update(data)
    return client.post(path, payload)


def test_an_announcement_for_all_reaches_every_regencys_officers_only(
        ministry_admin, apex, trenggalek, blitar, officer, applicant, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(apex(ministry_admin)).status_code == 302
    for regency in (trenggalek, blitar):
        html = client_for(regency, officer(regency, Role.VERIFIER)).get("/").content.decode()
        assert "Pengumuman kementerian: Pemeliharaan server" in html and "Sabtu 22.00" in html
    assert "Pemeliharaan server" not in client_for(trenggalek, applicant).get("/").content.decode()
    assert "Pemeliharaan server" not in client_for(trenggalek).get("/").content.decode()
    assert "Pengumuman kementerian:" not in apex(ministry_admin).get("/").content.decode()


def test_an_announcement_for_listed_regencies_stays_there(
        ministry_admin, apex, trenggalek, blitar, officer, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(apex(ministry_admin), title="Pelatihan OSS Trenggalek", audience="listed", regencies=[trenggalek.pk])
    assert "Pelatihan OSS Trenggalek" in client_for(trenggalek, officer(trenggalek, Role.HEAD)).get("/").content.decode()
    assert "Pelatihan OSS" not in client_for(blitar, officer(blitar, Role.HEAD)).get("/").content.decode()


def test_only_announcements_inside_their_window_are_shown(ministry_admin, trenggalek, officer, client_for,
                                                          django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        announcement_save(actor=ministry_admin, title="Besok", body="x", audience="all",
                          published_from=now + dt.timedelta(days=1))
        announcement_save(actor=ministry_admin, title="Kemarin", body="x", audience="all",
                          published_from=now - dt.timedelta(days=2), published_until=now - dt.timedelta(days=1))
        announcement_save(actor=ministry_admin, title="Hari ini", body="x", audience="all",
                          published_from=now - dt.timedelta(hours=1), published_until=now + dt.timedelta(hours=1))
    html = client_for(trenggalek, officer(trenggalek, Role.VERIFIER)).get("/").content.decode()
    assert "Hari ini" in html and "Besok" not in html and "Kemarin" not in html


def test_edits_and_withdrawals_show_at_once(ministry_admin, apex, trenggalek, officer, client_for,
                                            django_capture_on_commit_callbacks):
    officer_client = client_for(trenggalek, officer(trenggalek, Role.VERIFIER))
    with django_capture_on_commit_callbacks(execute=True):
        _post(apex(ministry_admin), title="Versi pertama")
    assert "Versi pertama" in officer_client.get("/").content.decode()  # now cached
    announcement = Announcement.objects.get(title="Versi pertama")
    with django_capture_on_commit_callbacks(execute=True):
        _post(apex(ministry_admin), f"/kementerian/pengumuman/{announcement.pk}/", title="Versi kedua")
    html = officer_client.get("/").content.decode()
    assert "Versi kedua" in html and "Versi pertama" not in html
    with django_capture_on_commit_callbacks(execute=True):
        apex(ministry_admin).post(f"/kementerian/pengumuman/{announcement.pk}/", {"action": "delete"})
    assert "Versi kedua" not in officer_client.get("/").content.decode()


@pytest.mark.parametrize("data, field, message", [
    ({"title": ""}, "title", "Judul wajib diisi."),
    ({"audience": "listed"}, "regencies", "Pilih setidaknya satu daerah."),
    ({"published_until": "2000-01-01T00:00"}, "published_until", "Tanggal selesai tayang harus setelah tanggal mulai."),
])
def test_mistakes_are_explained_next_to_the_field(data, field, message, ministry_admin, apex):
    response = _post(apex(ministry_admin), **data)
    assert response.status_code == 400
    html = response.content.decode()
    after_field = html[html.index(f'name="{field}"'):]
    assert message in after_field[:after_field.index("</p>")]
    assert not Announcement.objects.exists()


def test_announcements_cost_at_most_one_query_and_none_when_cached(ministry_admin, trenggalek, officer, client_for,
                                                                   django_capture_on_commit_callbacks):
    client = client_for(trenggalek, officer(trenggalek, Role.REGENCY_ADMIN))
    client.get("/petugas/")  # session and routing warm

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/petugas/").status_code == 200
        return len(ctx.captured_queries)

    without = queries()  # nothing published
    with django_capture_on_commit_callbacks(execute=True):
        announcement_save(actor=ministry_admin, title="Rapat koordinasi", body="x", audience="all",
                          published_from=timezone.now() - dt.timedelta(minutes=1))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/petugas/").content.decode()
    assert "Rapat koordinasi" in html
    assert len(ctx.captured_queries) <= without + 1  # the one read, on a cold cache
    assert queries() == without  # then from the cache
