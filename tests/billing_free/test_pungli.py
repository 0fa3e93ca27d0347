"""Pungli reports: anyone reports, the reporter follows by code, only ministry inspectors read.

No role of the regency concerned — its administrators and head included — sees a report,
its file, or even how many there are.
"""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from billing_free.errors import InspectorRequired, PungliTransitionNotAllowed
from billing_free.models import MinistryLogEntry, PungliReport
from billing_free.services.pungli import pungli_report_advance, pungli_report_status
from pintu.access.models import Role
from pintu.audit.models import AuditEntry
from tests.storage.samples import pdf_bytes

DESCRIPTION = "Petugas loket meminta uang Rp 500.000 agar berkas SIP saya diproses lebih cepat, Senin pagi."
CODE = re.compile(r"PGL-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def _submit(client, **fields):
    data = {"description": DESCRIPTION, "registration_number": "REG/2026/0007", "contact": ""}
    data.update(fields)
    response = client.post("/lapor-pungli/", data)
    assert response.status_code == 200, response.content.decode()[:2000]
    code = CODE.search(response.content.decode()).group(0)
    return response, code


def _audit_count(regency) -> int:
    with schema_context(regency.schema_name):
        return AuditEntry.objects.count()


def test_an_anonymous_report_from_the_subdomain_reaches_the_ministry_not_the_regencys_log(trenggalek, client_for):
    audit_before = _audit_count(trenggalek)
    response, code = _submit(client_for(trenggalek))
    html = response.content.decode()
    assert "Simpan kode ini sekarang" in html and response["Cache-Control"] == "private, no-store"
    report = PungliReport.objects.get(regency=trenggalek)
    assert report.reporter is None and report.description == DESCRIPTION and report.status == "received"
    assert report.registration_number == "REG/2026/0007"
    assert code not in str(PungliReport.objects.filter(pk=report.pk).values().get())  # only its hash is kept
    assert _audit_count(trenggalek) == audit_before
    assert MinistryLogEntry.objects.filter(action="pungli.receive", target_id=str(report.pk)).exists()


def test_on_the_apex_the_reporter_chooses_the_regency_and_may_be_signed_in(blitar, client_for, applicant):
    _submit(client_for(None, applicant), regency=str(blitar.pk), contact="0812-3456-7890")
    report = PungliReport.objects.get(regency=blitar)
    assert report.reporter == applicant and report.contact == "0812-3456-7890"


def test_a_report_needs_a_regency_and_a_real_description(trenggalek, client_for):
    html = client_for(None).post("/lapor-pungli/", {"description": DESCRIPTION}).content.decode()
    assert "Pilih daerah tempat kejadian." in html and not CODE.search(html)
    short = client_for(trenggalek).post("/lapor-pungli/", {"description": "minta uang"})
    html = short.content.decode()
    assert short.status_code == 200 and "paling sedikit 20 karakter" in html and not CODE.search(html)
    assert PungliReport.objects.count() == 0


def test_the_reporter_follows_the_status_by_code_and_sees_nothing_else(trenggalek, blitar, client_for, inspector):
    _, code = _submit(client_for(trenggalek))
    status = client_for(trenggalek).post("/lapor-pungli/status/", {"kode": code.lower().replace("-", "")})
    html = status.content.decode()
    assert status.status_code == 200 and "Diterima" in html
    assert DESCRIPTION not in html and "REG/2026/0007" not in html
    report = PungliReport.objects.get(regency=trenggalek)
    pungli_report_advance(inspector=inspector, report=report, step="triage", note="")
    assert "Sedang ditelaah" in client_for(None).post("/lapor-pungli/status/", {"kode": code}).content.decode()
    # Another regency's subdomain does not answer for it; a wrong code is a clear 404.
    assert client_for(blitar).post("/lapor-pungli/status/", {"kode": code}).status_code == 404
    wrong = client_for(None).post("/lapor-pungli/status/", {"kode": "PGL-AAAA-BBBB-CCCC"})
    assert wrong.status_code == 404 and "tidak ditemukan" in wrong.content.decode()
    assert pungli_report_status(code=code).status == "in_review"


REGENCY_ROLES = [Role.FRONT_OFFICE, Role.VERIFIER, Role.TECHNICAL_TEAM, Role.SURVEYOR, Role.SIGNING_OFFICIAL,
                 Role.REGENCY_ADMIN, Role.AUDITOR, Role.HEAD]


@pytest.mark.parametrize("role", REGENCY_ROLES)
def test_a_report_is_invisible_to_every_role_of_the_regency(role, trenggalek, client_for, officer, local_storage):
    evidence = SimpleUploadedFile("kuitansi.pdf", pdf_bytes("Kuitansi pungli"), content_type="application/pdf")
    response = client_for(trenggalek).post("/lapor-pungli/", {"description": DESCRIPTION, "file": evidence})
    code = CODE.search(response.content.decode()).group(0)
    report = PungliReport.objects.get(regency=trenggalek)
    assert report.file_key.startswith("public/pungli/")
    person = officer(trenggalek, role, agency="Dinas Kesehatan" if role == Role.TECHNICAL_TEAM else "")

    subdomain = client_for(trenggalek, person)
    for path in ("/kementerian/pungli/", f"/kementerian/pungli/{report.pk}/",
                 f"/kementerian/pungli/{report.pk}/lampiran/", "/kementerian/pungli/statistik/",
                 "/api/v1/pungli/", f"/api/v1/pungli/{report.pk}/"):
        assert subdomain.get(path).status_code == 404, path
    # The pages an officer can open mention no report and no count.
    for path in ("/", "/lapor-pungli/", "/lapor-pungli/status/", "/pemakaian/", "/petugas/"):
        page = subdomain.get(path)
        body = page.content.decode() if not page.streaming else ""
        assert DESCRIPTION not in body and code not in body and "kuitansi" not in body.lower(), path
        assert not re.search(r"laporan pungli[^<]{0,40}\d", body, re.I), path
    # On the apex, their account opens nothing of the console either.
    apex = client_for(None, person)
    for path in ("/kementerian/pungli/", f"/kementerian/pungli/{report.pk}/", f"/kementerian/pungli/{report.pk}/lampiran/",
                 "/kementerian/pungli/statistik/"):
        assert apex.get(path).status_code == 403, path
    assert apex.post(f"/kementerian/pungli/{report.pk}/tindakan/", {"step": "close", "note": "x"}).status_code == 403
    # The file sits outside every regency prefix: the regency's storage refuses its key.
    from pintu.storage.errors import StorageKeyInvalid
    from pintu.storage.services import document_open, document_url

    with schema_context(trenggalek.schema_name):
        with pytest.raises(StorageKeyInvalid):
            document_open(report.file_key)
        with pytest.raises(StorageKeyInvalid):
            document_url(report.file_key)
    # Nothing about it entered the regency's audit log.
    with schema_context(trenggalek.schema_name):
        assert not AuditEntry.objects.filter(action__startswith="pungli").exists()
    PungliReport.objects.filter(pk=report.pk).update(status="closed")
    assert apex.get("/kementerian/pungli/").status_code == 403


def test_an_inspector_triages_follows_up_and_closes_and_each_step_is_logged(
        trenggalek, client_for, inspector, local_storage):
    evidence = SimpleUploadedFile("bukti.pdf", pdf_bytes("Bukti transfer"), content_type="application/pdf")
    response = client_for(trenggalek).post("/lapor-pungli/", {"description": DESCRIPTION, "file": evidence})
    code = CODE.search(response.content.decode()).group(0)
    report = PungliReport.objects.get(regency=trenggalek)
    audit_before = _audit_count(trenggalek)

    console = client_for(None, inspector)
    listing = console.get("/kementerian/pungli/?status=received&daerah=3503").content.decode()
    assert f"/kementerian/pungli/{report.pk}/" in listing and "Kab. Trenggalek" in listing
    assert f"/kementerian/pungli/{report.pk}/" not in console.get("/kementerian/pungli/?daerah=3572").content.decode()
    detail = console.get(f"/kementerian/pungli/{report.pk}/").content.decode()
    assert DESCRIPTION in detail and "Anonim" in detail
    download = console.get(f"/kementerian/pungli/{report.pk}/lampiran/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Cache-Control"] == "private, no-store"

    console.post(f"/kementerian/pungli/{report.pk}/tindakan/", {"step": "triage", "note": "Diteruskan ke Inspektorat."})
    refused = console.post(f"/kementerian/pungli/{report.pk}/tindakan/", {"step": "follow_up", "note": ""}, follow=True)
    assert "Tuliskan catatan tindak lanjut" in refused.content.decode()
    console.post(f"/kementerian/pungli/{report.pk}/tindakan/",
                 {"step": "follow_up", "note": "Petugas dipanggil Inspektorat daerah."})
    console.post(f"/kementerian/pungli/{report.pk}/tindakan/", {"step": "close", "note": "Sanksi dijatuhkan."})
    report.refresh_from_db()
    assert report.status == "closed" and report.closed_at is not None and report.handled_by == inspector
    assert "Sanksi dijatuhkan." in report.inspector_notes
    assert list(report.follow_ups.values_list("to_status", flat=True)) == ["in_review", "followed_up", "closed"]
    with pytest.raises(PungliTransitionNotAllowed):
        pungli_report_advance(inspector=inspector, report=report, step="close", note="lagi")

    actions = list(MinistryLogEntry.objects.filter(target_id=str(report.pk)).order_by("at", "pk")
                   .values_list("action", flat=True))
    assert [a for a in actions if a != "pungli.view"] == [
        "pungli.receive", "pungli.file_download", "pungli.triage", "pungli.follow_up", "pungli.close"]
    assert actions[1] == "pungli.view" and actions.count("pungli.view") == 2  # opened, then shown after the refusal
    assert MinistryLogEntry.objects.filter(action="pungli.close").get().actor == inspector
    assert _audit_count(trenggalek) == audit_before  # the regency's own log never hears of it
    assert "Selesai" in client_for(trenggalek).post("/lapor-pungli/status/", {"kode": code}).content.decode()


def test_only_inspectors_handle_reports_even_through_the_service(trenggalek, client_for, ministry_admin):
    _submit(client_for(trenggalek))
    report = PungliReport.objects.get(regency=trenggalek)
    with pytest.raises(InspectorRequired):
        pungli_report_advance(inspector=ministry_admin, report=report, step="triage", note="")
    assert client_for(None, ministry_admin).get("/kementerian/pungli/").status_code == 403
    assert client_for(None, ministry_admin).get(f"/kementerian/pungli/{report.pk}/").status_code == 403


def test_statistics_show_counts_per_regency_without_content(trenggalek, blitar, client_for, ministry_admin, inspector):
    for _ in range(2):
        _submit(client_for(trenggalek))
    _submit(client_for(blitar))
    first = PungliReport.objects.filter(regency=trenggalek).first()
    pungli_report_advance(inspector=inspector, report=first, step="close", note="Tidak terbukti.")
    for user in (ministry_admin, inspector):
        page = client_for(None, user).get("/kementerian/pungli/statistik/")
        html = page.content.decode()
        assert page.status_code == 200
        row = html.split('data-regency="3503"')[1].split("</tr>")[0]
        assert re.findall(r"<td>([^<]*)</td>", row) == ["3503", "Kab. Trenggalek", "1", "0", "0", "1", "2"]
        assert 'data-regency="3572"' in html
        assert DESCRIPTION not in html and "REG/2026/0007" not in html and "Tidak terbukti" not in html


def test_reports_are_rate_limited_per_address(trenggalek, client_for):
    client = client_for(trenggalek)
    for _ in range(5):
        _submit(client)
    response = client.post("/lapor-pungli/", {"description": DESCRIPTION})
    assert response.status_code == 429 and "Terlalu banyak laporan" in response.content.decode()
    assert PungliReport.objects.count() == 5


def test_a_refused_file_is_explained_and_nothing_is_kept(trenggalek, client_for, local_storage):
    bad = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client_for(trenggalek).post("/lapor-pungli/", {"description": DESCRIPTION, "file": bad})
    html = response.content.decode()
    assert response.status_code == 200 and not CODE.search(html)
    assert "program Windows" in html
    assert PungliReport.objects.count() == 0


def test_the_footer_links_the_report_form_on_every_page(trenggalek, client_for):
    for client in (client_for(trenggalek), client_for(None)):
        html = client.get("/").content.decode()
        assert 'href="/lapor-pungli/"' in html and "Laporkan pungli" in html


def test_the_tracking_page_offers_a_report_for_that_application_prefilled(trenggalek, client_for, applicant,
                                                                          local_storage, trenggalek_office):
    from tests.factories import submitted_application
    with schema_context(trenggalek.schema_name):
        application = submitted_application(trenggalek_office, applicant)
    client = client_for(trenggalek)
    page = client.get("/lacak/", {"nomor": application.registration_number, "kode": application.tracking_code})
    link = f'href="/lapor-pungli/?nomor={application.registration_number}"'
    assert link in page.content.decode()
    form = client.get(f"/lapor-pungli/?nomor={application.registration_number}").content.decode()
    assert f'value="{application.registration_number}"' in form


def test_the_console_nav_leads_each_ministry_role_to_its_pages(client_for, ministry_admin, inspector):
    admin_html = client_for(None, ministry_admin).get("/kementerian/").content.decode()
    inspector_html = client_for(None, inspector).get("/kementerian/").content.decode()
    assert 'href="/kementerian/pemakaian/"' in admin_html and 'href="/kementerian/pungli/"' not in admin_html
    assert 'href="/kementerian/pungli/"' in inspector_html and 'href="/kementerian/pemakaian/"' not in inspector_html
    assert 'href="/kementerian/pungli/"' in client_for(None, inspector).get("/kementerian/pungli/").content.decode()


@pytest.mark.parametrize("role, sees_usage", [(Role.REGENCY_ADMIN, True), (Role.HEAD, True), (Role.VERIFIER, False)])
def test_the_regency_nav_links_the_usage_statement_for_those_who_may_read_it(role, sees_usage, trenggalek, client_for,
                                                                              officer):
    html = client_for(trenggalek, officer(trenggalek, role)).get("/").content.decode()
    assert ('href="/pemakaian/"' in html) is sees_usage
