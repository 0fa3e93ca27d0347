"""Seeding helpers for dashboard tests: real offices, real submissions and decisions through the services."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django_tenants.utils import schema_context

from tests.factories import UserFactory

UTC = dt.timezone.utc


@pytest.fixture
def mataram(db):
    from tenants.services import regency_provision

    return regency_provision(code="5271", subdomain="kota-mataram", welcome=False).regency


@pytest.fixture
def eager_celery():
    from pintu.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def at(zone: str, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


def submit(office, applicant=None, *, channel="online"):
    """A real submission (service), with its channel."""
    from permits.models import Application
    from tests.permits.flow.conftest import submitted_application

    application = submitted_application(office, applicant or UserFactory())
    if channel != "online":
        Application.objects.filter(pk=application.pk).update(channel=channel)
        application.refresh_from_db()
    return application


def place(application, **fields):
    """Move a real application's moments to fixed dates (the clock cannot be moved for a service call)."""
    from permits.models import Application

    Application.objects.filter(pk=application.pk).update(**fields)
    application.refresh_from_db()
    return application


def issue(office, application):
    """Take a submitted application through every SOP step to an issued permit (real services)."""
    from permits.models import Permit, StepTask
    from permits.services.processing import task_act

    for _ in range(2):
        for task in StepTask.objects.filter(application=application, status="open"):
            officer = office.front_office if task.role == "front_office" else \
                (office.health if task.agency == "Dinas Kesehatan" else office.police)
            task_act(task=task, officer=officer, action="forward" if task.role == "front_office" else "recommend")
    task = StepTask.objects.get(application=application, status="open", role="signing_official")
    task_act(task=task, officer=office.signer, action="approve_sign")
    return Permit.objects.get(application_id=application.pk)


def build_office(regency):
    from tests.permits.flow.conftest import office_build

    with schema_context(regency.schema_name):
        return office_build()
