"""The permit and the counter receipt read as an officer and an applicant expect them to."""
from __future__ import annotations

import datetime as dt
import io

import pypdf

from permits.documents.pdf import Letterhead, render_permit_pdf, render_receipt_pdf
from permits.documents.text import date_id, datetime_id
from tests.documents.factories import LEVY_TEXT, permit_document, receipt_document


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def image_count(data: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return sum(len(page.images) for page in reader.pages)


def test_permit_carries_letterhead_number_decision_data_and_signature_block():
    data = render_permit_pdf(permit_document())
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in ("PEMERINTAH KABUPATEN TRENGGALEK", "SURAT IZIN PRAKTIK FISIOTERAPIS",
                     "Nomor: 503/0112/SIPF/DPM-PTSP/2025", "Telp. (0355) 791234", "dpmptsp@trenggalekkab.go.id",
                     "hasil pemeriksaan tim teknis", "Sari Wulandari", "Klinik Sehat Sentosa", "FT 0012345",
                     "KEPALA DPMPTSP KABUPATEN TRENGGALEK", "Drs. Budi Santoso, M.Si", "NIP. 197001011990031001",
                     "Berdasarkan pelimpahan wewenang Peraturan Bupati Trenggalek Nomor 12 Tahun 2021",
                     "http://trenggalek.localhost:8000/verifikasi/9f2c1d/", "REG/3503/2025/000123"):
        assert expected in text, expected


def test_permit_dates_are_in_the_regencys_zone_with_indonesian_months():
    text = pdf_text(render_permit_pdf(permit_document()))
    assert "berlaku sejak 6 Januari 2025 sampai dengan 5 Januari 2030" in text
    assert "pada tanggal 1 Januari 2025" in text  # 31 Dec 17:30 UTC is New Year's Day in WIB

    in_jayapura = pdf_text(render_permit_pdf(permit_document(
        issued_at=dt.datetime(2024, 12, 31, 14, 30, tzinfo=dt.timezone.utc), time_zone="Asia/Jayapura")))
    assert "pada tanggal 31 Desember 2024" in in_jayapura  # 23:30 WIT, still the old year


def test_permit_without_end_date_says_so():
    text = pdf_text(render_permit_pdf(permit_document(valid_until=None)))
    assert "berlaku sejak 6 Januari 2025 selama kegiatan masih dijalankan" in text


def test_cost_line_prints_the_given_sentence_as_it_is():
    assert "Biaya: Gratis — tidak dipungut biaya." in pdf_text(render_permit_pdf(permit_document()))
    assert f"Biaya: {LEVY_TEXT}." in pdf_text(render_permit_pdf(permit_document(cost_text=LEVY_TEXT)))
    assert f"Biaya: {LEVY_TEXT}." in pdf_text(render_receipt_pdf(receipt_document(cost_text=LEVY_TEXT)))


def test_permit_has_one_qr_image_for_verification():
    assert image_count(render_permit_pdf(permit_document())) == 1


def test_acting_official_signs_as_plh():
    text = pdf_text(render_permit_pdf(permit_document(acting_as="Plh.")))
    assert "PLH. KEPALA DPMPTSP KABUPATEN TRENGGALEK" in text


def test_markup_in_peoples_text_is_printed_not_interpreted():
    data = render_permit_pdf(permit_document(applicant_name="<b>Sari</b> <script>alert(1)</script> & Co",
                                             form_rows=[("Alamat", "Jl. <i>Mawar</i> & Melati")]))
    text = pdf_text(data)
    assert "<b>Sari</b> <script>alert(1)</script> & Co" in text
    assert "Jl. <i>Mawar</i> & Melati" in text


def test_long_text_flows_onto_further_pages():
    rows = [(f"Catatan {i}", "sangat panjang " * 40) for i in range(30)]
    data = render_permit_pdf(permit_document(form_rows=rows))
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) > 1
    assert "Drs. Budi Santoso, M.Si" in pdf_text(data)


def test_receipt_shows_registration_tracking_requirements_and_qr():
    data = render_receipt_pdf(receipt_document())
    text = pdf_text(data)
    for expected in ("TANDA TERIMA BERKAS PERMOHONAN", "Nomor Registrasi: REG/3503/2025/000123", "K7P9QX",
                     "1. Fotokopi KTP", "2. STR yang masih berlaku", "3. Pas foto 4x6", "Loket",
                     "3 Maret 2025 pukul 09.15 WITA", "10 Maret 2025", "Rina (Loket 2)",
                     "http://trenggalek.localhost:8000/lacak/", "Biaya: Gratis"):
        assert expected in text, expected
    assert image_count(data) == 1


def test_letterhead_from_a_regency_row(trenggalek):
    head = Letterhead.from_regency(trenggalek)
    assert head.government == "PEMERINTAH KABUPATEN TRENGGALEK"
    assert head.place == "Trenggalek"
    assert "Satu Pintu" in head.office_name


def test_indonesian_formats():
    assert date_id(dt.date(2025, 8, 17)) == "17 Agustus 2025"
    assert datetime_id(dt.datetime(2025, 8, 17, 3, 5, tzinfo=dt.timezone.utc), "Asia/Jayapura") == "17 Agustus 2025 pukul 12.05 WIT"
