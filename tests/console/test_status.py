"""Suspending and reactivating a regency from the console, with a reason its visitors read at once."""
from django_tenants.utils import schema_context

from pintu.access.models import Role
from pintu.audit.models import AuditEntry


def test_suspend_needs_a_reason(ministry_admin, apex, trenggalek):
    response = apex(ministry_admin).post("/kementerian/daerah/3503/status/", {"action": "suspend", "reason": "  "})
    assert response.status_code == 400
    assert "Alasan wajib diisi." in response.content.decode()
    trenggalek.refresh_from_db()
    assert trenggalek.is_active


def test_suspended_regency_shows_the_suspended_page_at_once_then_comes_back(ministry_admin, apex, trenggalek,
                                                                              officer, client_for):
    visitor = client_for(trenggalek)
    assert visitor.get("/").status_code == 200  # the host is now in this process's routing cache
    reason = "Audit keamanan data oleh kementerian"
    response = apex(ministry_admin).post("/kementerian/daerah/3503/status/", {"action": "suspend", "reason": reason})
    assert response.status_code == 302
    page = visitor.get("/")
    assert page.status_code == 503
    assert "sedang dinonaktifkan oleh kementerian" in page.content.decode() and reason in page.content.decode()
    assert client_for(trenggalek, officer(trenggalek, Role.REGENCY_ADMIN)).get("/petugas/").status_code == 503
    with schema_context("trenggalek"):
        entry = AuditEntry.objects.filter(action="regency.suspended").latest("pk")
        assert entry.actor_id == ministry_admin.pk and entry.detail["reason"] == reason
    html = apex(ministry_admin).get("/kementerian/daerah/3503/").content.decode()
    assert "Dinonaktifkan" in html and reason in html and "Aktifkan kembali" in html

    apex(ministry_admin).post("/kementerian/daerah/3503/status/", {"action": "reactivate", "reason": "Audit selesai"})
    assert visitor.get("/").status_code == 200
    trenggalek.refresh_from_db()
    assert trenggalek.is_active and trenggalek.status_reason == "Audit selesai"


def test_another_regency_is_untouched(ministry_admin, apex, blitar, client_for):
    apex(ministry_admin).post("/kementerian/daerah/3503/status/", {"action": "suspend", "reason": "uji"})
    assert client_for(blitar).get("/").status_code == 200
    blitar.refresh_from_db()
    assert blitar.is_active and blitar.status_reason == ""
