"""The Indonesian wording shipped with Pintu, per event and channel; a regency may override each one.

Placeholders are `{name}`; `PLACEHOLDERS` lists which ones an event offers (and the sample values
the template editor's preview renders with).
"""
from __future__ import annotations

from pintu.notify.models import Channel, Event

COMMON = {
    "nama": "Sari Pemohon",
    "daerah": "Kab. Trenggalek",
    "kantor": "DPMPTSP Kab. Trenggalek",
    "jenis_izin": "Surat Izin Praktik Fisioterapis",
    "nomor_registrasi": "3503-2026-000123",
    "tautan": "https://trenggalek.pintu.go.id/permohonan/123/",
}

PLACEHOLDERS: dict[str, dict[str, str]] = {
    Event.SUBMITTED: {**COMMON, "kode_pelacakan": "ABCD2345", "batas_waktu": "12 Maret 2026"},
    Event.RETURNED: {**COMMON, "perbaikan": "KTP: hasil pindai buram. Catatan: unggah ulang KTP yang terbaca."},
    Event.REVIEW_SCHEDULED: {**COMMON, "tahap": "Kajian Dinas Kesehatan; Survei lapangan",
                             "batas_waktu": "10 Maret 2026"},
    Event.SURVEY_SCHEDULED: {**COMMON, "tahap": "Survei lapangan", "jadwal": "Senin, 9 Maret 2026 pukul 09.00 WIB",
                             "perubahan": "", "catatan": " Catatan petugas: mohon pemilik tempat hadir."},
    Event.DECIDED: {**COMMON, "keputusan": "ditolak", "alasan": "Lokasi praktik tidak sesuai tata ruang."},
    Event.ISSUED: {**COMMON, "nomor_izin": "503/0112/SIPF/DPM-PTSP/2026", "berlaku_sampai": "11 Maret 2031",
                   "tautan_unduh": "https://trenggalek.pintu.go.id/permohonan/123/izin.pdf",
                   "keterangan": "", "biaya": "Gratis — tidak dipungut biaya"},
    Event.REVOKED: {**COMMON, "nomor_izin": "503/0112/SIPF/DPM-PTSP/2026", "alasan": "Tempat praktik ditutup."},
    Event.EXPIRING: {**COMMON, "nomor_izin": "503/0112/SIPF/DPM-PTSP/2026", "berlaku_sampai": "11 Maret 2031",
                     "sisa_hari": "14",
                     # online: "Ajukan perpanjangan dari halaman izin Anda: <tautan>"; a counter-only type or
                     # a holder without an account: where and with what to renew at the counter
                     "cara_perpanjang": "Ajukan perpanjangan dari halaman izin Anda: "
                                        "https://trenggalek.pintu.go.id/permohonan/123/"},
    Event.STEP_DUE: {**COMMON, "nama": "Budi Petugas", "tahap": "Pemeriksaan kelengkapan",
                     "batas_waktu": "Selasa, 10 Maret 2026"},
    Event.LATE_DIGEST: {**COMMON, "nama": "Kepala DPMPTSP", "jumlah": "2", "tanggal": "Senin, 9 Maret 2026",
                        "daftar": "- 3503-2026-000123 · Kajian Dinas Kesehatan · jatuh tempo 6 Maret 2026 (1 hari kerja)\n"
                                  "- 3503-2026-000124 · Penandatanganan · jatuh tempo 5 Maret 2026 (2 hari kerja)"},
    Event.EXPIRING_DIGEST: {**COMMON, "nama": "Administrator DPMPTSP", "jumlah": "2", "tanggal": "Senin, 9 Maret 2026",
                            "daftar": "- 503/0112/SIPF/DPM-PTSP/2021 · Surat Izin Praktik Fisioterapis · Sari Pemohon · "
                                      "berakhir 8 Mei 2026 (60 hari lagi)\n"
                                      "- 503/0040/SIPB/DPM-PTSP/2021 · Surat Izin Praktik Bidan · Rina · "
                                      "berakhir 23 Maret 2026 (14 hari lagi) · perpanjangan sedang diproses"},
}

_SIGN = "\n\nSalam,\n{kantor}\n(Pesan otomatis Pintu — mohon tidak membalas email ini.)"

