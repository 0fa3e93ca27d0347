"""Test fixtures: a real PostgreSQL (embedded unless DATABASE_URL is set) with
two real regencies, Trenggalek and Kota Blitar, provisioned once per session
through the same clone path as production."""
from __future__ import annotations

import os

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.factories import UserFactory, build_office, ministry_user
from tests.services import host_of


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings, django_db_blocker):
    """The test database cloned from the one an earlier process built (tests.services.db_template_begin):
    pytest-django then keeps it as it is instead of creating and migrating it."""
    from tests.services import db_template_begin

    if request.config.getvalue("create_db"):
        return False
    with django_db_blocker.unblock():
        return db_template_begin() or request.config.getvalue("reuse_db")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tenants.services import public_tenant_ensure, regency_provision
    from tests.services import db_template_clone_drop, db_template_end

    with django_db_blocker.unblock():
        public_tenant_ensure()
        regency_provision(code="3503", subdomain="trenggalek", welcome=False)
        regency_provision(code="3572", subdomain="kota-blitar", welcome=False)
        db_template_end()
    yield
    with django_db_blocker.unblock():
        db_template_clone_drop()


@pytest.fixture(autouse=True)
def _public_schema_first():
    """Every test starts on the public schema, whatever schema the test before it on this worker left the
    connection in (the order tests.scheduling deals them is not the collection's)."""
    from django.db import connection

    if connection.schema_name != "public":
        connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _fresh_routing_cache():
    from tenants import routing

    routing._hosts.clear()
    routing._state["check_after"] = 0.0
    yield
    routing._hosts.clear()


@pytest.fixture
def trenggalek(db):
    from tenants.models import Regency

    return Regency.objects.get(code="3503")


@pytest.fixture
def blitar(db):
    from tenants.models import Regency

    return Regency.objects.get(code="3572")


@pytest.fixture
def client_for():
    """client_for(regency, user=None): a test client that talks to that regency's subdomain."""

    def make(regency=None, user=None) -> Client:
        client = Client(HTTP_HOST=host_of(regency))
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def officer(db):
    """officer(regency, role, agency=""): a user holding that role in that regency."""
    from pintu.access.services import membership_grant

    def make(regency, role, agency="", **user_fields):
        user = UserFactory(**user_fields)
        with schema_context(regency.schema_name):
            membership_grant(user=user, role=role, agency=agency)
        return user

    return make


@pytest.fixture
def applicant(db):
    return UserFactory(full_name="Sari Pemohon")


@pytest.fixture
def in_trenggalek(trenggalek):
    """Work inside Trenggalek's schema."""
    with schema_context(trenggalek.schema_name):
        yield trenggalek


@pytest.fixture
def mataram(db):
    """Kota Mataram (WITA), provisioned for this test."""
    from tenants.services import regency_provision

    return regency_provision(code="5271", welcome=False).regency


@pytest.fixture
def trenggalek_office(trenggalek):
    """Trenggalek's practice-permit office (tests.factories.office_build), the test left in the public schema:
    one shared by consecutive tests that ask for it, each in a savepoint of its transaction (tests.services)."""
    from tests.services import office_shared

    return office_shared() or build_office(trenggalek)


