"""Hostile text in every free-text field a person types, through the real pages.

The payloads are generated: each markup attack (script tag, attribute break-out, template
syntax, textarea break-out) is combined with a non-Latin or invisible text (Javanese script,
Arabic, emoji, RTL override, zero-width characters), and every field also gets a NUL byte,
its maximum length plus one and 100,000 characters. Each answer must be a 4xx/200 with an
Indonesian error and nothing stored, or stored intact and rendered escaped on every page where
it appears (applicant, counter, office, tracking, verification, audit log, complaint and
pungli consoles, catalog) and printed literally in the receipt and permit PDFs. Never a 500.

NIK, NIB, numbers and dates are probed at and past their edges on the form the applicant
and the counter fill in.
"""
from __future__ import annotations

import io
import re
import uuid
from collections import Counter

import pytest
from django.core.cache import caches
from django.utils.html import escape
from django_tenants.utils import schema_context
from pypdf import PdfReader

from tests.s3 import local_storage  # noqa: F401 - fixture
from tests.services import COUNTS

MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "{{ 7|add:7 }} {% debug %}",
          "</textarea><b>tebal</b>"]
SCRIPTS = ["ꦱꦸꦫꦠ꧀ ꦆꦗꦶꦤ꧀", "تصريح مزاولة", "klinik 🏥😀🇮🇩", "\u202eRTL\u202c balik", "ny\u200bai\u200d\ufeffs"]
# Every markup with every script at least twice; "#n" makes each case findable.
PAYLOADS = [f"Jl. {SCRIPTS[i % len(SCRIPTS)]} {MARKUP[i % len(MARKUP)]} #{i}" for i in range(10)]
# Fonts cover Latin, Arabic and the invisible characters; Javanese script and emoji have no glyph
# in DejaVu Sans (see docs/security-findings.md), so the PDFs are checked for the rest.
PDF_SAFE = [p for p in PAYLOADS if not re.search("[\ua980-\ua9df\U0001f000-\U0001ffff]", p)]


def markup_of(payload: str) -> str:
    return next(m for m in MARKUP if m in payload)


def rejections(max_length: int) -> list[str]:
    return ["Jl. Mawar \x00 No. 5 RT 01", "x" * (max_length + 1), "Jl. Panjang " * 9000]


class Checker:
    """Counts cases, server errors and unescaped renderings; collects failures to report all at once."""

    def __init__(self):
        self.failures: list[str] = []

    def send(self, client, method: str, path: str, data=None, label: str = ""):
        caches["default"].clear()  # rate limits (429) are right, but would hide the field checks
        COUNTS["hostile_inputs"] += 1
        client.raise_request_exception = False  # a 500 is counted and reported, not raised
        response = getattr(client, method)(path, data or {})
        if response.status_code >= 500:
            COUNTS["hostile_server_errors"] += 1
            self.failures.append(f"{label}: {method.upper()} {path} -> {response.status_code}")
        return response

    def refused(self, response, label: str, stored, *, client=None) -> None:
        """A refusal: a 4xx or the form again (or, with `client`, a redirect to a page saying why), with an
        Indonesian message, and nothing stored."""
        if response.status_code >= 500:
            return  # counted in send
        if response.status_code == 302 and client is not None:
            response = client.get(response["Location"])
        body = response.content.decode()
        if response.status_code in (301, 302):
            self.failures.append(f"{label}: accepted (redirect to {response.get('Location')})")
        elif not re.search(r"tidak|terlalu|wajib|harus|paling|karakter|tulis", body, re.I):
            self.failures.append(f"{label}: {response.status_code} without an Indonesian message")
        if stored:
            self.failures.append(f"{label}: refused, yet stored {stored!r:.80}")

    def rendered(self, client, path: str, payload: str, label: str, *, status: int = 200, method="get", data=None,
                 shown: str | None = None):
        """The payload appears escaped on the page (as `shown`, when the page shows it transformed), its markup
        never raw."""
        response = getattr(client, method)(path, data or {})
        body = response.content.decode()
        markup = markup_of(payload)
        if response.status_code != status:
            self.failures.append(f"{label}: {path} answered {response.status_code}")
            return
        if markup in body and markup.startswith(("<", '"', "</")):
            COUNTS["unescaped"] += 1
            self.failures.append(f"{label}: raw {markup!r} on {path}")
        if escape(payload if shown is None else shown) not in body:
            self.failures.append(f"{label}: {path} does not show the text intact: {payload!r}")

    def pdf(self, data: bytes, payloads, label: str) -> None:
        """Each payload's text is in the PDF's text layer, markup and all (whitespace aside: lines wrap)."""
        text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
        for payload in payloads:
            if not self._in_pdf_text(re.sub(r"\s+", "", payload), text):
                self.failures.append(f"{label}: PDF text lacks {payload!r}")

    @staticmethod
    def _in_pdf_text(payload: str, text: str) -> bool:
        """Text extraction reorders an Arabic run and the punctuation beside it (bidi, visual order): there,
        every character must be present, each Arabic word in either direction and each Latin token as is."""
        if payload in text:
            return True
        if not re.search("[\u0600-\u06ff]", payload):
            return False
        words = re.findall("[\u0600-\u06ff]+", payload)
        tokens = re.findall("[A-Za-z0-9=()#.|:%{}*]+", payload)
        return (not Counter(payload) - Counter(text) and all(w in text or w[::-1] in text for w in words)
                and all(t in text for t in tokens))

    def done(self):
        assert not self.failures, f"{len(self.failures)} problems:\n" + "\n".join(self.failures[:60])


