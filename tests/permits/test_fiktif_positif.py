"""Fiktif positif: a lapsed SLA grants the permit, numbered and issued like any other, exactly once."""
from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from permits.models.applications import Application, Decision, Permit
from permits.services.catalog import permit_type_update
from permits.services.fiktif_positif import fiktif_positif_run
from permits.services.reminders import regency_tick
from pintu.notify.models import OutboxMessage
from tests.factories import UserFactory, office_build, submitted_application

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")


def lapsing_application(*, due: dt.datetime, fiktif_positif: bool = True):
    """In the current schema: an application in process whose SLA ends at `due`."""
    office = office_build()
    permit_type_update(permit_type=office.permit_type, is_fiktif_positif=fiktif_positif)
    application = submitted_application(office, UserFactory())
    Application.objects.filter(pk=application.pk).update(due_at=due)
    return office, application


def test_lapsed_sla_grants_a_numbered_signed_permit_flagged_everywhere(in_trenggalek, client_for, trenggalek):
    office, application = lapsing_application(due=timezone.now() - dt.timedelta(minutes=1))
    assert fiktif_positif_run() == 1
    application.refresh_from_db()
    assert application.status == "issued"
    decision = Decision.objects.get(application=application)
    assert decision.is_fiktif_positif and decision.outcome == "approved"
    assert decision.official_id == office.signer.pk and decision.rule_id == office.delegation.pk
    permit = Permit.objects.get(application=application)
    assert permit.is_fiktif_positif and permit.number.startswith("503/") and permit.signer_name == office.signer.full_name
    assert application.events.filter(kind="fiktif_positif").exists()
    # The PDF says so (authority line), the verification page shows the badge, the applicant is told.
    import io

    from pypdf import PdfReader

    from pintu.storage.services import document_read

    pdf = PdfReader(io.BytesIO(document_read(permit.pdf_key)))
    assert "fiktif positif" in " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    page = client_for(trenggalek).get(f"/verifikasi/{permit.verification_code}/").content.decode()
    assert "Fiktif positif" in page
    issued = OutboxMessage.objects.get(application_id=application.pk, event="issued")
    assert "fiktif positif" in issued.body
    # Running again changes nothing.
    assert fiktif_positif_run() == 0
    assert Permit.objects.filter(application=application).count() == 1


def test_without_an_official_in_authority_the_office_signs(in_trenggalek):
    from permits.models import Position

    office, application = lapsing_application(due=timezone.now() - dt.timedelta(hours=2))
    Position.objects.filter(pk=office.head_position.pk).update(holder=None)
    assert fiktif_positif_run() == 1
    permit = Permit.objects.get(application=application)
    assert permit.signer_name == in_trenggalek.office_name
    assert Decision.objects.get(application=application).official_id is None


def test_not_granted_before_the_sla_ends_when_returned_or_when_the_type_does_not_follow_the_rule(in_trenggalek):
    _, not_yet = lapsing_application(due=timezone.now() + dt.timedelta(minutes=5))
    _, other_type = lapsing_application(due=timezone.now() - dt.timedelta(days=1), fiktif_positif=False)
    _, returned = lapsing_application(due=timezone.now() - dt.timedelta(days=1))
    Application.objects.filter(pk=returned.pk).update(status=Application.Status.RETURNED, paused_at=timezone.now())
    assert fiktif_positif_run() == 0
    assert not Permit.objects.filter(application__in=[not_yet, other_type, returned]).exists()


def test_the_sla_ends_at_the_regencys_own_midnight_wita_before_wib(trenggalek, mataram):
    """Both due at the end of 2 March 2026, local time: 23:30 WIB is already 00:30 WITA the next day."""
    results = {}
    for regency, zone in ((trenggalek, WIB), (mataram, WITA)):
        with schema_context(regency.schema_name):
            _, application = lapsing_application(due=dt.datetime(2026, 3, 2, 23, 59, 59, tzinfo=zone))
            results[regency.schema_name] = application
    moment = dt.datetime(2026, 3, 2, 23, 30, tzinfo=WIB)
    with schema_context(mataram.schema_name):
        assert regency_tick(now=moment)["fiktif_positif"] == 1
        permit = Permit.objects.get(application=results[mataram.schema_name])
        assert permit.valid_from == dt.date(2026, 3, 3)  # issued on Mataram's 3 March
    with schema_context(trenggalek.schema_name):
        assert regency_tick(now=moment)["fiktif_positif"] == 0
        assert regency_tick(now=moment + dt.timedelta(minutes=30))["fiktif_positif"] == 1
        assert Permit.objects.get(application=results[trenggalek.schema_name]).valid_from == dt.date(2026, 3, 3)


@pytest.fixture
def committed(django_db_setup, django_db_blocker, database_restored):
    with django_db_blocker.unblock():
        yield


@pytest.mark.slow
def test_two_schedulers_at_once_grant_exactly_one_permit(committed):
    with schema_context("trenggalek"):
        office, application = lapsing_application(due=timezone.now() - dt.timedelta(minutes=1))
        # Committed rows stay for the session: a number format of its own keeps other tests' numbers free.
        permit_type_update(permit_type=office.permit_type, number_format="503/{seq:04d}/FPKONK/DPM-PTSP/{year}")
    barrier = threading.Barrier(2)
    counts = []

    def run():
        try:
            with schema_context("trenggalek"):
                barrier.wait()
                counts.append(fiktif_positif_run())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(counts) == [0, 1]
    with schema_context("trenggalek"):
        assert Permit.objects.filter(application=application).count() == 1
        assert Decision.objects.filter(application=application, is_fiktif_positif=True).count() == 1
        assert OutboxMessage.objects.filter(application_id=application.pk, event="issued").count() == 1


def test_the_system_not_the_head_is_recorded_as_deciding_and_signing(in_trenggalek):
    """Issue #14.6: nobody acted, so no person is the actor of the decision or the signature."""
    from pintu.audit.models import AuditEntry

    office, application = lapsing_application(due=timezone.now() - dt.timedelta(minutes=1))
    assert fiktif_positif_run() == 1
    permit = Permit.objects.get(application=application)
    decided = AuditEntry.objects.get(action="application.decide", target_id=str(application.pk))
    signed = AuditEntry.objects.get(action="permit.sign", target_id=str(permit.pk))
    for entry in (decided, signed):
        assert entry.actor_id is None
        assert entry.detail["by"] == "system" and entry.detail["under"] == "fiktif_positif"
        assert entry.detail["in_name_of"] == office.signer.pk  # named, not acting
