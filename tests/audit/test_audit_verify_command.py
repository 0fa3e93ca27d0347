"""`manage.py audit_verify`: names the edited, deleted or reordered entry and exits 1; intact chains pass."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from pintu.audit.models import AuditEntry
from pintu.audit.services import audit_record


@pytest.fixture
def chain(trenggalek):
    """Five fresh entries at the end of Trenggalek's chain; returns their sequence numbers."""
    with schema_context("trenggalek"):
        entries = [audit_record(actor=None, action="test.step", detail={"n": i}) for i in range(5)]
    return [e.seq for e in entries]


def run(*args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_intact_chains_pass_for_one_regency_and_for_all(chain):
    out, error = run("--schema", "trenggalek")
    assert error is None and "trenggalek: utuh" in out
    out, error = run()
    assert error is None and "trenggalek: utuh" in out and "kota_blitar: utuh" in out


def test_an_edited_entry_is_named(chain):
    with schema_context("trenggalek"):
        AuditEntry.objects.filter(seq=chain[2]).update(detail={"n": 99})
    out, error = run("--schema", "trenggalek")
    assert error is not None and "trenggalek" in str(error)
    assert f"entri #{chain[2]}: isi telah diubah" in out
    assert "RUSAK" in out


def test_a_deleted_entry_is_named(chain):
    with schema_context("trenggalek"):
        AuditEntry.objects.filter(seq=chain[1]).delete()
    out, error = run()
    assert error is not None
    assert f"entri #{chain[1]} hilang" in out
    assert "kota_blitar: utuh" in out  # the other regency's chain is untouched and reported so


def test_reordered_entries_are_named(chain):
    first, second = chain[1], chain[2]
    with schema_context("trenggalek"):
        AuditEntry.objects.filter(seq=first).update(seq=10**9)
        AuditEntry.objects.filter(seq=second).update(seq=first)
        AuditEntry.objects.filter(seq=10**9).update(seq=second)
    out, error = run("--schema", "trenggalek")
    assert error is not None
    assert f"entri #{first}" in out and f"entri #{second}" in out


def test_unknown_schema_is_an_error(trenggalek):
    out, error = run("--schema", "atlantis")
    assert error is not None and "atlantis" in str(error)


def test_exit_code_is_1_when_broken_and_0_when_intact(chain):
    """manage.py exits with the CommandError's return code (run_from_argv would close the test's connection)."""
    assert run("--schema", "trenggalek")[1] is None  # no error: exit status 0
    with schema_context("trenggalek"):
        AuditEntry.objects.filter(seq=chain[4]).update(action="test.edited")
    out, error = run("--schema", "trenggalek")
    assert error is not None and error.returncode == 1
    assert f"entri #{chain[4]}: isi telah diubah" in out and "Rantai audit rusak di: trenggalek" in str(error)


def test_the_nightly_task_verifies_each_regency_in_its_own_schema_and_records_it(chain, blitar):
    from pintu.audit.models import AuditCheckpoint
    from pintu.audit.tasks import audit_verify_all
    from pintu.celery import app

    with schema_context("kota_blitar"):
        AuditEntry.objects.filter(seq=1).update(action="test.edited")  # Blitar's chain broken, Trenggalek's intact
    app.conf.task_always_eager = True
    try:
        assert audit_verify_all() >= 2
    finally:
        app.conf.task_always_eager = False
    with schema_context("trenggalek"):
        trenggalek = AuditCheckpoint.objects.get()
    with schema_context("kota_blitar"):
        broken = AuditCheckpoint.objects.get()
    assert trenggalek.full_verified_at and trenggalek.full_problems == [] and trenggalek.seq == chain[-1]
    assert broken.full_verified_at and broken.full_problems == ["entri #1: isi telah diubah"]