@pytest.fixture
def world(trenggalek, applicant, officer, local_storage):
    from permits.services.catalog import form_field_create
    from pintu.access.services import membership_grant
    from tests.factories import office_build
    with schema_context("trenggalek"):
        office = office_build()
        for kind in ("text", "number", "date", "nik", "nib"):
            form_field_create(permit_type=office.permit_type, key=f"isian_{kind}", label=f"Isian {kind}", kind=kind,
                              is_required=False)
        auditor = officer(trenggalek, "auditor")
        membership_grant(user=office.front_office, role="regency_admin")
    return {"office": office, "applicant": applicant, "auditor": auditor}


def _draft(world):
    from permits.services.applications import application_draft_create

    with schema_context("trenggalek"):
        return application_draft_create(permit_type=world["office"].permit_type, applicant=world["applicant"])


def _form_data(application):
    from permits.models.applications import Application

    with schema_context("trenggalek"):
        return Application.objects.get(pk=application.pk).form_data


def test_free_text_of_the_applicant_form_is_refused_or_kept_and_escaped(world, trenggalek, client_for):
    check = Checker()
    application = _draft(world)
    client = client_for(trenggalek, world["applicant"])
    page = f"/permohonan/{application.pk}/"
    for key in ("isian_text", "alamat_praktik"):
        for payload in PAYLOADS:
            response = check.send(client, "post", page, {key: payload, "save": "1"}, label=f"{key} {payload!r:.30}")
            if response.status_code < 500:
                stored = _form_data(application).get(key)
                if stored != payload:
                    check.failures.append(f"{key}: stored {stored!r} for {payload!r}")
                check.rendered(client, page, payload, f"{key} applicant page")
        for bad in rejections(1000):
            response = check.send(client, "post", page, {key: bad, "save": "1"}, label=f"{key} {bad[:20]!r}")
            check.refused(response, f"{key} {bad[:20]!r}", None if _form_data(application).get(key) != bad else bad)
    check.done()


NIK_OK = "3503014107900001"  # Trenggalek district, born 1 July 1990, female (day + 40)
EDGE_CASES = {
    "isian_nik": {
        "ok": [NIK_OK, "3503010107900001", "3503017107900002"],  # female day 31 = 71
        "bad": ["350301410790001", "35030141079000011", "9999014107900001", "3503010007900001",
                "3503013207900001", "3503011513900001", "3503014007900001", "3503017207900001",
                "3503014107900000", "3503012902250001",  # 29 Feb 2025 does not exist
                "٣٥٠٣٠١٤١٠٧٩٠٠٠٠١", "3503014107９00001", "3503 0141 0790 0001", "35030141O7900001"],
    },
    "isian_nib": {
        "ok": ["1234567890123", "0000000000001"],
        "bad": ["123456789012", "12345678901234", "١٢٣٤٥٦٧٨٩٠١٢٣", "12345678901２3", "NIB1234567890", "1e12"],
    },
    "isian_date": {
        "ok": ["2024-02-29", "1900-01-01", "2100-12-31", "2026-01-31"],
        "bad": ["0001-01-01", "9999-12-31", "2025-02-29", "2026-00-10", "2026-13-01", "2026-01-00", "2026-01-32",
                "2026-W01-1", "20260101", "01-02-2026", "2026/01/02", "٢٠٢٦-٠١-٠١", "2026-1-1", "kemarin"],
    },
    "isian_number": {
        "ok": ["0", "12", "-5", "3,5", "1234567.25", "999999999999999"],
        "bad": ["1e999999", "NaN", "Infinity", "1_000", "١٢", "１２", "1.000.000", "9" * 16, "12abc", "--1"],
    },
}


