"""An application from draft to signed permit, by the SOP version frozen at submission."""
import datetime as dt

import pytest

from permits.errors import (
    ActionNotAllowed,
    ApplicationIncomplete,
    NotAuthorizedToSign,
    PermitTypeNotOffered,
    StepAlreadyActed,
)
from permits.index.models import ApplicationIndex
from permits.models.applications import Application, Decision, Permit, StepTask
from permits.services.applications import application_draft_create, application_submit
from permits.services.processing import (
    application_approve,
    application_reject,
    application_return,
    document_review,
    recommendation_give,
    step_forward,
)
from pintu.audit.services import audit_verify
from pintu.errors import PermissionDenied
from tests.factories import submitted_application


def open_tasks(application):
    return list(StepTask.objects.filter(application=application, status="open").select_related("step")
                .order_by("step__order"))


def test_submission_numbers_freezes_sop_starts_clock_and_indexes(office, applicant, trenggalek):
    application = submitted_application(office, applicant)
    assert application.status == Application.Status.IN_PROCESS
    assert application.registration_number.startswith(f"3503-{application.submitted_at.year}-")
    assert len(application.tracking_code) == 8
    assert application.sop.version == 1 and application.sop.status == "published"
    assert application.due_at > application.submitted_at
    [first] = open_tasks(application)
    assert first.step.name == "Pemeriksaan kelengkapan" and first.role == "front_office"
    row = ApplicationIndex.objects.get(regency=trenggalek, application_id=application.pk)
    assert row.applicant_id == applicant.pk and row.status == "in_process"
    assert row.registration_number == application.registration_number


def test_incomplete_submission_is_refused_and_nothing_changes(office, applicant):
    application = application_draft_create(permit_type=office.permit_type, applicant=applicant)
    with pytest.raises(ApplicationIncomplete) as exc:
        application_submit(application=application, actor=applicant)
    assert exc.value.detail["fields"]["alamat_praktik"][0]["code"] == "required"
    assert {r["code"] for r in exc.value.detail["requirements"]} == {"missing"}
    application.refresh_from_db()
    assert application.status == "draft" and application.registration_number is None
    assert not ApplicationIndex.objects.filter(application_id=application.pk).exists()


def test_counter_only_permit_type_cannot_be_applied_for_online(office, applicant):
    from permits.services.catalog import permit_type_update

    permit_type_update(permit_type=office.permit_type, is_online=False)
    with pytest.raises(PermitTypeNotOffered) as exc:
        application_draft_create(permit_type=office.permit_type, applicant=applicant)
    assert "loket" in exc.value.message


def test_whole_journey_parallel_reviews_and_signature_under_delegation(office, applicant, trenggalek):
    application = submitted_application(office, applicant)
    [check] = open_tasks(application)
    step_forward(task=check, officer=office.front_office)
    reviews = open_tasks(application)
    assert [t.agency for t in reviews] == ["Dinas Kesehatan", "Satpol PP"]  # in parallel
    with pytest.raises(PermissionDenied):
        recommendation_give(task=reviews[0], officer=office.police)  # not the health office's officer
    recommendation_give(task=reviews[0], officer=office.health, note="Memenuhi syarat sarana.")
    assert [t.agency for t in open_tasks(application)] == ["Satpol PP"]  # still waiting for the other review
    recommendation_give(task=reviews[1], officer=office.police)
    [signing] = open_tasks(application)
    with pytest.raises(ActionNotAllowed):
        step_forward(task=signing, officer=office.signer)
    application_approve(task=signing, officer=office.signer)

    application.refresh_from_db()
    assert application.status == Application.Status.ISSUED
    decision = Decision.objects.get(application=application)
    assert decision.rule_id == office.delegation.pk and decision.position_id == office.head_position.pk
    permit = Permit.objects.get(application=application)
    assert permit.number == f"503/0001/{office.permit_type.code.upper()}/DPM-PTSP/{permit.issued_at.year}"
    assert permit.valid_until == permit.valid_from.replace(year=permit.valid_from.year + 5) - dt.timedelta(days=1)

    from permits.documents.signing import signer_for_regency
    from pintu.storage.services import document_read

    pdf = document_read(permit.pdf_key)
    result = signer_for_regency(trenggalek).verify(pdf)
    assert result.valid and result.intact
    assert ApplicationIndex.objects.get(application_id=application.pk).status == "issued"
    assert audit_verify() == []


