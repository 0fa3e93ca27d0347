"""Plain permit data for the document tests."""
from __future__ import annotations

import datetime as dt

from permits.documents.pdf import Letterhead, PermitDocument, ReceiptDocument


def letterhead() -> Letterhead:
    return Letterhead(government="PEMERINTAH KABUPATEN TRENGGALEK",
                      office_name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Trenggalek",
                      address="Jl. Panglima Sudirman No. 1, Trenggalek", phone="(0355) 791234",
                      email="dpmptsp@trenggalekkab.go.id", place="Trenggalek")


def permit_document(**overrides) -> PermitDocument:
    fields = dict(
        letterhead=letterhead(), title="Surat Izin Praktik Fisioterapis",
        permit_number="503/0112/SIPF/DPM-PTSP/2025",
        decision_text=["Berdasarkan permohonan Saudara dan hasil pemeriksaan tim teknis, dengan ini diberikan izin kepada:"],
        applicant_name="Sari Wulandari",
        form_rows=[("Tempat Praktik", "Klinik Sehat Sentosa, Jl. Mawar 2"), ("Nomor STR", "FT 0012345")],
        valid_from=dt.date(2025, 1, 6), valid_until=dt.date(2030, 1, 5),
        # 17:30 UTC on 31 December is already 1 January 2025 in Trenggalek (WIB, UTC+7).
        issued_at=dt.datetime(2024, 12, 31, 17, 30, tzinfo=dt.timezone.utc), time_zone="Asia/Jakarta",
        verification_url="http://trenggalek.localhost:8000/verifikasi/9f2c1d/",
        official_name="Drs. Budi Santoso, M.Si", official_position="Kepala DPMPTSP Kabupaten Trenggalek",
        official_id="197001011990031001",
        authority="Berdasarkan pelimpahan wewenang Peraturan Bupati Trenggalek Nomor 12 Tahun 2021",
        registration_number="REG/3503/2025/000123", cost_text="Gratis — tidak dipungut biaya",
    )
    fields.update(overrides)
    return PermitDocument(**fields)


def receipt_document(**overrides) -> ReceiptDocument:
    fields = dict(
        letterhead=letterhead(), registration_number="REG/3503/2025/000123", tracking_code="K7P9QX",
        tracking_url="http://trenggalek.localhost:8000/lacak/", permit_type="Surat Izin Praktik Fisioterapis",
        applicant_name="Sari Wulandari", submitted_at=dt.datetime(2025, 3, 3, 1, 15, tzinfo=dt.timezone.utc),
        time_zone="Asia/Makassar", requirements_received=["Fotokopi KTP", "STR yang masih berlaku", "Pas foto 4x6"],
        officer_name="Rina (Loket 2)", due_on=dt.date(2025, 3, 10), cost_text="Gratis — tidak dipungut biaya",
    )
    fields.update(overrides)
    return ReceiptDocument(**fields)


# billing_free's sentence for a levy (permits.fees.application_cost_statement(...).text).
LEVY_TEXT = ("Retribusi Rp 1.250.000 berdasarkan Perda Nomor 1 Tahun 2024 Pasal 7; dibayar ke kas daerah, "
             "bukan kepada petugas")
