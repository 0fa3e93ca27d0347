"""Keeps the public cross-regency index row of an application in step with the regency's own row."""
from __future__ import annotations

from permits.index.models import ApplicationIndex
from permits.models.applications import Application, Permit, StepTask
from permits.regency import current_regency
from permits.selectors.applications import PERMIT_STATE_LABELS, permit_state

_NEXT_ACTION = {
    Application.Status.DRAFT: "Lengkapi dan ajukan permohonan",
    Application.Status.RETURNED: "Perbaiki berkas yang dikembalikan, lalu ajukan ulang",
    Application.Status.ISSUED: "Unduh izin",
    Application.Status.REJECTED: "Lihat alasan penolakan",
}


def _next_action(application: Application) -> str:
    if application.status in _NEXT_ACTION:
        return _NEXT_ACTION[application.status]
    open_tasks = StepTask.objects.filter(application=application, status=StepTask.Status.OPEN).select_related("step")
    names = ", ".join(t.step.name for t in open_tasks)
    return f"Menunggu petugas: {names}" if names else ""


#: The portal's next step once a permit exists, by its state (a revoked permit offers no download).
_PERMIT_NEXT_ACTION = {
    "valid": "Unduh izin",
    "revoked": "Izin dicabut: tidak berlaku lagi",
    "expired": "Masa berlaku izin sudah berakhir",
    "renewed": "Izin sudah diperpanjang: unduh izin yang baru",
}


def _permit_values(application: Application) -> tuple[dict, str]:
    permit = None
    if application.status == Application.Status.ISSUED:
        permit = Permit.objects.filter(application_id=application.pk).first()
    if permit is None:
        return {"permit_number": "", "verification_code": "", "permit_valid_until": None, "permit_status": "",
                "permit_issued_at": None}, ""
    state = permit_state(permit)
    return {"permit_number": permit.number, "verification_code": permit.verification_code,
            "permit_valid_until": permit.valid_until,
            "permit_status": Permit.Status.REVOKED if state == "revoked" else permit.status,
            "permit_issued_at": permit.issued_at}, state


def application_index_sync(application: Application) -> None:
    """Upsert the index row; runs inside the caller's transaction (same database, public schema).

    Also after a permit's revocation: the row keeps the verification code and says "revoked".
    """
    regency = current_regency()
    permit_values, state = _permit_values(application)
    ApplicationIndex.objects.update_or_create(
        regency_id=regency.pk, application_id=application.pk,
        defaults=dict(
            applicant_id=application.applicant_id,
            registration_number=application.registration_number or "",
            permit_type_name=application.permit_type.name,
            channel=application.channel,
            status=application.status,
            status_label=str(PERMIT_STATE_LABELS[state] if state else application.get_status_display()),
            next_action=_PERMIT_NEXT_ACTION[state] if state else _next_action(application),
            submitted_at=application.submitted_at,
            due_at=application.due_at,
            updated_at=application.updated_at,
            **permit_values,
        ),
    )
