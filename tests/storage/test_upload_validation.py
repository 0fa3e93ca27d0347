"""Uploads are judged by their bytes: every hostile or broken file is refused with its own code
and an Indonesian message; genuine scans pass."""
from __future__ import annotations

import io

import pytest

from pintu.storage import validation
from pintu.storage.errors import UploadRefused
from pintu.storage.validation import read_limited, upload_validate
from tests.storage import samples


def refusal(data: bytes, filename: str = "dokumen.pdf", **options) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        upload_validate(data=data, filename=filename, **options)
    return caught.value


@pytest.mark.parametrize(("data", "kind", "content_type"), [
    (samples.pdf_bytes(), "pdf", "application/pdf"),
    (samples.image_bytes("JPEG"), "jpg", "image/jpeg"),
    (samples.image_bytes("PNG"), "png", "image/png"),
])
def test_genuine_scans_are_accepted_with_type_from_content(data, kind, content_type):
    upload = upload_validate(data=data, filename="KTP Sari.bin")
    assert (upload.kind, upload.content_type, upload.size) == (kind, content_type, len(data))
    assert upload.display_name == "KTP Sari.bin"


@pytest.mark.parametrize(("data", "detected"), [
    (samples.ELF, "program (ELF)"),
    (samples.PE, "program Windows (EXE/DLL)"),
    (samples.SHEBANG, "skrip"),
])
def test_renamed_executable_is_refused(data, detected):
    error = refusal(data, "ijazah.pdf")
    assert error.code == "upload_type_not_allowed"
    assert detected in error.message and "PDF/JPG/PNG" in error.message


def test_html_named_pdf_is_refused():
    error = refusal(samples.HTML, "surat.pdf")
    assert error.code == "upload_type_not_allowed"
    assert "halaman web" in error.message


@pytest.mark.parametrize("body", [
    b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>",
    b"<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> >>",  # names hex-escaped
    b"<< /Type /Catalog /Names << /EmbeddedFiles << /Names [(a.exe) 2 0 R] >> >> >>",
    b"<< /Type /Filespec /EF << /F 3 0 R >> >> << /Type /EmbeddedFile >>",
    b"<< /S /Launch /F (cmd.exe) >>",
])
def test_pdf_with_javascript_or_embedded_file_is_refused(body):
    error = refusal(samples.raw_pdf(body))
    assert error.code == "upload_pdf_active_content"
    assert "skrip atau lampiran" in error.message


def test_javascript_hidden_in_a_compressed_object_stream_is_found():
    assert refusal(samples.pdf_with_hidden_javascript()).code == "upload_pdf_active_content"


def test_binary_image_bytes_that_spell_js_do_not_trip_the_check():
    noise = b"\xff\xd8 /JS /JavaScript \xff\xd9" * 10
    data = samples.raw_pdf(b"<< /Type /Catalog >>",
                           b"<< /Type /XObject /Subtype /Image /Filter /DCTDecode /Length %d >>\nstream\n" % len(noise)
                           + noise + b"\nendstream")
    assert upload_validate(data=data, filename="scan.pdf").kind == "pdf"


def test_encrypted_pdf_is_refused():
    data = samples.raw_pdf(b"<< /Type /Catalog >>", b"<< /Filter /Standard /V 2 /R 3 >>").replace(
        b"<< /Root 1 0 R >>", b"<< /Root 1 0 R /Encrypt 2 0 R >>")
    assert refusal(data).code == "upload_pdf_encrypted"


def test_truncated_pdf_is_refused():
    data = samples.pdf_bytes()
    error = refusal(data[: len(data) // 2])
    assert error.code == "upload_truncated"
    assert "terpotong" in error.message


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_truncated_image_is_refused(kind):
    data = samples.image_bytes(kind, size=(400, 300))
    assert refusal(data[: len(data) * 2 // 3], "foto.jpg").code == "upload_truncated"


def test_image_bomb_over_our_limit_is_refused_without_decoding():
    data = samples.png_bomb(10_000, 10_000)  # 100 megapixels in a few kilobytes
    assert len(data) < 100_000
    error = refusal(data, "foto.png")
    assert error.code == "upload_image_dimensions"
    assert "10000×10000" in error.message


def test_image_claiming_absurd_dimensions_is_refused():
    assert refusal(samples.png_claiming(100_000, 100_000), "foto.png").code == "upload_image_dimensions"


@pytest.mark.parametrize("data", [samples.zip_bomb(), samples.docx_bytes()])
def test_zip_and_office_files_are_refused(data):
    error = refusal(data, "berkas.pdf")
    assert error.code == "upload_type_not_allowed"
    assert "ZIP" in error.message


def test_type_allowed_by_platform_but_not_by_the_requirement_is_refused():
    error = refusal(samples.image_bytes("PNG"), "ktp.png", allowed_types=["pdf"])
    assert error.code == "upload_type_not_allowed"
    assert "hanya menerima PDF" in error.message


def test_file_over_the_requirement_limit_is_refused_in_indonesian_units():
    error = refusal(samples.pdf_bytes() + b"%" + b"x" * 2_000_000 + b"\n%%EOF", max_bytes=1_572_864)
    assert error.code == "upload_too_large"
    assert "1,5 MB" in error.message


def test_oversized_stream_is_not_read_past_the_limit():
    class Endless(io.RawIOBase):
        served = 0

        def read(self, size=-1):
            self.served += size
            return b"a" * size

    stream = Endless()
    with pytest.raises(UploadRefused) as caught:
        read_limited(stream, 1_000_000)
    assert caught.value.code == "upload_too_large"
    assert stream.served <= 1_000_001


def test_empty_file_is_refused():
    assert refusal(b"").code == "upload_empty"


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "scan/../../x.pdf", "/etc/shadow.pdf"])
def test_filename_with_path_traversal_is_refused(name):
    error = refusal(samples.pdf_bytes(), name)
    assert error.code == "upload_filename_invalid"
    assert "jalur folder" in error.message


@pytest.mark.parametrize("name", ["scan\x00.pdf", "scan\n.pdf", "scan\u202egpj.pdf", "\x1b[31mx.pdf"])
def test_filename_with_control_characters_is_refused(name):
    error = refusal(samples.pdf_bytes(), name)
    assert error.code == "upload_filename_invalid"
    assert "karakter kendali" in error.message


def test_long_filename_is_shortened_for_display_keeping_its_extension():
    upload = upload_validate(data=samples.pdf_bytes(), filename="a" * 400 + ".pdf")
    assert len(upload.display_name) == validation.MAX_FILENAME_LENGTH
    assert upload.display_name.endswith(".pdf")