@pytest.fixture
def office(in_trenggalek, trenggalek_office):
    """Trenggalek's practice-permit office, the test working inside Trenggalek's schema."""
    return trenggalek_office


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    from tests.services import office_run_begin

    office_run_begin(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    from tests.services import office_run_end

    try:
        return (yield)
    finally:
        office_run_end(item.config, nextitem)


@pytest.fixture
def eager_celery():
    """Tasks run in this process as they are queued; tenant-schemas-celery still switches schema per task."""
    from pintu.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def inspector(db):
    return ministry_user("inspector", full_name="Ibu Inspektur", email="inspektur@kementerian.go.id")


@pytest.fixture
def ministry_admin(db):
    return ministry_user("administrator", full_name="Admin Kementerian", email="admin@kementerian.go.id")


@pytest.fixture(scope="module")
def database_restored(django_db_setup, django_db_blocker):
    """For a module whose tests commit (their server, worker, threads or pg_dump are other connections): when
    the module is done on this worker, every row it committed is gone and every row it changed is back, as
    the worker found them before its first test (tests.dbstate), so no later test sees them."""
    from tests import dbstate

    with django_db_blocker.unblock():
        dbstate.baseline_take()
    yield
    with django_db_blocker.unblock():
        dbstate.restore()


@pytest.fixture(scope="module", autouse=True)
def _database_as_found(request):
    """Every module that uses the database leaves it as it found it: rows left behind by one that does not
    ask for `database_restored` are put back too, and its last test errors, naming the tables."""
    if request.node.nodeid not in request.config.stash.get(_DB_MODULES, set()):
        yield
        return
    from tests import dbstate
    from tests.services import office_run_end

    blocker = request.getfixturevalue("django_db_blocker")
    request.getfixturevalue("django_db_setup")
    # The shared office's transaction (tests.services) is rolled back first: the baseline and the comparison
    # read committed rows only, never an office that no test committed.
    office_run_end(request.config)
    with blocker.unblock():
        dbstate.baseline_take()
    yield
    office_run_end(request.config)
    with blocker.unblock():
        left = dbstate.restore()
    if left:
        pytest.fail(f"{request.node.nodeid} committed rows and left them behind (now put back): " + "; ".join(left)
                    + ". Give its committing fixture `database_restored` (tests/conftest.py).", pytrace=False)


_DB_MODULES = pytest.StashKey[set]()


def pytest_collection_modifyitems(config, items):
    """Browser tests after the ordinary ones in the collection (tests.scheduling deals them first with
    `--dist worksteal`); the modules that use the database, for `_database_as_found`."""
    items.sort(key=lambda item: "/e2e/" in str(item.fspath))
    config.stash[_DB_MODULES] = {item.nodeid.split("::", 1)[0] for item in items if "django_db_setup" in item.fixturenames}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """An ordinary test after a browser test on the same worker runs without Playwright's event loop, from its
    first fixture to its last: the session's sync Playwright leaves the loop marked running in this thread,
    where asyncio.run (pyHanko signing) refuses to run, and Django would keep the connections of the test's
    transaction (set up by pytest-django's fixtures) apart from those the test uses (asgiref's Local is a
    context variable while a loop runs, thread-local otherwise), which would commit."""
    import asyncio

    loop = asyncio._get_running_loop()
    if loop is None or "/e2e/" in str(item.fspath):
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


def pytest_collection_finish(session):
    """What start-up and collection made (the app, the libraries, every test module and its parameters) lives
    until the process ends: moved out of the garbage collector's sight (gc.freeze), its full collections scan
    only what the tests make. The isolation probes and the page tests in one process: 4-7 % less CPU (two
    alternated pairs)."""
    import gc

    gc.collect()
    gc.freeze()


def pytest_xdist_make_scheduler(config, log):
    """`--dist worksteal` (as `make test` runs) is tests.scheduling's: long modules first, browser tests on
    two workers of their own from the start, ordinary tests filling the gaps."""
    if config.getvalue("dist") == "worksteal" and os.environ.get("PINTU_TEST_PLAIN_WORKSTEAL") != "1":
        from tests.scheduling import PoolScheduling

        return PoolScheduling(config, log)
    return None


def pytest_runtest_logreport(report):
    if hasattr(report, "node"):  # xdist's controller only: the workers' reports come with their node
        _REPORTS.append(report)


def pytest_sessionfinish(session):
    """The controller keeps this run's seconds per module for the next run's deal (tests.scheduling)."""
    if _REPORTS:
        from tests.scheduling import LAST_RUN, durations_save

        durations_save(LAST_RUN, _REPORTS)


_REPORTS: list = []


def pytest_configure(config):
    """Always create the test database, even when only tests that commit (browser tests,
    concurrency tests: they use no `db` fixture) are selected, e.g. with -k.

    Passwords are hashed with MD5 here and in every server and worker the tests start (the environment
    variable; pintu.settings reads it outside production): Argon2 costs 0.1-1.5 s per account and
    nearly every test makes several. tests/identity/test_accounts.py checks the platform's Argon2."""
    import os

    from django.conf import settings

    os.environ["PINTU_TEST_FAST_HASHER"] = "1"
    fast = "django.contrib.auth.hashers.MD5PasswordHasher"
    if settings.PASSWORD_HASHERS[0] != fast:  # the settings were read before this hook
        settings.PASSWORD_HASHERS = [fast, *settings.PASSWORD_HASHERS]

    import pytest_django.fixtures as pd_fixtures

    original = pd_fixtures._get_databases_for_setup

    def with_default(items):
        aliases, serialized = original(items)
        return aliases | {"default"}, serialized

    pd_fixtures._get_databases_for_setup = with_default
