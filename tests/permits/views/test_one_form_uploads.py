"""Issue #16, item 2: the applicant's answers and uploads are one form. Uploading keeps what was typed,
several files go in one post, a phone photo is made to fit, and the page returns to where the person was."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from permits.models.applications import Application, ApplicationDocument
from tests.factories import pdf_bytes, phone_photo


@pytest.fixture
def built(trenggalek_office):
    from permits.services.catalog import requirement_update

    with schema_context("trenggalek"):
        office = trenggalek_office
        # STR Fisioterapis asks a PDF; this regency takes a phone photo of it (made a PDF).
        requirement_update(requirement=office.requirements[1], accepts_photo_as_pdf=True)
        return office


@pytest.fixture
def started(built, trenggalek, applicant, client_for):
    client = client_for(trenggalek, applicant)
    url = client.post(f"/izin/{built.permit_type.code}/ajukan/")["Location"]
    return client, url


def _pdf(name="dok.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def _documents(applicant):
    with schema_context("trenggalek"):
        application = Application.objects.get(applicant=applicant)
        return application, {d.requirement_id: d for d in ApplicationDocument.objects.filter(
            application=application, is_current=True)}


def test_answers_and_a_file_posted_together_are_both_kept_and_the_page_returns_to_the_row(built, started, applicant):
    client, url = started
    ktp = built.requirements[0]
    response = client.post(url, {"alamat_praktik": built.form["alamat_praktik"], "kecamatan": built.form["kecamatan"],
                                 f"berkas-{ktp.pk}": _pdf("ktp.pdf"), "tempat": f"req-{ktp.pk}"})
    assert response.status_code == 302 and response["Location"] == f"{url}#req-{ktp.pk}"
    application, documents = _documents(applicant)
    assert application.form_data["alamat_praktik"] == built.form["alamat_praktik"]
    assert application.form_data["kecamatan"] == built.form["kecamatan"]
    assert documents[ktp.pk].display_name == "ktp.pdf"
    page = client.get(url).content.decode()
    # the typed answer is on the page again, and the row says its file arrived
    assert built.form["alamat_praktik"] in page
    row = page[page.index(f'id="req-{ktp.pk}"'):]
    assert "KTP terunggah." in row[:row.index("</li>")]


def test_the_draft_button_returns_to_the_buttons(started):
    client, url = started
    response = client.post(url, {"alamat_praktik": "Jl. Panglima Sudirman No. 5, Trenggalek", "tempat": "aksi"})
    assert response["Location"] == f"{url}#aksi"
    assert "Isian tersimpan sebagai draf." in client.get(url).content.decode()
    # a place that is not one of the page's is not echoed
    assert client.post(url, {"tempat": "x\"><script>"})["Location"] == f"{url}#aksi"


def test_several_files_in_one_post_and_several_photos_become_one_pdf(built, started, applicant):
    client, url = started
    ktp, str_ = built.requirements[0], built.requirements[1]
    page1 = SimpleUploadedFile("str-1.jpg", phone_photo(size=(1600, 1200), megabytes=0.6), content_type="image/jpeg")
    page2 = SimpleUploadedFile("str-2.jpg", phone_photo(size=(1600, 1200), megabytes=0.6), content_type="image/jpeg")
    response = client.post(url, {f"berkas-{ktp.pk}": _pdf("ktp.pdf"), f"berkas-{str_.pk}": [page1, page2],
                                 "tempat": "aksi"})
    assert response.status_code == 302
    _, documents = _documents(applicant)
    assert set(documents) == {ktp.pk, str_.pk}
    assert documents[str_.pk].content_type == "application/pdf" and documents[str_.pk].display_name == "str-1.pdf"
    text = client.get(url).content.decode()
    assert "2 foto dijadikan satu PDF" in text


def test_a_3_mb_phone_photo_is_shrunk_and_the_person_is_told(built, started, applicant):
    client, url = started
    ktp = built.requirements[0]  # PDF/JPG, 1.5 MB
    photo = phone_photo()
    assert len(photo) > 2.5 * 1024 * 1024
    client.post(url, {f"berkas-{ktp.pk}": SimpleUploadedFile("IMG_2041.JPG", photo, content_type="image/jpeg"),
                      "tempat": f"req-{ktp.pk}"})
    _, documents = _documents(applicant)
    assert documents[ktp.pk].size <= ktp.max_size_kb * 1024 and documents[ktp.pk].content_type == "image/jpeg"
    page = client.get(url).content.decode()
    assert re.search(r"KTP terunggah: foto diperkecil ke [0-9],?[0-9]? MB\.", page)


def test_a_refused_file_loses_neither_the_answers_nor_the_other_file(built, started, applicant):
    client, url = started
    ktp, str_ = built.requirements[0], built.requirements[1]
    response = client.post(url, {
        "alamat_praktik": built.form["alamat_praktik"],
        f"berkas-{ktp.pk}": SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        f"berkas-{str_.pk}": _pdf("str.pdf"), "submit": "1"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Pilih ulang berkas yang ditolak" in text and "bukan PDF/JPG" in text
    assert "Kecamatan wajib diisi" in text  # and what is still missing, all at once
    application, documents = _documents(applicant)
    assert application.status == "draft" and application.form_data["alamat_praktik"] == built.form["alamat_praktik"]
    assert set(documents) == {str_.pk}
    assert built.form["alamat_praktik"] in text  # what was typed is on the page again


def test_an_invalid_answer_keeps_the_valid_ones(built, started, applicant):
    client, url = started
    response = client.post(url, {"alamat_praktik": built.form["alamat_praktik"], "kecamatan": "bukan-kecamatan",
                                 "tempat": "aksi"})
    assert response.status_code == 200
    application, _ = _documents(applicant)
    assert application.form_data == {**application.form_data, "alamat_praktik": built.form["alamat_praktik"]}
    assert "kecamatan" not in application.form_data


def test_answers_and_files_submitted_in_one_tap(built, started, applicant):
    client, url = started
    ktp, str_ = built.requirements[0], built.requirements[1]
    done = client.post(url, {**built.form, f"berkas-{ktp.pk}": _pdf(), f"berkas-{str_.pk}": _pdf(), "submit": "1"},
                       follow=True)
    assert "Permohonan diajukan. Nomor registrasi 3503-" in done.content.decode()
    application, _ = _documents(applicant)
    assert application.status == "in_process"


def test_the_form_is_one_multipart_form_whose_default_button_submits(built, started):
    client, url = started
    page = client.get(url).content.decode()
    forms = re.findall(r"<form[^>]*>", page)
    application_forms = [f for f in forms if "application-form" in f]
    assert len(application_forms) == 1 and 'enctype="multipart/form-data"' in application_forms[0]
    body = page[page.index("application-form"):]
    first_button = re.search(r"<button[^>]*>", body).group(0)
    assert 'name="submit"' in first_button  # Enter in a field submits, it does not save a draft
    str_ = built.requirements[1]
    str_input = re.search(rf'<input type="file" id="berkas-{str_.pk}"[^>]*>', page, re.S).group(0)
    assert "multiple" in str_input and "image/*" in str_input
    ktp_input = re.search(rf'<input type="file" id="berkas-{built.requirements[0].pk}"[^>]*>', page, re.S).group(0)
    assert "multiple" not in ktp_input
    assert "maks. 1,5 MB" in page and " KB" not in page