def test_nik_nib_numbers_and_dates_at_and_past_their_edges(world, trenggalek, client_for):
    check = Checker()
    application = _draft(world)
    client = client_for(trenggalek, world["applicant"])
    page = f"/permohonan/{application.pk}/"
    for key, cases in EDGE_CASES.items():
        for value in cases["ok"]:
            check.send(client, "post", page, {key: value, "save": "1"}, label=f"{key}={value}")
            if _form_data(application).get(key) is None:
                check.failures.append(f"{key}={value!r} should be accepted")
        for value in cases["bad"]:
            before = _form_data(application).get(key)
            response = check.send(client, "post", page, {key: value, "save": "1"}, label=f"{key}={value}")
            after = _form_data(application).get(key)
            check.refused(response, f"{key}={value!r}", after if after != before else None)
    check.done()


def test_counter_applicant_name_and_nik(world, trenggalek, client_for):
    from permits.models.applications import Application

    check = Checker()
    office = world["office"]
    client = client_for(trenggalek, office.front_office)
    base = {"permit_type": office.permit_type.pk, "applicant_nik": NIK_OK, "applicant_phone": "0812"}
    for payload in [p[:150] for p in PAYLOADS]:
        response = check.send(client, "post", "/loket/baru/", {**base, "applicant_name": payload}, label="counter name")
        if response.status_code == 302:
            with schema_context("trenggalek"):
                stored = Application.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
            if stored.applicant_name != payload.strip():
                check.failures.append(f"counter name stored {stored.applicant_name!r} for {payload!r}")
            check.rendered(client, response["Location"], payload, "counter application page")
    check.rendered(client, "/loket/", PAYLOADS[0], "counter home")
    with schema_context("trenggalek"):
        count = Application.objects.count()
    for bad in rejections(150):
        check.refused(check.send(client, "post", "/loket/baru/", {**base, "applicant_name": bad}, label="name"),
                      f"counter name {bad[:20]!r}", None)
    for nik in EDGE_CASES["isian_nik"]["bad"] + ["\x00" * 16]:
        check.refused(check.send(client, "post", "/loket/baru/", {**base, "applicant_name": "Budi", "applicant_nik": nik},
                                 label=f"nik {nik}"), f"counter NIK {nik!r}", None)
    with schema_context("trenggalek"):
        if Application.objects.count() != count:
            check.failures.append("a refused counter start created an application")
    check.done()


def _submitted(world):
    from tests.factories import submitted_application
    with schema_context("trenggalek"):
        return submitted_application(world["office"], world["applicant"])


def _to_signing(office, application):
    from permits.models.applications import StepTask
    from permits.services.processing import recommendation_give, step_forward

    def open_tasks():
        return list(StepTask.objects.filter(application=application, status="open"))

    with schema_context("trenggalek"):
        for task in open_tasks():
            step_forward(task=task, officer=office.front_office)
        for task in open_tasks():
            recommendation_give(task=task, officer=office.health if task.agency == "Dinas Kesehatan" else office.police)
        return open_tasks()[0]


