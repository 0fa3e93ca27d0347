"""Provisioning from the browser: checked at once, run by the same service in a Celery task, progress kept."""
import re

from django_tenants.utils import schema_context, schema_exists

from pintu.access.models import Membership, Role
from pintu.console.models import ProvisioningJob
from pintu.console.tasks import provisioning_job_run_task
from tenants.models import Regency
from tenants.regions import official_regencies


def _field_error(html: str, field: str) -> str:
    """The first error printed after the form field `field`, before the next field."""
    start = html.find(f'name="{field}"')
    following = html.find(' name="', start + 1)
    errors = re.search(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', html[start:following if following > 0 else None], re.S)
    return errors.group(1) if start >= 0 and errors else ""


def test_an_administrator_provisions_a_regency_whose_admin_is_invited_not_shown_a_password(ministry_admin, apex):
    client = apex(ministry_admin)
    response = client.post("/kementerian/penyiapan/", {"code": "3505", "admin_email": "Admin.Blitar@Contoh.id"})
    job = ProvisioningJob.objects.get(created_by=ministry_admin)
    assert response.status_code == 302 and response["Location"] == f"/kementerian/penyiapan/{job.pk}/"
    assert (job.status, job.total, job.done, job.label) == ("queued", 1, 0, "3505 Kab. Blitar")

    waiting = client.get(f"/kementerian/penyiapan/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "0 dari 1 daerah diproses" in waiting and 'style="width: 0%"' in waiting

    assert provisioning_job_run_task.apply(args=[job.pk]).get() == {"job": job.pk, "done": 1, "failed": 0}

    regency = Regency.objects.get(code="3505")
    assert regency.domains.get().domain == "blitar.localhost" and schema_exists("blitar")
    with schema_context("blitar"):
        admin_membership = Membership.objects.get(role=Role.REGENCY_ADMIN)
    assert admin_membership.user.email == "admin.blitar@contoh.id"
    assert (regency.snapshot.officers, regency.snapshot.permit_types, regency.snapshot.applications) == (1, 0, 0)

    finished = client.get(f"/kementerian/penyiapan/{job.pk}/").content.decode()
    assert "http-equiv=\"refresh\"" not in finished
    assert "1 dari 1 daerah diproses" in finished and 'style="width: 100%"' in finished
    assert 'href="http://blitar.localhost/"' in finished and "admin.blitar@contoh.id" in finished
    # Issue #15: no password made up and shown once; the administrator gets an invitation link by e-mail.
    assert 'class="password"' not in finished and "Undangan untuk menetapkan kata sandi dikirim" in finished
    assert not admin_membership.user.has_usable_password()
    with schema_context("blitar"):
        from pintu.access.models import Invitation
        assert Invitation.objects.filter(email="admin.blitar@contoh.id", accepted_at__isnull=True).exists()


def test_mistakes_are_shown_in_indonesian_next_to_the_field(ministry_admin, apex):
    client = apex(ministry_admin)
    html = client.post("/kementerian/penyiapan/", {"code": "3599"}).content.decode()
    assert "Kode wilayah &#x27;3599&#x27; tidak dikenal." in _field_error(html, "code")
    html = client.post("/kementerian/penyiapan/", {"code": "3505", "subdomain": "trenggalek"}).content.decode()
    assert _field_error(html, "subdomain") == "Subdomain &#x27;trenggalek&#x27; sudah dipakai Kab. Trenggalek."
    html = client.post("/kementerian/penyiapan/", {"code": "3505", "subdomain": "Bad_Name!"}).content.decode()
    assert "tidak valid" in _field_error(html, "subdomain")
    html = client.post("/kementerian/penyiapan/", {"code": "3503"}).content.decode()
    assert _field_error(html, "code") == "Kab. Trenggalek sudah ada di Pintu."
    html = client.post("/kementerian/penyiapan/", {"code": "3505", "admin_email": "bukan-email"}).content.decode()
    assert _field_error(html, "admin_email") == "Masukkan alamat email yang valid."
    html = client.post("/kementerian/penyiapan/", {"province": "35", "subdomain": "jatim"}).content.decode()
    assert "hanya dapat diisi untuk satu daerah" in _field_error(html, "subdomain")
    response = client.post("/kementerian/penyiapan/", {})
    assert response.status_code == 400 and "Isi kode wilayah atau pilih provinsi." in _field_error(
        response.content.decode(), "code")
    assert not ProvisioningJob.objects.filter(created_by=ministry_admin).exists()


def test_a_whole_province_is_provisioned_with_progress_per_regency(ministry_admin, apex):
    # North Kalimantan (65): five regencies, none on the platform yet.
    codes = [c for c, r in official_regencies().items() if r.province_code == "65"]
    client = apex(ministry_admin)
    client.post("/kementerian/penyiapan/", {"province": "65"})
    job = ProvisioningJob.objects.get(created_by=ministry_admin)
    assert job.total == len(codes) == 5 and [i["code"] for i in job.items] == codes
    # One of them is put on the platform by someone else meanwhile: the job says so and goes on.
    from tenants.services import regency_provision
    regency_provision(code=codes[0], welcome=False)
    provisioning_job_run_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("finished", 5, 0)
    assert [i["status"] for i in job.items] == ["exists", "created", "created", "created", "created"]
    assert Regency.objects.filter(code__in=codes, time_zone="Asia/Makassar").count() == 5
    html = client.get(f"/kementerian/penyiapan/{job.pk}/").content.decode()
    assert "5 dari 5 daerah diproses" in html and html.count('class="password"') == 0
    assert html.count("Undangan untuk menetapkan kata sandi dikirim") == 4
    assert "Sudah ada di Pintu; tidak ada yang diubah." in html
    html = client.post("/kementerian/penyiapan/", {"province": "65"}).content.decode()
    assert _field_error(html, "province") == f"Semua kabupaten/kota di {official_regencies()[codes[0]].province_name} sudah ada di Pintu."


def test_a_failure_is_recorded_and_the_other_regencies_still_run(ministry_admin):
    job = ProvisioningJob.objects.create(created_by=ministry_admin, label="x", total=2, items=[
        {"code": "3506", "name": "Kab. Kediri", "subdomain": "trenggalek", "admin_email": "", "status": "pending",
         "message": "", "domain": "", "has_password": False},
        {"code": "3507", "name": "Kab. Malang", "subdomain": "", "admin_email": "", "status": "pending",
         "message": "", "domain": "", "has_password": False}])
    provisioning_job_run_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("finished", 1, 1)
    assert job.items[0]["status"] == "failed"
    assert job.items[0]["message"] == "Subdomain 'trenggalek' sudah dipakai Kab. Trenggalek."
    assert job.items[1]["status"] == "created" and Regency.objects.filter(code="3507").exists()
    assert not Regency.objects.filter(code="3506").exists()
