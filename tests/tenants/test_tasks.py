"""A Celery task runs in the right regency's schema, through the real broker and a real worker."""
import uuid

import pytest
from django_tenants.utils import schema_context

from pintu.identity.models import User
from tenants.tasks import regency_admin_welcome
from tests.services import celery_worker

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("database_restored")]  # the worker commits the resent invitation


def test_welcome_task_runs_in_the_schema_it_was_queued_from(trenggalek, tmp_path):
    admin = User.objects.get(email="admin@trenggalek.localhost")
    mail_dir = tmp_path / "mail"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with celery_worker(queue=queue, log_path=tmp_path / "worker.log",
                       EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                       EMAIL_FILE_PATH=str(mail_dir)):
        with schema_context("trenggalek"):
            in_trenggalek = regency_admin_welcome.apply_async(args=[admin.pk], queue=queue)
        with schema_context("kota_blitar"):
            in_blitar = regency_admin_welcome.apply_async(args=[admin.pk], queue=queue)
        assert in_trenggalek.get(timeout=60) == f"trenggalek:{admin.email}"
        # Blitar's schema holds no membership for Trenggalek's administrator.
        assert in_blitar.get(timeout=60) == "no-membership"
    messages = [p.read_text() for p in mail_dir.iterdir()]
    assert len(messages) == 1
    assert "Kab. Trenggalek" in messages[0]
    assert "http://trenggalek.localhost:8000/" in messages[0]
    assert "Administrator instansi" in messages[0]
    assert admin.email in messages[0]
