"""What the officers see before they decide (issue #16, items 9-11): each scan beside its checklist row,
the permit as it will be printed (unsigned, DRAF) with every technical review's note, and the decision
offered only to whoever holds the signing authority today."""
import datetime as dt
import io
import re

import pytest
from django_tenants.utils import schema_context
from pypdf import PdfReader

from permits.models.applications import Permit, StepTask
from permits.models.catalog import PermitNumberCounter
from pintu.access.models import Role
from tests.factories import UserFactory, submitted_application


@pytest.fixture
def built(trenggalek_office):
    return trenggalek_office


def _open(application):
    return list(StepTask.objects.filter(application=application, status="open").order_by("step__order", "pk"))


def _to_signing(built, application) -> StepTask:
    from permits.services.processing import recommendation_give, step_forward

    with schema_context("trenggalek"):
        for task in _open(application):
            step_forward(task=task, officer=built.front_office)
        for task in _open(application):
            health = task.agency == "Dinas Kesehatan"
            recommendation_give(task=task, officer=built.health if health else built.police,
                                note="Sarana praktik memenuhi standar." if health
                                else "Lokasi sesuai peruntukan; tidak ada keberatan warga.")
        [signing] = _open(application)
    return signing


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- item 10: the permit as it will be printed, and every technical note -----------------------------