def test_only_the_official_holding_authority_may_sign(office, applicant, officer, trenggalek):
    from pintu.access.models import Role

    application = submitted_application(office, applicant)
    for task in open_tasks(application):
        step_forward(task=task, officer=office.front_office)
    for task in open_tasks(application):
        recommendation_give(task=task, officer=office.health if task.agency == "Dinas Kesehatan" else office.police)
    [signing] = open_tasks(application)
    other_signer = officer(trenggalek, Role.SIGNING_OFFICIAL)
    with pytest.raises(NotAuthorizedToSign) as exc:
        application_approve(task=signing, officer=other_signer)
    assert exc.value.detail["chain"]
    application.refresh_from_db()
    assert application.status == "in_process" and not Permit.objects.filter(application=application).exists()


def test_return_to_applicant_names_the_requirement_and_pauses_the_clock(office, applicant):
    from permits.services.applications import application_document_upload, application_resubmit
    from tests.factories import upload
    application = submitted_application(office, applicant)
    [check] = open_tasks(application)
    ktp = application.documents.get(requirement=office.requirements[0], is_current=True)
    document_review(document=ktp, officer=office.front_office, accepted=False, reason="Foto KTP buram")
    application_return(task=check, officer=office.front_office)
    application.refresh_from_db()
    assert application.status == "returned" and application.paused_at is not None
    assert "KTP: Foto KTP buram" in application.events.last().message
    due_before = application.due_at

    # The file stayed with the applicant for three working days (Mon 2 Nov -> Thu 5 Nov 2026).
    Application.objects.filter(pk=application.pk).update(
        paused_at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.timezone.utc))
    with pytest.raises(ApplicationIncomplete):
        application_resubmit(application=application, actor=applicant)  # the KTP is still the rejected one
    application_document_upload(application=application, requirement=office.requirements[0],
                                file=upload("ktp-baru.pdf", "KTP jelas"), actor=applicant)
    import time_machine  # noqa: F401  (imported lazily: only this test travels in time)
    with time_machine.travel(dt.datetime(2026, 11, 5, 10, tzinfo=dt.timezone.utc), tick=False):
        application_resubmit(application=application, actor=applicant)
    application.refresh_from_db()
    assert application.status == "in_process" and application.paused_working_days == 3
    assert application.due_at.date() > due_before.date()
    assert open_tasks(application)[0].step.name == "Pemeriksaan kelengkapan"  # back where it was returned


def test_second_officer_on_the_same_step_gets_a_clear_message(office, applicant):
    application = submitted_application(office, applicant)
    [check] = open_tasks(application)
    stale = StepTask.objects.get(pk=check.pk)
    step_forward(task=check, officer=office.front_office)
    with pytest.raises(StepAlreadyActed) as exc:
        step_forward(task=stale, officer=office.front_office)
    assert "sudah diproses oleh petugas lain" in exc.value.message


def test_rejection_needs_a_reason_and_closes_the_file(office, applicant):
    application = submitted_application(office, applicant)
    for task in open_tasks(application):
        step_forward(task=task, officer=office.front_office)
    for task in open_tasks(application):
        recommendation_give(task=task, officer=office.health if task.agency == "Dinas Kesehatan" else office.police)
    [signing] = open_tasks(application)
    with pytest.raises(ActionNotAllowed):
        application_reject(task=signing, officer=office.signer, reason="")
    application_reject(task=signing, officer=office.signer, reason="Lokasi praktik tidak sesuai tata ruang")
    application.refresh_from_db()
    assert application.status == "rejected"
    assert Decision.objects.get(application=application).reason.startswith("Lokasi")