EMAIL: dict[str, tuple[str, str]] = {
    Event.SUBMITTED: (
        "Permohonan {nomor_registrasi} diterima",
        "Yth. {nama},\n\nPermohonan {jenis_izin} Anda telah kami terima dengan nomor registrasi "
        "{nomor_registrasi} (kode pelacakan {kode_pelacakan}). Batas waktu layanan: {batas_waktu}.\n"
        "Ikuti prosesnya di {tautan}" + _SIGN),
    Event.RETURNED: (
        "Permohonan {nomor_registrasi} perlu diperbaiki",
        "Yth. {nama},\n\nPermohonan {jenis_izin} nomor {nomor_registrasi} dikembalikan untuk perbaikan.\n\n"
        "Yang perlu diperbaiki:\n{perbaikan}\n\nPerbaiki dan ajukan kembali di {tautan}\n"
        "Waktu layanan berhenti sementara dan berlanjut setelah Anda mengajukan kembali." + _SIGN),
    Event.REVIEW_SCHEDULED: (
        "Permohonan {nomor_registrasi} masuk kajian teknis",
        "Yth. {nama},\n\nPermohonan {jenis_izin} nomor {nomor_registrasi} kini dalam tahap: {tahap}.\n"
        "Tahap ini dijadwalkan selesai paling lambat {batas_waktu}. Bila ada survei lapangan, petugas akan "
        "menghubungi Anda.\nPantau di {tautan}" + _SIGN),
    Event.SURVEY_SCHEDULED: (
        "Jadwal survei lapangan permohonan {nomor_registrasi}",
        "Yth. {nama},\n\nPetugas survei {kantor} akan mengunjungi lokasi permohonan {jenis_izin} nomor "
        "{nomor_registrasi} pada {jadwal}.{perubahan}{catatan}\nPetugas resmi tidak pernah meminta imbalan.\n"
        "Pantau di {tautan}" + _SIGN),
    Event.DECIDED: (
        "Keputusan atas permohonan {nomor_registrasi}",
        "Yth. {nama},\n\nPermohonan {jenis_izin} nomor {nomor_registrasi} {keputusan}.\nAlasan: {alasan}\n\n"
        "Rincian: {tautan}" + _SIGN),
    Event.ISSUED: (
        "Izin Anda terbit: {nomor_izin}",
        "Yth. {nama},\n\n{jenis_izin} Anda telah terbit dengan nomor {nomor_izin}, berlaku sampai "
        "{berlaku_sampai}.{keterangan}\n\nUnduh izin (PDF bertanda tangan elektronik): {tautan_unduh}\n"
        "Biaya: {biaya}. Laporkan bila ada petugas yang meminta imbalan." + _SIGN),
    Event.REVOKED: (
        "Izin {nomor_izin} dicabut",
        "Yth. {nama},\n\n{jenis_izin} nomor {nomor_izin} telah dicabut.\nAlasan: {alasan}\n\n"
        "Rincian: {tautan}" + _SIGN),
    Event.EXPIRING: (
        "Izin {nomor_izin} berakhir dalam {sisa_hari} hari",
        "Yth. {nama},\n\n{jenis_izin} nomor {nomor_izin} berlaku sampai {berlaku_sampai} "
        "({sisa_hari} hari lagi).\n{cara_perpanjang}" + _SIGN),
    Event.STEP_DUE: (
        "Pengingat: {nomor_registrasi} jatuh tempo {batas_waktu}",
        "Yth. {nama},\n\nLangkah '{tahap}' pada permohonan {nomor_registrasi} ({jenis_izin}) jatuh tempo "
        "{batas_waktu}. Mohon diselesaikan hari ini.\nBuka: {tautan}" + _SIGN),
    Event.LATE_DIGEST: (
        "{jumlah} langkah terlambat per {tanggal}",
        "Yth. {nama},\n\nPer {tanggal}, {jumlah} langkah layanan melewati batas waktu:\n\n{daftar}\n\n"
        "Daftar kerja kantor: {tautan}" + _SIGN),
    Event.EXPIRING_DIGEST: (
        "{jumlah} izin akan berakhir — {daerah}, {tanggal}",
        "Yth. {nama},\n\nPer {tanggal}, {jumlah} izin yang diterbitkan {kantor} mendekati akhir masa berlakunya:\n\n"
        "{daftar}\n\nPemegang izin telah diingatkan: perpanjangan diajukan dari halaman izinnya, atau di loket "
        "untuk izin yang hanya dilayani di loket (Loket → Perpanjangan izin).\n"
        "Daftar kerja kantor: {tautan}" + _SIGN),
}

SHORT: dict[str, str] = {
    Event.SUBMITTED: "{daerah}: permohonan {jenis_izin} diterima, no. {nomor_registrasi}. Lacak: {tautan}",
    Event.RETURNED: "{daerah}: permohonan {nomor_registrasi} perlu diperbaiki: {perbaikan} {tautan}",
    Event.REVIEW_SCHEDULED: "{daerah}: permohonan {nomor_registrasi} masuk tahap {tahap}, s.d. {batas_waktu}.",
    Event.SURVEY_SCHEDULED: "{daerah}: survei lapangan {nomor_registrasi} pada {jadwal}.{perubahan} {tautan}",
    Event.DECIDED: "{daerah}: permohonan {nomor_registrasi} {keputusan}. Alasan: {alasan}",
    Event.ISSUED: "{daerah}: izin {nomor_izin} terbit.{keterangan} Unduh: {tautan_unduh}",
    Event.REVOKED: "{daerah}: izin {nomor_izin} dicabut. Alasan: {alasan}",
    Event.EXPIRING: "{daerah}: izin {nomor_izin} berakhir {berlaku_sampai}. {cara_perpanjang}",
    Event.STEP_DUE: "Pintu: langkah '{tahap}' {nomor_registrasi} jatuh tempo {batas_waktu}.",
    Event.LATE_DIGEST: "Pintu {daerah}: {jumlah} langkah terlambat per {tanggal}. {tautan}",
    Event.EXPIRING_DIGEST: "Pintu {daerah}: {jumlah} izin akan berakhir (per {tanggal}). Rincian di email. {tautan}",
}


def default_for(event: str, channel: str) -> tuple[str, str]:
    """(subject, body) shipped for `event` on `channel`."""
    if channel == Channel.EMAIL:
        return EMAIL[event]
    return "", SHORT[event]
