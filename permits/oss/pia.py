"""The OSS RBA contract (Pedoman Integrasi Aplikasi 4.3.x, public at oss-rba/oss-rba.github.io):
the fields Pintu reads with their PIA lengths, the response shapes, and the code tables Pintu uses.

Only what Pintu reads or writes is listed; the lengths are the PIA's (`src/endpoint.js`), the codes
its Lampiran 9 (response codes) and Lampiran 10 (permit status codes) (`src/footer.md`).
"""
from __future__ import annotations

# Lampiran 9 - DATA STATUS RESPON
RESPONSE_CODES = {
    200: "Sukses",
    400: "Data Parameter Salah",
    401: "User Akses Tidak Valid",
    403: "Ilegal Inquery /Akses",
    404: "Akses Service Tidak Ditemukan",
    405: "Akses Service Ditolak",
    500: "Proses Payload Data Di Sistem OSS Gagal",
    504: "Proses Payload Data Di Sistem OSS Timeout",
}

# Lampiran 10 - DATA KODE STATUS IZIN (the codes Pintu sends)
STATUS_CODES = {
    "10": "Dokumen Lengkap",
    "11": "Dokumen Belum Lengkap",
    "20": "Validasi",
    "40": "Inspeksi",
    "41": "Konfirmasi Persyaratan",
    "42": "Data Konfirmasi Persyaratan",
    "45": "Persyaratan terverifikasi",
    "50": "Disetujui",
    "57": "Disetujui secara otomatis oleh sistem OSS (fiktif positif)",
    "90": "Ditolak",
    "93": "Penolakan Persyaratan",
}

KEWENANGAN_KABKOTA = "02"  # 00: Pusat; 01: Provinsi; 02: Kab/Kota

# receiveNIB: dataNIB.<field> -> (PIA length, required by Pintu)
NIB_FIELDS = {
    "nib": (13, True),
    "tgl_terbit_nib": (10, False),
    "oss_id": (25, False),
    "npwp_perseroan": (15, False),
    "nama_perseroan": (255, True),
    "alamat_perseroan": (255, False),
    "kelurahan_perseroan": (50, False),
    "perseroan_daerah_id": (10, False),
    "kode_pos_perseroan": (5, False),
    "nomor_telpon_perseroan": (20, False),
    "email_perusahaan": (100, False),
    "skala_usaha": (2, False),
}
PJ_FIELDS = {  # dataNIB.penanggung_jwb[]
    "jns_identitas_penanggung_jwb": (2, False),
    "no_identitas_penanggung_jwb": (100, True),
    "nama_penanggung_jwb": (500, True),
    "jabatan_penanggung_jwb": (100, False),
    "alamat_penanggung_jwb": (1024, False),
    "no_hp_penanggung_jwb": (50, False),
    "email_penanggung_jwb": (100, False),
}
PROYEK_FIELDS = {  # dataNIB.data_proyek[]
    "id_proyek": (25, True),
    "nomor_proyek": (26, False),
    "uraian_usaha": (255, False),
    "kbli": (7, False),
    "skala_resiko": (10, False),
}
LOKASI_FIELDS = {  # dataNIB.data_proyek[].data_lokasi_proyek[]
    "proyek_daerah_id": (10, False),
    "alamat_usaha": (65535, False),
}
CHECKLIST_FIELDS = {  # dataNIB.data_checklist[]
    "id_produk": (25, False),
    "id_proyek": (25, False),
    "id_izin": (25, True),
    "jenis_izin": (3, False),
    "kd_izin": (13, True),
    "kd_daerah": (10, True),
    "nama_izin": (255, False),
    "instansi": (100, False),
    "kewenangan": (2, True),
    "flag_checklist": (1, False),
}
# receiveLicense / updateLicense: IZINFINAL.<field> -> (PIA length, required). Every field the PIA lists
# (data_teknis aside: building approvals, not a regency permit's); Pintu sends exactly these.
LICENSE_FIELDS = {
    "nib": (13, True),
    "id_proyek": (25, True),
    "oss_id": (25, True),
    "id_izin": (25, True),
    "kd_izin": (12, True),
    "kd_daerah": (10, True),
    "nomor_izin": (50, True),
    "tgl_terbit_izin": (10, True),
    "tgl_berlaku_izin": (10, True),
    "nama_ttd": (50, True),
    "nip_ttd": (25, True),
    "jabatan_ttd": (150, True),
    "status_izin": (2, True),
    "file_izin": (65535, False),
    "keterangan": (65535, False),
    "file_lampiran": (65535, False),
    "nomenklatur_nomor_izin": (255, False),
    "bln_berlaku_izin": (5, False),  # Number(5)
    "thn_berlaku_izin": (5, False),  # Number(5)
    "jenis_perizinan": (3, False),
}
FILE_DS_FIELDS = {"id_izin": (25, True), "nib": (13, True), "file_izin": (65535, True)}


def receive_response(method: str, *, ok: bool, keterangan: str, errors: list[dict] | None = None) -> dict:
    """receiveNIB / receiveFileDS answer: {"respon<method>": {"status": "1"|"2", "keterangan": ...}}.

    `status` is the PIA's (1: TRUE; 2: FALSE); the field-by-field reasons of a refusal ride along in
    `detail` (OSS reads `status` and `keterangan`; the rest is for the people reading the log)."""
    body = {"status": "1" if ok else "2", "keterangan": keterangan[:255]}
    if errors:
        body["detail"] = errors
    return {f"respon{method}": body}


def error(field: str, reason: str) -> dict:
    return {"field": field, "reason": reason}
