import uuid
from types import SimpleNamespace

import pytest

from pintu.notify.services import preference_set
from tests.services import celery_worker


@pytest.fixture
def texting_applicant(applicant):
    applicant.phone = "081234567890"
    applicant.save()
    preference_set(user=applicant, wants_sms=True, wants_whatsapp=False)
    return applicant


@pytest.fixture(scope="module")
def notify_worker(django_db_setup, tmp_path_factory):
    """One real Celery worker on a queue of its own, shared by the module's tests that do not kill theirs:
    each boot (Django and the app, in a new process) cost a test 3-5 s. Mail goes to files in `mail_dir`;
    tests tell their messages apart by recipient."""
    folder = tmp_path_factory.mktemp("notify-worker")
    queue, mail_dir = f"test-notify-{uuid.uuid4().hex[:8]}", folder / "mail"
    with celery_worker(queue=queue, log_path=folder / "worker.log", CELERY_TASK_DEFAULT_QUEUE=queue,
                       EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(mail_dir)):
        yield SimpleNamespace(queue=queue, mail_dir=mail_dir)


@pytest.fixture
def shared_worker(notify_worker, settings):
    """The module's worker, and this process queuing notifications onto its queue."""
    settings.NOTIFY_QUEUE = notify_worker.queue
    return notify_worker
