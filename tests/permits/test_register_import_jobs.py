"""A large register (10,000 rows) uploaded on the page is imported in the background (issue #15): the upload
answers at once with the job's page, whose bar moves while the task checks and writes (the page refreshes
itself, no JavaScript), then shows the result; a small file is still answered on the upload page itself."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from permits.models import Permit, RegisterImportJob
from permits.services import register_import_jobs
from permits.services.register_import import COLUMNS
from pintu.access.models import Role
from tenants.regions import districts

URL = "/pengaturan/register-izin/"


def _csv(count: int, *, bad_row: int | None = None) -> bytes:
    district = districts("3503")[0][0]
    lines = [",".join(COLUMNS)]
    for i in range(count):
        issued = dt.date(2019, 1, 1) + dt.timedelta(days=i % 1500)
        nik = f"{district}010190{i % 9000 + 1:04d}" if i != bad_row else "12345"
        lines.append(f"503/{i:05d}/SIPB/DPM-PTSP/{issued.year},sipb,Pemegang {i},{nik},{issued},"
                     f"{issued + dt.timedelta(days=5 * 365)},Kepala DPMPTSP")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def admin_client(trenggalek, officer, client_for, permit_type):
    return client_for(trenggalek, officer(trenggalek, Role.REGENCY_ADMIN))


def _shown(response) -> tuple[int, str]:
    html = response.content.decode()
    percent = int(re.search(r'aria-valuenow="(\d+)"', html).group(1))
    status = re.sub(r"<[^>]+>", "", re.search(r'<p id="job-status">(.*?)</p>', html, re.S).group(1))
    return percent, " ".join(status.split())


def _upload(client, content: bytes, *, dry_run: bool, name: str = "register.csv"):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(URL, data)


def test_ten_thousand_rows_run_as_a_job_whose_page_shows_a_moving_bar_then_the_result(
        trenggalek, admin_client, django_capture_on_commit_callbacks, django_assert_max_num_queries, monkeypatch):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _upload(admin_client, _csv(10_000), dry_run=False)
    with schema_context(trenggalek.schema_name):
        job = RegisterImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}impor/{job.pk}/"
    assert len(queued) == 1  # the task is queued once the upload is committed
    page = admin_client.get(response["Location"])
    assert '<meta http-equiv="refresh" content="2">' in page.content.decode()  # refreshes itself, no JavaScript
    assert _shown(page) == (0, "Menunggu giliran · 0% · Menunggu giliran di antrean.")

    # Run the task's work; each time it reports progress, look at the page as the administrator would.
    seen = []
    report = register_import_jobs._progress_save

    def progress_then_look(job_id, stage, done, total):
        report(job_id, stage, done, total)
        with django_assert_max_num_queries(12):
            seen.append(_shown(admin_client.get(f"{URL}impor/{job_id}/")))

    monkeypatch.setattr(register_import_jobs, "_progress_save", progress_then_look)
    with schema_context(trenggalek.schema_name):
        job = register_import_jobs.register_import_job_run(job_id=job.pk)
        assert job.status == "done" and Permit.objects.filter(is_imported=True).count() == 10_000
    percents = [percent for percent, _ in seen]
    assert percents == sorted(percents) and len(set(percents)) >= 20  # the bar moves, never back
    assert 0 < percents[len(percents) // 2] < 100
    assert "Berjalan · 25% · Memeriksa baris 5.000 dari 10.000." in [text for _, text in seen]
    assert "Berjalan · 70% · Menyimpan 4.000 dari 10.000 izin." in [text for _, text in seen]

    done = admin_client.get(f"{URL}impor/{job.pk}/")
    html = done.content.decode()
    assert _shown(done) == (100, "Selesai · 100%") and 'http-equiv="refresh"' not in html
    assert "10.000 baris: 10.000 izin baru, 0 sudah ada (tidak diubah)." in html  # Indonesian grouping
    assert f'impor/{job.pk}/">register.csv</a>' in admin_client.get(URL).content.decode()  # listed on the upload page


def test_a_large_file_with_bad_rows_fails_its_job_with_each_row_and_imports_nothing(
        trenggalek, admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = _upload(admin_client, _csv(2_000, bad_row=1_234), dry_run=False)
    with schema_context(trenggalek.schema_name):
        job = register_import_jobs.register_import_job_run(job_id=RegisterImportJob.objects.get().pk)
        assert not Permit.objects.filter(is_imported=True).exists()
    assert job.status == "failed" and job.error_count == 1
    html = admin_client.get(response["Location"]).content.decode()
    assert "Gagal" in html and "tidak ada yang diimpor" in html
    assert "<td>1236</td><td>NIK 12345 tidak valid" in html  # row 1,236 of the file: header + 1,234 before it


def test_a_dry_run_job_saves_nothing_and_a_delivered_twice_task_runs_once(
        trenggalek, admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _upload(admin_client, _csv(1_500), dry_run=True)
    with schema_context(trenggalek.schema_name):
        pk = RegisterImportJob.objects.get().pk
        first = register_import_jobs.register_import_job_run(job_id=pk)
        again = register_import_jobs.register_import_job_run(job_id=pk)
        assert not Permit.objects.filter(is_imported=True).exists()
    assert (first.status, first.total, first.created, again.finished_at) == ("done", 1_500, 1_500, first.finished_at)
    html = admin_client.get(f"{URL}impor/{pk}/").content.decode()
    assert "1.500 baris: 1.500 izin baru" in html and "Uji coba: belum ada yang disimpan." in html


def test_a_small_file_is_answered_on_the_upload_page_without_a_job(trenggalek, admin_client):
    response = _upload(admin_client, _csv(20), dry_run=True)
    assert response.status_code == 200
    assert "20 baris: 20 izin baru, 0 sudah ada (tidak diubah)." in response.content.decode()
    with schema_context(trenggalek.schema_name):
        assert not RegisterImportJob.objects.exists()


def test_another_regency_cannot_see_the_job(trenggalek, blitar, admin_client, officer, client_for,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        location = _upload(admin_client, _csv(1_500), dry_run=True)["Location"]
    other = client_for(blitar, officer(blitar, Role.REGENCY_ADMIN))
    assert other.get(location).status_code == 404
