"""A phone's photo made to fit a requirement (issue #16): shrunk to the limit, upright, without its
GPS position or other metadata, HEIC read, a document's photos made one PDF. Real generated photos."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from pintu.storage.errors import UploadTooMany, UploadTypeNotAllowed
from pintu.storage.photos import is_heic, photos_fit
from pintu.storage.services import document_read, upload_store
from tests.factories import pdf_bytes, phone_photo


@pytest.fixture
def in_regency(local_storage, trenggalek):
    from django_tenants.utils import schema_context

    with schema_context(trenggalek.schema_name):
        yield


@pytest.fixture(scope="module")
def photo():
    data = phone_photo()
    assert 2.5 * 1024 * 1024 < len(data) < 3.5 * 1024 * 1024  # what a phone sends: ~3 MB
    return data


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_3_mb_phone_photo_is_shrunk_to_the_limit_upright_and_without_gps(photo):
    fitted = photos_fit([photo], target="jpg", max_bytes=512 * 1024)
    assert fitted.kind == "jpg" and len(fitted.data) <= 512 * 1024
    assert fitted.note.startswith("foto diperkecil ke ") and fitted.note.endswith(" MB")
    with Image.open(io.BytesIO(fitted.data)) as image:
        # Stored 4000x3000 sideways with orientation 6: the result stands upright (portrait)
        assert image.height > image.width
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
        # The red block (top-left of the stored pixels) is now top-right: turned 90° clockwise.
        r, g, b = image.convert("RGB").getpixel((image.width - 5, 5))
        assert r > 180 and g < 80
    assert b"PhoneMaker" not in fitted.data and b"GPS" not in fitted.data


def test_a_small_photo_with_gps_is_kept_small_but_its_metadata_dropped(in_regency):
    small = phone_photo(size=(800, 600), megabytes=0.3)
    assert len(small) < 512 * 1024 and b"PhoneMaker" in small
    stored = upload_store(files=[_named(small, "IMG_0001.JPG")], kind="requirements", allowed_types=["jpg"],
                          max_bytes=512 * 1024)
    data = document_read(stored.key)
    assert b"PhoneMaker" not in data and stored.note.startswith("foto")


def test_a_clean_small_jpeg_is_stored_byte_for_byte(in_regency):
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(out, "JPEG")
    stored = upload_store(files=[_named(out.getvalue(), "scan.jpg")], kind="requirements", allowed_types=["jpg"],
                          max_bytes=512 * 1024)
    assert document_read(stored.key) == out.getvalue() and stored.note == ""


def test_a_photo_the_browser_already_made_small_is_kept_and_the_note_says_it_was_shrunk(in_regency):
    out = io.BytesIO()
    Image.new("RGB", (1800, 2400), "white").save(out, "JPEG", quality=82)  # what upload.js sends: no metadata
    stored = upload_store(files=[_named(out.getvalue(), "IMG_0001.jpg")], kind="requirements",
                          allowed_types=["jpg"], max_bytes=1024 * 1024, chosen_bytes=3 * 1024 * 1024)
    assert document_read(stored.key) == out.getvalue()  # checked, not re-encoded again
    assert stored.note.startswith("foto diperkecil ke ") and stored.note.endswith(" MB")


def test_a_photo_where_a_pdf_is_asked_becomes_a_pdf_when_the_regency_allows_it(photo, in_regency):
    stored = upload_store(files=[_named(photo, "IMG_2041.jpg")], kind="requirements", allowed_types=["pdf"],
                          max_bytes=1536 * 1024, photo_as_pdf=True)
    data = document_read(stored.key)
    assert data.startswith(b"%PDF-") and stored.size <= 1536 * 1024
    assert stored.display_name == "IMG_2041.pdf" and stored.note.startswith("foto dijadikan PDF")


def test_several_photos_become_the_pages_of_one_pdf(photo, in_regency):
    from pyhanko.pdf_utils.reader import PdfFileReader

    stored = upload_store(files=[_named(photo, "hal1.jpg"), _named(photo, "hal2.jpg")], kind="requirements",
                          allowed_types=["pdf"], max_bytes=1536 * 1024, photo_as_pdf=True)
    reader = PdfFileReader(io.BytesIO(document_read(stored.key)), strict=False)
    assert len(reader.root["/Pages"]["/Kids"]) == 2 and stored.note.startswith("2 foto dijadikan satu PDF")


def test_a_photo_where_only_a_pdf_is_asked_is_refused_when_the_regency_does_not_allow_it(in_regency):
    with pytest.raises(UploadTypeNotAllowed):
        upload_store(files=[_named(phone_photo(size=(800, 600), megabytes=0.3), "a.jpg")], kind="requirements",
                     allowed_types=["pdf"],
                     max_bytes=1536 * 1024, photo_as_pdf=False)


def test_two_files_for_a_one_photo_requirement_are_refused(photo, in_regency):
    with pytest.raises(UploadTooMany):
        upload_store(files=[_named(photo, "a.jpg"), _named(photo, "b.jpg")], kind="requirements",
                     allowed_types=["jpg"], max_bytes=512 * 1024)
    with pytest.raises(UploadTooMany):
        upload_store(files=[_named(pdf_bytes(), "a.pdf"), _named(photo, "b.jpg")], kind="requirements",
                     allowed_types=["pdf"], max_bytes=1536 * 1024, photo_as_pdf=True)


def test_an_iphone_heic_photo_is_read_and_stored_as_jpeg(in_regency):
    heic = phone_photo(size=(640, 480), heic=True)
    assert is_heic(heic[:16])
    stored = upload_store(files=[_named(heic, "IMG_0042.HEIC")], kind="requirements", allowed_types=["jpg", "pdf"],
                          max_bytes=512 * 1024)
    data = document_read(stored.key)
    assert data.startswith(b"\xff\xd8\xff") and stored.display_name == "IMG_0042.jpg" and len(data) <= 512 * 1024
    with Image.open(io.BytesIO(data)) as image:
        assert image.height > image.width  # orientation applied


def test_a_pdf_over_the_limit_is_still_refused_with_the_limit_in_mb(in_regency):
    from pintu.storage.errors import UploadTooLarge

    big = pdf_bytes() + b"%" + b"x" * (600 * 1024) + b"\n%%EOF\n"
    with pytest.raises(UploadTooLarge) as refused:
        upload_store(files=[_named(big, "a.pdf")], kind="requirements", allowed_types=["pdf", "jpg"],
                     max_bytes=512 * 1024)
    assert "0,5 MB" in refused.value.message
