"""Issuing a permit: number (regency format, yearly, gapless), PDF with QR, electronic signature."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Protocol

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from permits.documents.text import date_id
from permits.errors import PermitAlreadyRevoked, PermitValidityEnded
from permits.fees import application_cost_statement
from permits.models.applications import Application, Decision, Permit, StepTask
from permits.models.workflow import Action
from permits.regency import current_regency, regency_today
from permits.selectors.delegation import decision_signer_nip
from permits.selectors.forms import form_answers
from permits.services.applications import event_record
from permits.services.catalog import letter_render, permit_number_issue
from permits.services.index import application_index_sync
from permits.services.transitions import By, status_change
from permits.signals import document_stored
from pintu.audit.services import audit_record
from pintu.storage.services import generated_document_store
from tenants.selectors import regency_public_url

if TYPE_CHECKING:
    from permits.documents.pdf import PermitDocument
    from pintu.identity.models import User


class Signer(Protocol):
    """Who a permit names as its signer: the official (a `User`) or, under fiktif positif, the office."""

    @property
    def pk(self) -> int | None: ...
    @property
    def full_name(self) -> str: ...
    @property
    def nik(self) -> str | None: ...


def authority_text(decision: Decision) -> str:
    if decision.is_fiktif_positif:
        return "Dianggap dikabulkan (fiktif positif) karena batas waktu layanan terlampaui"
    if decision.rule is not None:
        return (f"Berdasarkan pelimpahan wewenang {decision.rule.legal_basis_number} "
                f"tanggal {date_id(decision.rule.legal_basis_date)}")
    return "Berdasarkan wewenang kepala daerah"


def validity_until(*, application: Application, starts: dt.date) -> tuple[dt.date | None, str]:
    """Until when a permit starting on `starts` is valid, and why it ends then.

    The permit type's months, capped by the date field of its form that the permit rests on
    (`validity_capped_by`: an STR's end date): a permit never outlives that document."""
    permit_type = application.permit_type
    until = (starts + relativedelta(months=permit_type.validity_months) - dt.timedelta(days=1)
             if permit_type.validity_months else None)
    key = permit_type.validity_capped_by
    if not key:
        return until, ""
    try:
        cap = dt.date.fromisoformat(str(application.form_data.get(key) or ""))
    except ValueError:
        return until, ""
    field = permit_type.form_fields.filter(key=key).only("label").first()
    label = field.label if field else key
    if cap < starts:
        raise PermitValidityEnded(gettext("%(label)s berakhir %(date_id)s, sebelum izin berlaku: izin tidak dapat diterbitkan. Tolak atau "
                                          "kembalikan permohonan untuk diperbarui.") % {"label": label, "date_id": date_id(cap)})
    if until is None or cap < until:
        return cap, f"mengikuti {label[:1].lower()}{label[1:]}"
    return until, ""


def recommendations_of(application: Application) -> list[StepTask]:
    """Every technical recommendation the decision rests on, in the order the SOP gave them."""
    return list(StepTask.objects.filter(application=application, action=Action.RECOMMEND, status=StepTask.Status.DONE)
                .select_related("step", "completed_by").order_by("stage", "step__order", "completed_at", "pk"))


def _recommendations_text(recommendations: list[StepTask], tz: str) -> str:
    """ "rekomendasi teknis Dinas Kesehatan (2 Desember 2026) dan Satpol PP (3 Desember 2026)" """
    parts = [f"{task.agency or task.step.name} ({date_id(task.completed_at, tz)})" for task in recommendations]
    if not parts:
        return ""
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " dan " + parts[-1]
    return f"rekomendasi teknis {joined}"


def permit_document_build(*, application: Application, decision: Decision, signer: Signer | None, number: str,
                          verification_code: str, issued_at: dt.datetime) -> PermitDocument:
    """The permit as it is printed: the letter filled from the form, validity, signer and authority."""
    from permits.documents.pdf import Letterhead, PermitDocument

    regency = current_regency()
    permit_type = application.permit_type
    today = regency_today(at=issued_at)
    valid_until, validity_reason = validity_until(application=application, starts=today)
    position = decision.position.name if decision.position else "Pejabat penandatangan"
    acting = {"plh": "Plh.", "plt": "Plt."}.get(decision.acting.kind, "") if decision.acting else ""
    recommendations = recommendations_of(application)
    cited = _recommendations_text(recommendations, regency.time_zone)
    signer_name = signer.full_name if signer is not None else "(belum ada pejabat berwenang)"
    values = {
        "applicant_name": application.applicant_name, "applicant_nik": application.applicant_nik,
        "permit_number": number, "permit_type": permit_type.name, "regency_name": regency.name,
        "office_name": regency.office_name, "issued_on": date_id(issued_at, regency.time_zone),
        "valid_until": date_id(valid_until) if valid_until else "selama kegiatan berlangsung",
        "signer_name": signer_name, "signer_position": position, "authority": authority_text(decision),
        "recommendations": cited or "data permohonan",
    }
    answers = form_answers(application)
    body = letter_render(permit_type.letter_body, values=values,
                         form={**application.form_data, **{key: shown for key, _, shown in answers}}) or (
        f"Memberikan {permit_type.name} kepada {application.applicant_name} sesuai data permohonan "
        f"{application.registration_number}.")
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    if recommendations and "{recommendations}" not in (permit_type.letter_body or ""):
        # The letter cites every recommendation it rests on, not only the one its text names.
        paragraphs.insert(0, f"Memperhatikan {cited}.")
    return PermitDocument(
        letterhead=Letterhead.from_regency(regency),
        title=(permit_type.letter_title or permit_type.name).upper(),
        permit_number=number,
        decision_text=paragraphs,
        applicant_name=application.applicant_name,
        form_rows=[(label, shown) for _, label, shown in answers],
        valid_from=today, valid_until=valid_until, validity_reason=validity_reason, issued_at=issued_at,
        time_zone=regency.time_zone,
        verification_url=regency_public_url(regency, f"/verifikasi/{verification_code}/"),
        official_name=signer_name, official_position=position, official_id=decision_signer_nip(decision),
        authority=authority_text(decision), acting_as=acting, cost_text=application_cost_statement(application).text,
        registration_number=application.registration_number or "",
    )


def permit_draft_pdf(*, application: Application) -> bytes:
    """The permit as it will be printed if signed today, unsigned and watermarked DRAF: what the
    signing official reads before deciding. Takes no number and writes nothing."""
    from permits.documents.pdf import render_permit_pdf
    from permits.selectors.delegation import delegation_resolve

    now = timezone.now()
    authority = delegation_resolve(permit_type=application.permit_type, on=regency_today(at=now))
    draft = Decision(application=application, outcome=Decision.Outcome.APPROVED, official=authority.official,
                     position=authority.position, rule=authority.rule, acting=authority.acting, decided_at=now)
    document = permit_document_build(application=application, decision=draft, signer=authority.official,
                                     number="(diberikan saat ditandatangani)", verification_code="draf",
                                     issued_at=now)
    return render_permit_pdf(document, draft=True)


def permit_issue(*, application: Application, decision: Decision, signer: Signer) -> Permit:
    """Number, render, sign and store the permit; all or nothing with the decision's transaction."""
    # reportlab, qrcode and pyhanko load here, not at start-up (~60% of `manage.py check`);
    # web workers warm them after forking (deploy/gunicorn.conf.py).
    from permits.documents.pdf import render_permit_pdf
    from permits.documents.signing import SigningOfficial, signer_for_regency, signer_require_ready

    assert transaction.get_connection().in_atomic_block, "permit_issue runs inside the decision's transaction"
    regency = current_regency()
    permit_type = application.permit_type
    issued_at = decision.decided_at
    today = regency_today(at=issued_at)
    valid_until, _ = validity_until(application=application, starts=today)  # refuses before a number is taken
    sub_key = str(application.form_data.get(permit_type.number_counter_key, "")) if permit_type.number_counter_key else ""
    number = permit_number_issue(permit_type=permit_type, on=today, sub_key=sub_key)
    verification_code = secrets.token_urlsafe(18)
    position = decision.position.name if decision.position else "Pejabat penandatangan"
    document = permit_document_build(application=application, decision=decision, signer=signer, number=number,
                                     verification_code=verification_code, issued_at=issued_at)
    backend = signer_for_regency(regency)
    official = SigningOfficial(name=signer.full_name, position=position, nik=signer.nik or "")
    signer_require_ready(backend=backend, official=official)
    signed = backend.sign(render_permit_pdf(document), signer=official)
    stored = generated_document_store(data=signed, kind="permits")
    # the signed PDF is stored like an upload: it counts on the regency's storage meter
    document_stored.send(sender=Permit, document=stored, regency=regency)
    permit = Permit.objects.create(
        application=application, number=number, verification_code=verification_code, issued_at=issued_at,
        valid_from=today, valid_until=valid_until, pdf_key=stored.key, sha256=stored.sha256,
        signer_name=signer.full_name, is_fiktif_positif=decision.is_fiktif_positif,
    )
    if decision.is_fiktif_positif:
        status_change(application=application, verb="fiktif_positif", by=By.SYSTEM)
    else:
        status_change(application=application, verb="approve", by=By.AUTHORITY)
    application.save(update_fields=["status", "decided_at", "updated_at"])
    event_record(application=application, kind="issued", message=f"Izin terbit dengan nomor {number}.")
    system = decision.is_fiktif_positif  # signed automatically under the rule: the system acted, not the signer
    audit_record(actor=None if system else signer, action="permit.sign", target=permit,
                 detail={"number": number, "sha256": stored.sha256, "application": application.pk,
                         **({"by": "system", "under": "fiktif_positif", "in_name_of": getattr(signer, "pk", None)}
                            if system else {})})
    if application.renewal_of_id:
        # The renewed permit's own file now reads "Izin diperpanjang" in the portal.
        application_index_sync(application.renewal_of.application)
    return permit


@transaction.atomic
def permit_revoke(*, permit: Permit, actor: User, reason: str) -> Permit:
    """Revoke an issued permit with a reason; the verification page shows it at once."""
    permit = Permit.objects.select_for_update(no_key=True).get(pk=permit.pk)
    if permit.status == Permit.Status.REVOKED:
        raise PermitAlreadyRevoked()
    if not reason.strip():
        from permits.errors import ActionNotAllowed

        raise ActionNotAllowed(gettext("Tuliskan alasan pencabutan."), code="reason_required")
    permit.status = Permit.Status.REVOKED
    permit.revoked_at, permit.revoked_by, permit.revoked_reason = timezone.now(), actor, reason.strip()
    permit.save()
    event_record(application=permit.application, kind="revoked", message=f"Izin dicabut. Alasan: {reason}")
    audit_record(actor=actor, action="permit.revoke", target=permit, detail={"reason": reason})
    application_index_sync(permit.application)
    return permit
