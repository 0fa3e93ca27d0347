"""Writes at the counter (loket): hand a walk-in's application over to their own platform account."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from pintu.audit.services import audit_record
from pintu.errors import DomainError
from permits.models.applications import Application
from permits.services.applications import event_record
from permits.services.index import application_index_sync


class HandOverRefused(DomainError):
    code = "hand_over_refused"
    message = "Permohonan ini tidak dapat diserahkan ke akun tersebut."


class HandOverAccountNotFound(HandOverRefused):
    code = "hand_over_account_not_found"
    message = ("Belum ada akun Pintu dengan email ini. Bantu pemohon mendaftar di halaman Daftar "
               "(akun langsung aktif), lalu serahkan lagi.")


@transaction.atomic
def application_hand_over(*, application: Application, email: str, actor) -> Application:
    """Link a counter application to the applicant's own account, so they follow it (and apply next time) online.

    Only a counter application without an account may be handed over; when the account
    carries a NIK it must be the applicant's, so a file never lands with the wrong person.
    """
    application = Application.objects.select_for_update().select_related("permit_type").get(pk=application.pk)
    if application.channel != Application.Channel.COUNTER:
        raise HandOverRefused("Hanya permohonan dari loket yang dapat diserahkan ke akun pemohon.")
    if application.applicant_id is not None:
        raise HandOverRefused("Permohonan ini sudah terhubung dengan akun pemohon.", code="hand_over_already_linked")
    email = (email or "").strip().lower()
    if not email:
        raise HandOverRefused("Tuliskan email akun Pintu milik pemohon.", code="hand_over_email_required")
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise HandOverAccountNotFound()
    if user.nik and application.applicant_nik and user.nik != application.applicant_nik:
        raise HandOverRefused("NIK pada akun ini berbeda dengan NIK pemohon. Periksa kembali email pemohon.",
                              code="hand_over_nik_mismatch")
    application.applicant = user
    application.applicant_email = user.email
    application.save(update_fields=["applicant", "applicant_email", "updated_at"])
    event_record(application=application, kind="handed_over",
                 message="Permohonan diserahkan ke akun Pintu pemohon; selanjutnya dapat dipantau secara daring.")
    audit_record(actor=actor, action="application.hand_over", target=application,
                 detail={"user": user.pk, "email": user.email})
    application_index_sync(application)
    return application
