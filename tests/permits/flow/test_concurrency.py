"""Concurrency on real connections: one transition per step; permit numbers unique and gapless."""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from permits.errors import StepAlreadyActed
from permits.models.applications import Permit
from permits.services.processing import application_approve
from tests.factories import UserFactory, applications_at_signing, office_build

pytestmark = pytest.mark.slow


def _prepare(schema: str, count: int):
    with schema_context(schema):
        office = office_build()
        applicant = UserFactory()
        # One through every step by the services, the rest its copies: the signing is what runs concurrently.
        tasks = applications_at_signing(office, applicant, count=count)
    return office, tasks


def _sign(schema: str, office, task) -> str:
    try:
        with schema_context(schema):
            application_approve(task=task, officer=office.signer)
            return Permit.objects.get(application_id=task.application_id).number
    finally:
        connection.close()


def _sequence_numbers(numbers: list[str]) -> list[int]:
    return sorted(int(re.match(r"503/(\d{4})/", n).group(1)) for n in numbers)


@pytest.fixture
def committed(django_db_setup, django_db_blocker, database_restored):
    """These tests commit: every thread has its own connection and must see the data."""
    with django_db_blocker.unblock():
        yield


def test_100_concurrent_issuances_in_one_regency_are_unique_and_gapless(committed):
    office, tasks = _prepare("trenggalek", 100)
    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(lambda t: _sign("trenggalek", office, t), tasks))
    assert len(set(numbers)) == 100
    assert _sequence_numbers(numbers) == list(range(1, 101))


def test_concurrent_issuances_in_two_regencies_each_count_their_own(committed):
    work = {schema: _prepare(schema, 15) for schema in ("trenggalek", "kota_blitar")}
    jobs = [(schema, office, task) for schema, (office, tasks) in work.items() for task in tasks]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda job: (job[0], _sign(*job)), jobs))
    for schema in work:
        assert _sequence_numbers([n for s, n in results if s == schema]) == list(range(1, 16))


def test_two_officers_deciding_the_same_step_at_once_exactly_one_wins(committed):
    office, [task] = _prepare("trenggalek", 1)
    barrier = threading.Barrier(2)
    outcomes = []

    def act():
        barrier.wait()
        try:
            outcomes.append(_sign("trenggalek", office, task))
        except StepAlreadyActed as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=act) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=str)[1] == "step_already_acted" or "step_already_acted" in outcomes
    assert outcomes.count("step_already_acted") == 1
    with schema_context("trenggalek"):
        assert Permit.objects.filter(application_id=task.application_id).count() == 1
