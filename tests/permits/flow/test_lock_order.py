"""Lock order on real connections: every writer takes its own rows (application, then task), then the
regency's audit chain lock, then the shared rows (registration and permit numbers, events and their
queues), and never holds a row FOR UPDATE that a concurrent transaction's foreign-key check needs at
COMMIT (Django's foreign keys are deferred, so that check comes after that transaction's audit lock).
Each test below holds the audit lock in one transaction, lets a second writer reach it, then lets the
first go on: in the wrong order PostgreSQL breaks the deadlock with an error and the applicant or the
official gets a 503 (seen by bench/load.py's submissions and decisions)."""
from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from permits.models.applications import Application
from permits.services.applications import (
    application_document_upload,
    application_draft_create,
    application_form_save,
    application_submit,
)
from permits.services.processing import application_approve
from tests.factories import UserFactory, office_build, submitted_application, to_signing, upload
from tests.services import wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def committed(django_db_setup, django_db_blocker, database_restored):
    with django_db_blocker.unblock():
        yield


def _waiting_for_the_audit_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


def _complete_draft(office, applicant) -> Application:
    """A draft with its form and both requirements, ready to submit (committed)."""
    draft = application_draft_create(permit_type=office.permit_type, applicant=applicant)
    application_form_save(application=draft, data=office.form, actor=applicant)
    for requirement, name in zip(office.requirements[:2], ("ktp.pdf", "str.pdf"), strict=True):
        application_document_upload(application=draft, requirement=requirement, file=upload(name), actor=applicant)
    return draft


def _race(*, holds, waits, then=None) -> list[Exception]:
    """`holds` runs in a transaction of Trenggalek and keeps its audit lock; `waits` starts on a connection of
    its own; once it waits for that lock, the first transaction goes on with `then` and commits. Returns what
    either raised (a deadlock is an OperationalError)."""
    holding, release, errors = threading.Event(), threading.Event(), []

    def first():
        try:
            with schema_context("trenggalek"), transaction.atomic():
                holds()
                holding.set()
                release.wait(30)
                if then is not None:
                    then()
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)
        finally:
            holding.set()
            connection.close()

    def second():
        try:
            holding.wait(30)
            with schema_context("trenggalek"):
                waits()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    try:
        wait_for(_waiting_for_the_audit_lock, timeout=30, what="the second writer to wait for the audit lock")
    finally:
        release.set()
        for thread in threads:
            thread.join(60)
    return errors


def test_a_submission_and_an_audited_draft_of_the_same_type_do_not_deadlock(committed):
    """The submission locks its own application row, never the permit type the draft's new row points at."""
    with schema_context("trenggalek"):
        office = office_build()
        applicant = UserFactory()
        draft = _complete_draft(office, applicant)
    errors = _race(holds=lambda: application_draft_create(permit_type=office.permit_type, applicant=UserFactory()),
                   waits=lambda: application_submit(application=draft, actor=applicant))
    assert errors == []
    with schema_context("trenggalek"):
        assert Application.objects.get(pk=draft.pk).registration_number


def test_a_decision_and_an_audited_draft_of_the_same_type_do_not_deadlock(committed):
    """Approving locks the application, not its permit type: the draft's foreign-key check at COMMIT
    (after its audit lock) does not wait for the official, who waits for that audit lock."""
    with schema_context("trenggalek"):
        office = office_build()
        application = submitted_application(office, UserFactory())
        task = to_signing(office, application)
    errors = _race(holds=lambda: application_draft_create(permit_type=office.permit_type, applicant=UserFactory()),
                   waits=lambda: application_approve(task=task, officer=office.signer))
    assert errors == []
    with schema_context("trenggalek"):
        assert Application.objects.get(pk=application.pk).status == Application.Status.ISSUED


def test_a_file_from_oss_and_a_submission_take_the_number_after_the_audit_lock(committed):
    """receiveNIB creates a draft (audited) and submits it in one transaction: it holds the audit lock when
    it takes the registration number. A submission beside it takes the audit lock before the number too,
    so it waits for the first instead of holding the number's row that the first needs."""
    with schema_context("trenggalek"):
        office = office_build()
        applicant = UserFactory()
        received, submitted = _complete_draft(office, applicant), _complete_draft(office, applicant)
    errors = _race(holds=lambda: application_draft_create(permit_type=office.permit_type, applicant=UserFactory()),
                   then=lambda: application_submit(application=received, actor=applicant),
                   waits=lambda: application_submit(application=submitted, actor=applicant))
    assert errors == []
    with schema_context("trenggalek"):
        numbers = [Application.objects.get(pk=a.pk).registration_number for a in (received, submitted)]
    assert all(numbers) and numbers[0] < numbers[1]  # the transaction that held the lock numbered first


def test_a_complaint_about_a_file_and_an_officer_acting_on_it_do_not_deadlock(committed):
    """The officer's step locks the application FOR NO KEY UPDATE: the complaint's foreign-key check on that
    application at COMMIT (after the complaint's audit lock) does not wait for the officer."""
    from permits.models.applications import StepTask
    from permits.services.complaints import complaint_file
    from permits.services.processing import task_claim

    with schema_context("trenggalek"):
        office = office_build()
        application = submitted_application(office, UserFactory())
        task = StepTask.objects.get(application=application, status="open")
    errors = _race(holds=lambda: complaint_file(description="Berkas saya belum diperiksa sejak minggu lalu.",
                                                registration_number=application.registration_number),
                   waits=lambda: task_claim(task=task, officer=office.front_office))
    assert errors == []
    with schema_context("trenggalek"):
        assert StepTask.objects.get(pk=task.pk).claimed_by_id == office.front_office.pk


def test_a_signed_file_from_oss_and_a_change_queued_for_oss_do_not_deadlock(committed, settings):
    """receiveFileDS takes the audit lock before the OSS file's row, as every writer that queues a change for
    OSS (an event of the file: a decision, a step) does after its own audit lock."""
    import json
    import uuid

    from django.utils import timezone

    from permits.oss.credentials import oss_user_key_rotate
    from permits.oss.models import OssFile
    from permits.oss.receiving import oss_file_ds_receive
    from permits.oss.reporting import oss_status_enqueue
    from tenants.models import Regency

    settings.OSS_SEND_EAGER = True  # nothing is handed to a broker: only the queue's rows matter here
    key = oss_user_key_rotate(regency=Regency.objects.get(schema_name="trenggalek"))  # committed, as OSS finds it
    with schema_context("trenggalek"):
        office = office_build()
        draft = application_draft_create(permit_type=office.permit_type, applicant=UserFactory())
        file = OssFile.objects.create(application=draft, id_izin=f"I-{uuid.uuid4().hex[:12]}", kd_izin="033000000101",
                                      kd_daerah="3503000000", nib="1234567890123", received_at=timezone.now())
    body = json.dumps({"receiveFileDS": {"id_izin": file.id_izin, "nib": file.nib,
                                         "file_izin": "https://oss.go.id/izin/ttd.pdf"}}).encode()
    answers = []
    errors = _race(holds=lambda: application_draft_create(permit_type=office.permit_type, applicant=UserFactory()),
                   then=lambda: oss_status_enqueue(file=file, kd_status="10", key=f"lock-order:{file.pk}"),
                   waits=lambda: answers.append(oss_file_ds_receive(body=body, user_key=key)[0]))
    assert errors == [] and answers == [200]
    with schema_context("trenggalek"):
        assert OssFile.objects.get(pk=file.pk).signed_file_url == "https://oss.go.id/izin/ttd.pdf"
        assert OssFile.objects.get(pk=file.pk).last_kd_status == "10"
