"""Rules the permits domain refuses, each with a stable code and an Indonesian message.

`fields` in the detail maps a field name to [{"code", "message"}], so the API
and the pages can put each message next to its field.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from pintu.errors import DomainError


class FieldsInvalid(DomainError):
    """Base of refusals that name fields: detail["fields"] maps a field to [{"code", "message"}]."""

    @classmethod
    def one(cls, field: str, code: str, message: str):
        return cls(message, fields={field: [{"code": code, "message": message}]})


class ConfigInvalid(FieldsInvalid):
    """Bad configuration input; detail["fields"] names each bad field with a code."""

    code = "config_invalid"
    message = gettext_lazy("Isian konfigurasi tidak valid.")
    fields_at_top = True

    def __init__(self, message: str | None = None, *, fields: dict[str, list[dict]] | None = None, **detail):
        fields = fields or {}
        if message is None and fields:
            message = next(iter(fields.values()))[0]["message"]
        super().__init__(message, fields=fields, **detail)


class PermitTypeInvalid(ConfigInvalid):
    code = "permit_type_invalid"
    message = gettext_lazy("Data jenis izin tidak valid.")


class PermitTypeCodeTaken(PermitTypeInvalid):
    code = "permit_type_code_taken"


class FormDataInvalid(ConfigInvalid):
    code = "form_data_invalid"
    message = gettext_lazy("Isian formulir permohonan tidak valid.")


class SopNotEditable(DomainError):
    code = "sop_not_editable"
    message = gettext_lazy("SOP ini tidak dapat diubah.")


class SopInvalid(DomainError):
    """Publishing refused; detail["errors"] and detail["warnings"] list the reasons."""

    code = "sop_invalid"
    message = gettext_lazy("SOP belum dapat diberlakukan.")


class DelegationOverlap(ConfigInvalid):
    code = "delegation_overlap"
    message = gettext_lazy("Sudah ada pelimpahan wewenang dari jabatan ini untuk jenis izin dan tanggal yang sama.")


class ActingOverlap(ConfigInvalid):
    code = "acting_overlap"
    message = gettext_lazy("Sudah ada pelaksana (Plh/Plt) untuk jabatan ini pada tanggal yang sama.")


class PermitTypeInUse(DomainError):
    code = "permit_type_in_use"
    message = gettext_lazy("Jenis izin ini sudah dipakai oleh permohonan sehingga tidak dapat dihapus.")


class PositionInUse(DomainError):
    code = "position_in_use"
    message = gettext_lazy("Jabatan ini masih dipakai oleh pelimpahan wewenang.")


class ConfigImportInvalid(DomainError):
    code = "config_import_invalid"
    message = gettext_lazy("Berkas konfigurasi tidak valid.")


class TemplateNotAdoptable(DomainError):
    code = "template_not_adoptable"
    message = gettext_lazy("Templat ini tidak dapat diadopsi.")


# --- Applications (issue #4) -------------------------------------------------


class ApplicationNotEditable(DomainError):
    code = "application_not_editable"
    message = gettext_lazy("Permohonan ini tidak dapat diubah pada tahap sekarang.")


class StatusChangeRefused(ApplicationNotEditable):
    """The transition table (`permits.services.transitions`) has no such change of an application's status
    for this actor; detail["from"], detail["to"] and detail["by"] name it. Same code as before the table."""


class SurveyScheduleInvalid(ConfigInvalid):
    """A site visit that cannot be scheduled so; detail["fields"] names the date, the officer or the note."""

    code = "survey_schedule_invalid"
    message = gettext_lazy("Jadwal survei lapangan tidak valid.")


class SurveyNotReady(DomainError):
    """Closing a site-survey step without its visit, its report or its checklist."""

    code = "survey_not_ready"
    message = gettext_lazy("Langkah survei belum dapat diselesaikan.")


class ApplicationIncomplete(DomainError):
    """Submission refused; detail["fields"] / detail["requirements"] name what is missing."""

    code = "application_incomplete"
    message = gettext_lazy("Permohonan belum lengkap.")


class PermitTypeNotOffered(DomainError):
    code = "permit_type_not_offered"
    message = gettext_lazy("Jenis izin ini tidak dapat diajukan melalui saluran ini.")


class StepAlreadyActed(DomainError):
    code = "step_already_acted"
    message = gettext_lazy("Langkah ini sudah diproses oleh petugas lain. Muat ulang halaman untuk melihat keadaan terbaru.")
    status = 409


class ActionNotAllowed(DomainError):
    code = "action_not_allowed"
    message = gettext_lazy("Tindakan ini tidak diperbolehkan pada langkah SOP ini.")


class NotAuthorizedToSign(DomainError):
    code = "not_authorized_to_sign"
    message = gettext_lazy("Anda tidak memegang wewenang menandatangani jenis izin ini hari ini.")
    status = 403


class SignerNotReady(DomainError):
    code = "signer_not_ready"
    message = gettext_lazy("Sertifikat tanda tangan elektronik pejabat tidak dapat dipakai.")


class PermitAlreadyRevoked(DomainError):
    code = "permit_already_revoked"
    message = gettext_lazy("Izin ini sudah dicabut.")


# --- Satisfaction survey (SKM) ------------------------------------------------


class SurveyInvalid(DomainError):
    """detail["fields"] names each element left empty or out of range."""

    code = "survey_invalid"
    message = gettext_lazy("Isian survei belum lengkap: beri nilai 1–4 untuk setiap unsur layanan.")


class SurveyAlreadyAnswered(DomainError):
    code = "survey_already_answered"
    message = gettext_lazy("Layanan untuk permohonan ini sudah Anda nilai. Terima kasih — setiap permohonan dinilai satu kali.")
    status = 409


class SurveyNotOpen(DomainError):
    code = "survey_not_open"
    message = gettext_lazy("Penilaian layanan dibuka setelah permohonan selesai (izin terbit atau ditolak).")


class RegistrationNumberUnknown(DomainError):
    code = "registration_number_unknown"
    message = (gettext_lazy("Nomor registrasi dan kode pelacakan tidak cocok dengan permohonan di daerah ini. Periksa kembali "
                            "(keduanya ada di tanda terima) atau kosongkan isian ini."))


# --- Complaints (pengaduan) ---------------------------------------------------


class ComplaintInvalid(FieldsInvalid):
    code = "complaint_invalid"
    message = gettext_lazy("Isian pengaduan tidak valid.")


class ComplaintNotFound(DomainError):
    code = "complaint_not_found"
    message = gettext_lazy("Kode pengaduan tidak ditemukan. Periksa kembali kode yang Anda terima saat mengirim pengaduan.")
    status = 404


class ComplaintTransitionNotAllowed(DomainError):
    code = "complaint_transition_not_allowed"
    message = gettext_lazy("Tindakan ini tidak dapat dilakukan pada status pengaduan sekarang.")
    status = 409


class PermitValidityEnded(DomainError):
    """The document the permit rests on (an STR, say) ends before the permit would start."""

    code = "permit_validity_ended"
    message = gettext_lazy("Dokumen yang menjadi dasar izin sudah tidak berlaku; izin tidak dapat diterbitkan.")
