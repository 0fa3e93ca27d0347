"""The counter's receipt (tanda terima) of a submitted application: one builder for the page and the API."""
from __future__ import annotations

from permits.fees import application_cost_statement
from permits.models.applications import Application
from permits.regency import current_regency, regency_today


def tracking_url(application: Application) -> str:
    """The public tracking page on the regency's subdomain, filled in for this application."""
    from permits.services.notify import public_tracking_url

    return public_tracking_url(application, current_regency())


def counter_receipt_pdf(*, application: Application, officer_name: str) -> bytes:
    """The receipt PDF with the tracking QR, the documents received and the cost (Rp 0); submitted files only."""
    # reportlab and qrcode load where a document is made, not at start-up (tests/deploy/test_container.py)
    from permits.documents.pdf import Letterhead, ReceiptDocument, render_receipt_pdf

    regency = current_regency()
    received = [d.requirement.name for d in application.documents.filter(is_current=True).select_related("requirement")]
    receipt = ReceiptDocument(
        letterhead=Letterhead.from_regency(regency), registration_number=application.registration_number,
        tracking_code=application.tracking_code, tracking_url=tracking_url(application),
        permit_type=application.permit_type.name, applicant_name=application.applicant_name,
        submitted_at=application.submitted_at, time_zone=regency.time_zone, requirements_received=received,
        channel=str(application.get_channel_display()), officer_name=officer_name,
        due_on=regency_today(at=application.due_at) if application.due_at else None,
        cost_text=application_cost_statement(application).text,
        notes=["Berikutnya Anda dapat mengajukan izin secara daring dari rumah: daftar akun Pintu dengan email "
               "Anda, lalu minta petugas menyerahkan permohonan ini ke akun Anda."],
    )
    return render_receipt_pdf(receipt)