def test_officer_reasons_notes_and_revocation_are_refused_or_escaped_everywhere(world, trenggalek, client_for):
    from permits.models.applications import ApplicationDocument, Permit, StepTask

    check = Checker()
    office = world["office"]
    application = _submitted(world)
    with schema_context("trenggalek"):
        ktp = application.documents.get(requirement=office.requirements[0], is_current=True)
        [task] = StepTask.objects.filter(application=application, status="open")
    officer = client_for(trenggalek, office.front_office)
    auditor = client_for(trenggalek, world["auditor"])
    for payload in PAYLOADS:
        check.send(officer, "post", f"/kantor/berkas/{ktp.pk}/periksa/", {"verdict": "reject", "reason": payload},
                   label="review reason")
        with schema_context("trenggalek"):
            stored = ApplicationDocument.objects.get(pk=ktp.pk).review_reason
        if stored != payload:
            check.failures.append(f"review reason stored {stored!r} for {payload!r}")
        check.rendered(officer, f"/kantor/permohonan/{application.pk}/", payload, "review reason office page")
    # The audit log shows each entry's detail as data: invisible and direction characters escaped (visible).
    check.rendered(auditor, "/audit/", PAYLOADS[-1], "review reason audit log", shown=repr(PAYLOADS[-1])[1:-1])
    for bad in rejections(500):
        response = check.send(officer, "post", f"/kantor/berkas/{ktp.pk}/periksa/", {"verdict": "reject", "reason": bad},
                              label="review reason")
        with schema_context("trenggalek"):
            stored = ApplicationDocument.objects.get(pk=ktp.pk).review_reason
        check.refused(response, f"review reason {bad[:20]!r}", stored if stored == bad.strip() else None,
                      client=officer)

    note = "Mohon pindai ulang dengan jelas. " * 40 + PAYLOADS[3]  # long: the applicant reads all of it
    for bad in rejections(5000):
        response = check.send(officer, "post", f"/kantor/tugas/{task.pk}/", {"action": "return", "note": bad},
                              label="return note")
        with schema_context("trenggalek"):
            still_open = StepTask.objects.get(pk=task.pk).status == "open"
        if not still_open:
            check.failures.append(f"return note {bad[:20]!r} was accepted")
            break
    check.send(officer, "post", f"/kantor/tugas/{task.pk}/", {"action": "return", "note": note}, label="return note")
    applicant = client_for(trenggalek, world["applicant"])
    check.rendered(applicant, f"/permohonan/{application.pk}/", note, "return note applicant page")
    check.rendered(applicant, f"/permohonan/{application.pk}/", PAYLOADS[-1], "review reason applicant page")
    check.rendered(officer, f"/kantor/permohonan/{application.pk}/", note, "return note office page")
    check.rendered(client_for(trenggalek), "/lacak/", note, "return note tracking page",
                   data={"nomor": application.registration_number, "kode": application.tracking_code})
    check.rendered(auditor, "/audit/", note, "return note audit log", shown=repr(note)[1:-1])

    # Fixed and resubmitted, through to the permit; then revoked with a hostile reason.
    from permits.services.applications import application_document_upload, application_submit
    from tests.factories import upload
    with schema_context("trenggalek"):
        application_document_upload(application=application, requirement=office.requirements[0], file=upload(),
                                    actor=world["applicant"])
        application_submit(application=application, actor=world["applicant"])
    signing = _to_signing(office, application)
    signer = client_for(trenggalek, office.signer)
    check.send(signer, "post", f"/kantor/tugas/{signing.pk}/", {"action": "approve_sign"}, label="sign")
    with schema_context("trenggalek"):
        permit = Permit.objects.get(application=application)
    for bad in ("\x00", "   "):
        check.refused(check.send(signer, "post", f"/kantor/izin/{permit.pk}/cabut/", {"reason": bad}, label="revoke"),
                      f"revoke {bad!r}", None, client=signer)
    reason = PAYLOADS[5]
    check.send(signer, "post", f"/kantor/izin/{permit.pk}/cabut/", {"reason": reason}, label="revoke-ask")
    check.send(signer, "post", f"/kantor/izin/{permit.pk}/cabut/", {"reason": reason, "confirm": permit.number},
               label="revoke")
    with schema_context("trenggalek"):
        permit.refresh_from_db()
    if permit.revoked_reason != reason:
        check.failures.append(f"revoke reason stored {permit.revoked_reason!r}")
    check.rendered(signer, f"/kantor/permohonan/{application.pk}/", reason, "revoke reason office page")
    check.rendered(client_for(trenggalek), f"/verifikasi/{permit.verification_code}/", reason, "revoke verification")
    check.rendered(applicant, f"/permohonan/{application.pk}/", reason, "revoke reason applicant page")
    check.done()


