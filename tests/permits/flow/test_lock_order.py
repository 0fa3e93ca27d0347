"""Lock order on real connections: a submission locks its own application row, never the permit type
it joins to. Otherwise it held the type's row while waiting for the regency's audit lock, and any
audited write that had inserted a row pointing at that type (checked at COMMIT: Django's foreign keys
are deferred) waited for the submission in turn: PostgreSQL broke the deadlock with an error, and the
applicant got a 503 (seen by bench/load.py's submissions)."""
from __future__ import annotations

import threading
import time

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
from tests.factories import UserFactory, office_build, upload

pytestmark = pytest.mark.slow


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield


def _waiting_for_the_audit_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


def test_a_submission_and_an_audited_draft_of_the_same_type_do_not_deadlock(committed):
    with schema_context("trenggalek"):
        office = office_build()
        applicant = UserFactory()
        draft = application_draft_create(permit_type=office.permit_type, applicant=applicant)
        application_form_save(application=draft, data=office.form, actor=applicant)
        for requirement, name in zip(office.requirements[:2], ("ktp.pdf", "str.pdf"), strict=True):
            application_document_upload(application=draft, requirement=requirement, file=upload(name), actor=applicant)
    holding, release, errors = threading.Event(), threading.Event(), []

    def audited_draft():  # takes the audit lock, then inserts a row pointing at the permit type
        try:
            with schema_context("trenggalek"), transaction.atomic():
                application_draft_create(permit_type=office.permit_type, applicant=UserFactory())
                holding.set()
                release.wait(30)
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)
        finally:
            connection.close()

    def submission():
        try:
            holding.wait(30)
            with schema_context("trenggalek"):
                application_submit(application=draft, actor=applicant)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=audited_draft), threading.Thread(target=submission)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while not _waiting_for_the_audit_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_for_the_audit_lock(), "the submission never reached the audit lock"
    release.set()  # the draft commits: its foreign-key check needs the permit type's row
    for thread in threads:
        thread.join(60)
    assert errors == []
    with schema_context("trenggalek"):
        assert Application.objects.get(pk=draft.pk).registration_number
