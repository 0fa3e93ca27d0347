"""The issued permit, its e-mail and the counter receipt state the cost in billing_free's one sentence, word for word
as the tracking page does (issue #7)."""
from __future__ import annotations

import html
import io
import re

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from permits.fees import application_cost_statement
from permits.services.catalog import permit_type_update
from pintu.notify.models import OutboxMessage
from pintu.storage.services import document_read
from tests.factories import office_build, pdf_bytes, submitted_application
from tests.notify.helpers import issue

NIK = "3503011505900001"


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def tracking_cost(client, application) -> str:
    page = client.get("/lacak/", {"nomor": application.registration_number, "kode": application.tracking_code})
    assert page.status_code == 200
    [sentence] = re.findall(r'<span class="cost[^"]*" data-cost="levy">([^<]+)</span>', page.content.decode())
    return html.unescape(sentence)


def levy_office():
    office = office_build()
    permit_type_update(permit_type=office.permit_type, levy_amount="150000", levy_regulation_number="5",
                       levy_regulation_year=2023, levy_regulation_article="12")
    return office


def test_a_levy_permits_pdf_states_the_cost_in_the_tracking_pages_words(trenggalek, applicant, client_for):
    with schema_context(trenggalek.schema_name):
        office = levy_office()
        application = submitted_application(office, applicant)
        permit = issue(office, application)
        expected = application_cost_statement(application).text
        pdf = pdf_text(document_read(permit.pdf_key))
        told = OutboxMessage.objects.get(application_id=application.pk, event="issued", channel="email").body
    assert expected == ("Retribusi Rp 150.000 berdasarkan Perda Nomor 5 Tahun 2023 Pasal 12; dibayar ke kas daerah, "
                        "bukan kepada petugas")
    assert tracking_cost(client_for(trenggalek), application) == expected
    assert f"Biaya: {expected}." in pdf
    assert f"Biaya: {expected}. Laporkan bila ada petugas yang meminta imbalan." in told  # the e-mail too


def test_the_counter_receipt_states_the_same_sentence(trenggalek, client_for):
    with schema_context(trenggalek.schema_name):
        office = levy_office()
    counter = client_for(trenggalek, office.front_office)
    url = counter.post("/loket/baru/", {"permit_type": office.permit_type.pk, "applicant_name": "Pak Darmo",
                                        "applicant_nik": NIK, "applicant_phone": "081234567890",
                                        "applicant_email": ""})["Location"]
    for requirement in office.requirements[:2]:
        counter.post(f"{url}unggah/{requirement.pk}/", {"file": SimpleUploadedFile(
            f"pindaian-{requirement.pk}.pdf", pdf_bytes(requirement.name), content_type="application/pdf")})
    counter.post(url, {"submit": "1", **office.form})
    with schema_context(trenggalek.schema_name):
        from permits.models.applications import Application

        application = Application.objects.get(applicant_name="Pak Darmo", permit_type=office.permit_type)
    receipt = counter.get(f"{url}tanda-terima.pdf")
    assert receipt.status_code == 200
    sentence = tracking_cost(client_for(trenggalek), application)
    assert sentence.startswith("Retribusi Rp 150.000 berdasarkan Perda Nomor 5 Tahun 2023 Pasal 12")
    assert f"Biaya: {sentence}." in pdf_text(receipt.content)


def test_the_permit_pdf_reads_answers_in_the_forms_order_with_names_and_indonesian_dates(trenggalek, applicant, trenggalek_office):
    from permits.services.catalog import form_field_create
    from tenants.regions import districts

    with schema_context(trenggalek.schema_name):
        office = trenggalek_office
        form_field_create(permit_type=office.permit_type, order=3, key="mulai", label="Mulai praktik", kind="date")
        permit_type_update(permit_type=office.permit_type,
                           letter_body="Praktik di Kecamatan {form.kecamatan} mulai {form.mulai}.")
        office.form["mulai"] = "2026-12-01"
        permit = issue(office, submitted_application(office, applicant))
        pdf = pdf_text(document_read(permit.pdf_key))
    code = office.form["kecamatan"]
    name = dict(districts(trenggalek.code))[code]
    assert f"Praktik di Kecamatan {name} mulai 1 Desember 2026." in pdf
    rows = pdf[pdf.index("Nama Pemohon"):pdf.index("Izin ini berlaku")]
    assert rows.index("Alamat praktik") < rows.index("Kecamatan :") < rows.index("Mulai praktik : 1 Desember 2026")
    assert f"Kecamatan : {name}" in rows and "2026-12-01" not in pdf and code not in pdf
    assert "Berdasarkan pelimpahan wewenang Perbup 12/2024" in pdf and "berdasarkan Berdasarkan" not in pdf