def test_receipt_and_permit_pdfs_print_hostile_text_literally(world, trenggalek, client_for):
    """Counter name, form answers and catalog names in the receipt and the signed permit."""
    from permits.models.applications import Application, Permit
    from permits.services.catalog import permit_type_update
    from pintu.storage.services import document_open

    check = Checker()
    office = world["office"]
    with schema_context("trenggalek"):
        permit_type_update(permit_type=office.permit_type,
            name="Izin " + PDF_SAFE[0][:150], letter_body="Memberikan izin kepada {applicant_name}.\n\n"
            + PDF_SAFE[1] + "\n\nAlamat: {form.alamat_praktik}")
    counter = client_for(trenggalek, office.front_office)
    name = PDF_SAFE[2][:150]
    start = check.send(counter, "post", "/loket/baru/", {"permit_type": office.permit_type.pk, "applicant_name": name,
                                                         "applicant_nik": NIK_OK}, label="counter start")
    pk = int(start["Location"].rstrip("/").split("/")[-1])
    from tests.factories import upload
    for requirement in office.requirements[:2]:
        counter.post(f"/loket/{pk}/unggah/{requirement.pk}/", {"file": upload(f"{requirement.pk}.pdf")})
    answers = {"alamat_praktik": PDF_SAFE[3], "kecamatan": office.form["kecamatan"], "isian_text": "ž" * 1000,
               "isian_date": "2100-12-31", "isian_nik": NIK_OK, "isian_nib": "0000000000001", "isian_number": "-5"}
    check.send(counter, "post", f"/loket/{pk}/", {**answers, "submit": "1"}, label="counter submit")
    with schema_context("trenggalek"):
        application = Application.objects.get(pk=pk)
    assert application.registration_number, "the counter application was not submitted"
    receipt = check.send(counter, "get", f"/loket/{pk}/tanda-terima.pdf", label="receipt")
    check.pdf(receipt.content, [name, "Izin " + PDF_SAFE[0][:150]], "receipt")

    signing = _to_signing(office, application)
    check.send(client_for(trenggalek, office.signer), "post", f"/kantor/tugas/{signing.pk}/", {"action": "approve_sign"},
               label="sign")
    with schema_context("trenggalek"):
        permit = Permit.objects.get(application=application)
        data = document_open(permit.pdf_key).read()
    check.pdf(data, [name, PDF_SAFE[1], PDF_SAFE[3], "ž" * 1000, "31 Desember 2100"], "permit")
    # The catalog name is shown escaped where applicants pick and track it.
    for path in ("/izin/", f"/izin/{office.permit_type.code}/", "/transparansi/"):
        check.rendered(client_for(trenggalek), path, PDF_SAFE[0], f"catalog name {path}")
    check.done()


def test_complaint_survey_and_pungli_texts(world, trenggalek, client_for):
    from billing_free.models import PungliReport
    from permits.models import Complaint
    from permits.models.survey import ELEMENTS, SurveyResponse
    from tests.factories import ministry_user

    check = Checker()
    anonymous = client_for(trenggalek)
    handler = client_for(trenggalek, world["office"].front_office)
    scores = {e.field: "3" for e in ELEMENTS}
    inspector = ministry_user("inspector")
    apex = client_for(None, inspector)
    for i, payload in enumerate(PAYLOADS[:6]):
        description = f"Petugas meminta uang tambahan. {payload}"
        response = check.send(anonymous, "post", "/pengaduan/", {"description": description, "contact": payload[:150]},
                              label="complaint")
        with schema_context("trenggalek"):
            complaint = Complaint.objects.filter(description=description).first()
        if complaint is None:
            check.failures.append(f"complaint not stored: {response.status_code}")
        else:
            check.rendered(handler, f"/pengaduan/kelola/{complaint.pk}/", description, "complaint handler page")
        check.send(anonymous, "post", "/skm/loket/", {**scores, "comment": payload}, label="survey comment")
        with schema_context("trenggalek"):
            if not SurveyResponse.objects.filter(comment=payload).exists():
                check.failures.append(f"survey comment not stored: {payload!r}")
        check.send(anonymous, "post", "/lapor-pungli/", {"description": description, "contact": "anon"}, label="pungli")
        report = PungliReport.objects.filter(regency=trenggalek).order_by("-pk").first()
        if report is None or report.description != description:
            check.failures.append(f"pungli report not stored intact: {payload!r}")
        else:
            check.rendered(apex, f"/kementerian/pungli/{report.pk}/", description, "pungli console")
    check.rendered(handler, "/skm/", PAYLOADS[0], "survey comments page (head, administrator)")
    for bad in rejections(5000):
        check.refused(check.send(anonymous, "post", "/pengaduan/", {"description": bad}, label="complaint"),
                      f"complaint {bad[:20]!r}", None)
    for bad in rejections(2000):
        check.refused(check.send(anonymous, "post", "/skm/loket/", {**scores, "comment": bad}, label="survey"),
                      f"survey {bad[:20]!r}", None)
    for bad in rejections(5000):
        check.refused(check.send(anonymous, "post", "/lapor-pungli/", {"description": bad}, label="pungli"),
                      f"pungli {bad[:20]!r}", None)
    check.done()