def test_decision_page_shows_every_technical_note_and_the_unsigned_draft(built, trenggalek, applicant, client_for,
                                                                          django_assert_max_num_queries):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
    signing = _to_signing(built, application)
    client = client_for(trenggalek, built.signer)
    with django_assert_max_num_queries(40):
        html = client.get(f"/kantor/tugas/{signing.pk}/").content.decode()
    reviews = html[html.index('id="rekomendasi"'):html.index('id="draf"')]
    assert "Dinas Kesehatan" in reviews and "Sarana praktik memenuhi standar." in reviews
    assert "Satpol PP" in reviews and "tidak ada keberatan warga." in reviews
    assert f'src="/kantor/tugas/{signing.pk}/draf.pdf"' in html

    with schema_context("trenggalek"):
        counters = list(PermitNumberCounter.objects.values_list("pk", "last"))
    draft = client.get(f"/kantor/tugas/{signing.pk}/draf.pdf")
    assert draft.status_code == 200 and draft["Content-Type"] == "application/pdf"
    assert draft["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in draft["Content-Security-Policy"]
    text = _pdf_text(draft.content)
    assert "DRAF" in text and "SURAT IZIN PRAKTIK" in text and application.applicant_name in text
    assert "(diberikan saat ditandatangani)" in text and "Perbup 12/2024" in text
    assert b"/ByteRange" not in draft.content  # unsigned
    with schema_context("trenggalek"):
        # A preview takes no number and issues nothing.
        assert list(PermitNumberCounter.objects.values_list("pk", "last")) == counters
        assert not Permit.objects.filter(application=application).exists()


def test_draft_is_only_for_decision_steps_and_this_regencys_officers(built, trenggalek, blitar, applicant, officer,
                                                                      client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        [first] = _open(application)
    assert client_for(trenggalek, built.signer).get(f"/kantor/tugas/{first.pk}/draf.pdf").status_code == 404
    signing = _to_signing(built, application)
    for user in (applicant, officer(blitar, Role.SIGNING_OFFICIAL)):
        assert client_for(trenggalek, user).get(f"/kantor/tugas/{signing.pk}/draf.pdf").status_code == 403


# --- item 9: the scan beside its checklist row ----------------------------------------------------------


def test_verifier_sees_each_scan_in_the_page_with_zoom_rotate_and_next(built, trenggalek, applicant, client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        [task] = _open(application)
        ktp, str_doc = sorted(application.documents.filter(is_current=True), key=lambda d: d.requirement.order)
    client = client_for(trenggalek, built.front_office)
    task_html = client.get(f"/kantor/tugas/{task.pk}/").content.decode()
    assert f'href="/kantor/tugas/{task.pk}/berkas/{ktp.pk}/" data-preview' in task_html

    page = client.get(f"/kantor/tugas/{task.pk}/berkas/{ktp.pk}/").content.decode()
    assert f'<iframe class="preview" src="/kantor/berkas/{ktp.pk}/lihat/#zoom=100"' in page
    assert f'rel="next" href="/kantor/tugas/{task.pk}/berkas/{str_doc.pk}/"' in page and 'rel="prev"' not in page
    assert "Persyaratan 1 dari 2" in page and 'value="accept"' in page
    last = client.get(f"/kantor/tugas/{task.pk}/berkas/{str_doc.pk}/").content.decode()
    assert f'rel="prev" href="/kantor/tugas/{task.pk}/berkas/{ktp.pk}/"' in last and 'rel="next"' not in last

    inline = client.get(f"/kantor/berkas/{ktp.pk}/lihat/")
    assert inline.status_code == 200 and inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"].startswith("inline") and inline["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(inline.streaming_content).startswith(b"%PDF-")

    # Accepting from the preview moves on to the next requirement.
    done = client.post(f"/kantor/berkas/{ktp.pk}/periksa/", {"verdict": "accept", "task": task.pk, "then": str_doc.pk})
    assert done.status_code == 302 and done["Location"] == f"/kantor/tugas/{task.pk}/berkas/{str_doc.pk}/"
    with schema_context("trenggalek"):
        ktp.refresh_from_db()
        assert ktp.review == "accepted"
        other = submitted_application(built, UserFactory())
        foreign = other.documents.filter(is_current=True).first()
    # Another file's scan is not reachable through this step.
    assert client.get(f"/kantor/tugas/{task.pk}/berkas/{foreign.pk}/").status_code == 404


def test_image_scan_is_shown_inline_zoomed_and_rotated(built, trenggalek, applicant, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from permits.services.applications import (
        application_document_upload,
        application_draft_create,
        application_form_save,
        application_submit,
    )
    from tests.factories import upload

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="JPEG")
    with schema_context("trenggalek"):
        application = application_draft_create(permit_type=built.permit_type, applicant=applicant)
        application_form_save(application=application, data=built.form, actor=applicant)
        photo = application_document_upload(application=application, requirement=built.requirements[0],
                                             file=SimpleUploadedFile("ktp.jpg", buffer.getvalue(), "image/jpeg"),
                                             actor=applicant)
        application_document_upload(application=application, requirement=built.requirements[1],
                                    file=upload("str.pdf"), actor=applicant)
        application_submit(application=application, actor=applicant)
        [task] = _open(application)
    page = client_for(trenggalek, built.front_office).get(
        f"/kantor/tugas/{task.pk}/berkas/{photo.pk}/?zoom=150&putar=90").content.decode()
    assert f'<img src="/kantor/berkas/{photo.pk}/lihat/?putar=90"' in page and 'style="width:150%"' in page
    assert "?zoom=200&amp;putar=90" in page and "?zoom=100&amp;putar=90" in page and "?zoom=150&amp;putar=180" in page
    inline = client_for(trenggalek, built.front_office).get(f"/kantor/berkas/{photo.pk}/lihat/")
    assert inline["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(inline.streaming_content))).size == (40, 30)
    turned = client_for(trenggalek, built.front_office).get(f"/kantor/berkas/{photo.pk}/lihat/?putar=90")
    assert turned["Content-Type"] == "image/jpeg" and turned["X-Frame-Options"] == "SAMEORIGIN"
    assert Image.open(io.BytesIO(turned.content)).size == (30, 40)  # turned on the server, box and all


def test_scans_are_refused_to_other_regencies_officers_and_other_applicants(built, trenggalek, blitar, applicant,
                                                                            officer, client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        [task] = _open(application)
        document = application.documents.filter(is_current=True).first()
    other_applicant = UserFactory()
    with schema_context("trenggalek"):
        submitted_application(built, other_applicant)  # an applicant with a file of their own here
    for user in (officer(blitar, Role.VERIFIER), officer(blitar, Role.REGENCY_ADMIN), other_applicant, applicant):
        client = client_for(trenggalek, user)
        assert client.get(f"/kantor/berkas/{document.pk}/lihat/").status_code == 404, user  # not even "forbidden"
        assert client.get(f"/kantor/berkas/{document.pk}/").status_code == 404, user
        assert client.get(f"/kantor/tugas/{task.pk}/berkas/{document.pk}/").status_code == 404, user
    # Nor through their own regency's host: the row is not there.
    blitar_verifier = officer(blitar, Role.VERIFIER)
    assert client_for(blitar, blitar_verifier).get(f"/kantor/berkas/{document.pk}/lihat/").status_code in (302, 404)


def _scan_answers(client, task, document) -> set[int]:
    answers = {client.get(f"/kantor/berkas/{document.pk}/lihat/").status_code,
               client.get(f"/kantor/berkas/{document.pk}/").status_code,
               client.get(f"/kantor/tugas/{task.pk}/berkas/{document.pk}/").status_code,
               client.get(f"/api/v1/documents/{document.pk}/download/").status_code}
    return answers


def test_scans_open_only_to_officers_who_handle_the_file(built, trenggalek, blitar, applicant, officer, client_for):
    """The administrator, the head and the front office open any file's scans; other officers only those
    of files a role of theirs has (or had) a step on: the health team once its review is opened, not
    the public-works team nor the surveyor of an SOP without a visit, nor the auditor. Others: 404."""
    from permits.services.processing import recommendation_give, step_forward

    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        [check] = _open(application)
        document = application.documents.filter(is_current=True).first()
    here = {role: officer(trenggalek, role) for role in (Role.REGENCY_ADMIN, Role.HEAD, Role.FRONT_OFFICE,
                                                         Role.SURVEYOR, Role.AUDITOR, Role.VERIFIER)}
    public_works = officer(trenggalek, Role.TECHNICAL_TEAM, agency="Dinas PU")
    for role in (Role.REGENCY_ADMIN, Role.HEAD, Role.FRONT_OFFICE):
        assert _scan_answers(client_for(trenggalek, here[role]), check, document) == {200}, role
    health = client_for(trenggalek, built.health)
    signer = client_for(trenggalek, built.signer)
    for client in (health, signer, client_for(trenggalek, public_works),
                   *(client_for(trenggalek, here[r]) for r in (Role.SURVEYOR, Role.AUDITOR, Role.VERIFIER))):
        assert _scan_answers(client, check, document) == {404}
    assert client_for(trenggalek, officer(blitar, Role.VERIFIER)).get(
        f"/kantor/berkas/{document.pk}/lihat/").status_code == 404  # another regency's officer
    with schema_context("trenggalek"):
        step_forward(task=check, officer=built.front_office)
    assert _scan_answers(health, check, document) == {200}  # the health review is open: its team reads the file
    assert _scan_answers(client_for(trenggalek, public_works), check, document) == {404}
    assert _scan_answers(signer, check, document) == {404}  # not yet at the decision
    with schema_context("trenggalek"):
        for task in _open(application):
            recommendation_give(task=task, officer=built.health if task.agency == "Dinas Kesehatan" else built.police,
                                note="Memenuhi syarat.")
    assert _scan_answers(signer, check, document) == {200}
    assert _scan_answers(health, check, document) == {200}  # had a step on it: still reads it


# --- item 11: the decision goes to whoever holds authority today --------------------------------------


def test_while_the_head_is_away_only_the_plh_is_offered_the_decision(built, trenggalek, applicant, client_for,
                                                                     django_assert_max_num_queries):
    from permits.regency import regency_today
    from permits.services.delegation import acting_official_create

    plh = UserFactory(full_name="Dewi Lestari")
    with schema_context("trenggalek"):
        acting_official_create(position=built.head_position, user=plh, kind="plh", decree_number="800/7/2026",
                               valid_from=regency_today() - dt.timedelta(days=1),
                               valid_until=regency_today() + dt.timedelta(days=3), grant_signing_role=True)
        application = submitted_application(built, applicant)
    signing = _to_signing(built, application)

    head = client_for(trenggalek, built.signer)
    with django_assert_max_num_queries(13):  # who signs each row today: three queries, whatever the rows
        worklist = head.get("/kantor/").content.decode()
    row = worklist[worklist.index(application.registration_number):]
    row = row[:row.index("</li>")]
    assert 'data-signs="other"' in row and "Dewi Lestari (Plh. Kepala DPMPTSP)" in row
    assert "Ambil" not in row
    task_html = head.get(f"/kantor/tugas/{signing.pk}/").content.decode()
    assert 'value="approve_sign"' not in task_html and 'value="reject"' not in task_html
    assert "ditandatangani oleh Dewi Lestari (Plh. Kepala DPMPTSP)" in task_html

    deputy = client_for(trenggalek, plh)
    row = deputy.get("/kantor/").content.decode()
    assert application.registration_number in row and 'data-signs="me"' in row
    assert 'value="approve_sign"' in deputy.get(f"/kantor/tugas/{signing.pk}/").content.decode()
    done = deputy.post(f"/kantor/tugas/{signing.pk}/", {"action": "approve_sign", "note": ""})
    assert done.status_code == 302
    with schema_context("trenggalek"):
        permit = Permit.objects.get(application=application)
        assert permit.signer_name == "Dewi Lestari"


def test_the_worklist_api_says_who_signs_and_whether_i_may_decide(built, trenggalek, applicant, client_for,
                                                                  django_assert_max_num_queries):
    """/api/v1/worklist/ says what the page's data-signs says: the Plh holds the authority while the head
    is away, so only the Plh may decide; the signing rows cost three queries whatever their number."""
    from permits.regency import regency_today
    from permits.services.delegation import acting_official_create

    plh = UserFactory(full_name="Dewi Lestari")
    with schema_context("trenggalek"):
        acting_official_create(position=built.head_position, user=plh, kind="plh", decree_number="800/7/2026",
                               valid_from=regency_today() - dt.timedelta(days=1),
                               valid_until=regency_today() + dt.timedelta(days=3), grant_signing_role=True)
        applications = [submitted_application(built, applicant) for _ in range(3)]
    signing = {_to_signing(built, application).pk for application in applications}

    head = client_for(trenggalek, built.signer)
    head.get("/api/v1/worklist/")
    with django_assert_max_num_queries(11):  # the worklist's 8, and who signs: three, whatever the rows
        rows = head.get("/api/v1/worklist/").json()["results"]
    mine = [r for r in rows if r["id"] in signing]
    assert len(mine) == 3
    for row in mine:
        assert row["signing"] == {"official": {"id": plh.pk, "full_name": "Dewi Lestari"},
                                  "signs_as": "Dewi Lestari (Plh. Kepala DPMPTSP)", "position": "Kepala DPMPTSP",
                                  "acting": "plh", "can_sign": True}
        assert row["may_decide"] is False
    deputy = [r for r in client_for(trenggalek, plh).get("/api/v1/worklist/").json()["results"] if r["id"] in signing]
    assert len(deputy) == 3 and all(r["may_decide"] is True and r["signing"]["acting"] == "plh" for r in deputy)
    with schema_context("trenggalek"):
        checking = submitted_application(built, applicant)
    [check] = _open(checking)
    row = next(r for r in client_for(trenggalek, built.front_office).get("/api/v1/worklist/").json()["results"]
               if r["id"] == check.pk)
    assert row["signing"] is None and row["may_decide"] is True  # a step that decides nothing
    claimed = client_for(trenggalek, plh).post(f"/api/v1/tasks/{min(signing)}/claim/").json()
    assert claimed["may_decide"] is True and claimed["signing"]["official"]["id"] == plh.pk


def test_head_back_at_work_is_offered_the_decision_again(built, trenggalek, applicant, client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
    signing = _to_signing(built, application)
    head = client_for(trenggalek, built.signer)
    assert 'data-signs="me"' in head.get("/kantor/").content.decode()
    html = head.get(f"/kantor/tugas/{signing.pk}/").content.decode()
    assert 'value="approve_sign"' in html and 'value="reject"' in html
    assert re.search(r'data-signs="other"', html) is None
