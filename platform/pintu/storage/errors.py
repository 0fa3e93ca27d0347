"""Refusals of the storage layer: stable codes for the API, Indonesian messages for people."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from pintu.errors import DomainError, NotFound


class UploadRefused(DomainError):
    code = "upload_refused"
    message = gettext_lazy("Berkas tidak dapat diterima.")


class UploadEmpty(UploadRefused):
    code = "upload_empty"
    message = gettext_lazy("Berkas kosong. Pilih berkas hasil pindaian yang benar.")


class UploadTooLarge(UploadRefused):
    code = "upload_too_large"
    message = gettext_lazy("Ukuran berkas melebihi batas.")


class UploadTooMany(UploadRefused):
    code = "upload_too_many"
    message = gettext_lazy("Persyaratan ini menerima satu berkas. Pilih satu berkas saja.")

    def __init__(self, message=None, *, allowed_photos: bool = False, **detail):
        if message is None and allowed_photos:
            message = "Beberapa berkas hanya dapat digabung bila semuanya foto. Pilih satu PDF, atau foto saja."
        super().__init__(message, **detail)


class UploadTypeNotAllowed(UploadRefused):
    code = "upload_type_not_allowed"
    message = gettext_lazy("Jenis berkas tidak diizinkan.")


class UploadFilenameInvalid(UploadRefused):
    code = "upload_filename_invalid"
    message = gettext_lazy("Nama berkas tidak valid.")


class UploadPdfActiveContent(UploadRefused):
    code = "upload_pdf_active_content"
    message = (gettext_lazy("PDF berisi skrip atau lampiran tersembunyi dan tidak dapat diterima. "
                            "Cetak ulang atau pindai ulang dokumen menjadi PDF biasa."))


class UploadPdfEncrypted(UploadRefused):
    code = "upload_pdf_encrypted"
    message = gettext_lazy("PDF dilindungi sandi/enkripsi dan tidak dapat diperiksa. Unggah PDF tanpa sandi.")


class UploadTruncated(UploadRefused):
    code = "upload_truncated"
    message = gettext_lazy("Berkas tidak utuh (terpotong atau rusak). Unggah ulang berkas tersebut.")


class UploadImageTooLarge(UploadRefused):
    code = "upload_image_dimensions"
    message = gettext_lazy("Dimensi gambar terlalu besar. Pindai ulang dengan resolusi lebih rendah (mis. 300 dpi).")


class StorageKeyInvalid(NotFound):
    """A key outside the current regency's prefix is answered like a missing file: nothing leaks."""

    code = "document_not_found"
    message = gettext_lazy("Dokumen tidak ditemukan.")


class DownloadLinkInvalid(DomainError):
    code = "download_link_invalid"
    message = gettext_lazy("Tautan unduhan tidak valid atau sudah kedaluwarsa. Minta tautan baru dari halaman permohonan.")
    status = 403


class StorageUnavailable(DomainError):
    code = "storage_unavailable"
    message = gettext_lazy("Penyimpanan berkas sedang tidak dapat dihubungi. Silakan coba lagi beberapa saat lagi; "
                           "data Anda belum disimpan.")
    status = 503


class NoRegencyContext(DomainError):
    code = "storage_no_regency"
    message = gettext_lazy("Dokumen hanya dapat disimpan atau dibuka dalam lingkup sebuah daerah.")