def test_admin_catalog_names_through_the_settings_pages(world, trenggalek, client_for):
    """Requirement names and help, form labels and choices typed by the regency administrator."""
    from permits.models import FormField, Requirement

    check = Checker()
    office = world["office"]
    code = office.permit_type.code
    admin = client_for(trenggalek, office.front_office)  # also the regency administrator here
    applicant = client_for(trenggalek, world["applicant"])
    application = _draft(world)
    for i, payload in enumerate(PAYLOADS[:4]):  # every markup once
        check.send(admin, "post", f"/pengaturan/jenis-izin/{code}/persyaratan/",
                   {"name": payload[:200], "help_text": payload, "allowed_types": ["pdf"], "max_size": "2",
                    "max_size_unit": "MB", "is_mandatory": "", "applies_to": "both"}, label="requirement name")
        check.send(admin, "post", f"/pengaturan/jenis-izin/{code}/formulir/",
                   {"label": payload[:200], "key": f"isian_hostile_{i}", "kind": "choice",
                    "choices": f"Ya\n{payload}", "help_text": payload[:255]}, label="form label")
        with schema_context("trenggalek"):
            if not Requirement.objects.filter(permit_type=office.permit_type, name=payload[:200]).exists():
                check.failures.append(f"requirement not stored intact: {payload!r}")
            if not FormField.objects.filter(permit_type=office.permit_type, label=payload[:200]).exists():
                check.failures.append(f"form field not stored intact: {payload!r}")
        for path in (f"/izin/{code}/", f"/permohonan/{application.pk}/"):
            check.rendered(applicant, path, payload[:200], f"catalog texts {path}")
        check.rendered(admin, f"/pengaturan/jenis-izin/{code}/pratinjau/", payload[:200], "form preview")
    for bad in rejections(200):
        check.refused(check.send(admin, "post", f"/pengaturan/jenis-izin/{code}/persyaratan/",
                                 {"name": bad, "allowed_types": ["pdf"], "max_size": "2", "max_size_unit": "MB",
                                  "applies_to": "both"}, label="requirement name"),
                      f"requirement name {bad[:20]!r}", None, client=admin)
    check.done()


def test_sign_up_name_and_nik_then_shown_to_officers_escaped(world, trenggalek, client_for):
    """The name a person signs up with is what officers read on every file of theirs."""
    from pintu.identity.models import User
    from tests.factories import submitted_application
    check = Checker()
    office = world["office"]
    officer = client_for(trenggalek, office.front_office)
    for i, payload in enumerate(PAYLOADS[:2]):  # one template shows the name: two payloads, two markups
        email = f"hostile-{i}-{uuid.uuid4().hex[:6]}@contoh.id"
        check.send(client_for(trenggalek), "post", "/daftar/", {"full_name": payload[:150], "email": email,
                                                                "password": "rahasia-uji-123"}, label="sign-up name")
        person = User.objects.filter(email=email).first()
        if person is None or person.full_name != payload[:150]:
            check.failures.append(f"sign-up name not stored intact: {payload!r}")
            continue
        with schema_context("trenggalek"):
            application = submitted_application(office, person)
            task = application.tasks.get(status="open")
        for path in (f"/kantor/permohonan/{application.pk}/", f"/kantor/tugas/{task.pk}/"):
            check.rendered(officer, path, payload[:150], f"applicant name {path}")
    for bad in rejections(150):
        check.refused(check.send(client_for(trenggalek), "post", "/daftar/",
                                 {"full_name": bad, "email": f"x{uuid.uuid4().hex[:6]}@contoh.id",
                                  "password": "rahasia-uji-123"}, label="sign-up name"), f"sign-up {bad[:20]!r}", None)
    for nik in EDGE_CASES["isian_nik"]["bad"]:
        check.refused(check.send(client_for(trenggalek), "post", "/daftar/",
                                 {"full_name": "Budi", "email": f"n{uuid.uuid4().hex[:6]}@contoh.id", "nik": nik,
                                  "password": "rahasia-uji-123"}, label="sign-up NIK"), f"sign-up NIK {nik!r}", None)
    check.done()
