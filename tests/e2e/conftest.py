"""Browser tests: Chromium (Debian's) driven by Playwright through the real server.

They run in Chromium's headless shell (Debian's chromium-headless-shell, the build Playwright itself
uses for headless runs): the same engine without the full browser's UI layers, about a quarter less
CPU than the full build for the browser tests. The full build is started only for what the shell
lacks, the PDF viewer (`pdf_browser`).

The server is gunicorn on a free port serving the test database; regencies are
reached on <subdomain>.localhost, which Chromium resolves to 127.0.0.1.
Screenshots of every step are kept in artifacts/e2e/<test>/.
"""
from __future__ import annotations

import os
import re
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.services import ROOT, free_port, web_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HEADLESS_SHELL = shutil.which("chromium-headless-shell") or CHROMIUM
ARTIFACTS = ROOT / "artifacts" / "e2e"
# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make for set-up are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _committed_rows_removed(database_restored):
    """Browser tests commit (the server is another process): their rows go when the module is done."""


@pytest.fixture(scope="session")
def chromium_path():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium not installed (apt-get install chromium); browser tests skipped outside CI")
    if HEADLESS_SHELL == CHROMIUM and os.environ.get("CI"):
        pytest.fail("Chromium's headless shell is missing: .ci/run installs Debian's chromium-headless-shell")
    return CHROMIUM


def _chromium_launch(browser_type, executable_path: str):
    return browser_type.launch(
        executable_path=executable_path,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage"],
    )


@pytest.fixture(scope="session")
def pintu_server(django_db_setup, django_db_blocker, tmp_path_factory, chromium_path):
    """Base URL parts of the running server: {'port': ..., 'apex': 'http://localhost:PORT'}."""
    port = free_port()
    log = tmp_path_factory.mktemp("web") / "gunicorn.log"
    mail = tmp_path_factory.mktemp("mail")
    # Tasks the server queues go to a queue of this session only; a test that needs them run asks for
    # `e2e_worker` (below).
    queue = f"e2e-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        # PUBLIC_URL_PORT: links the server mails (invitations, resets) point at the port it serves.
        with web_server(port=port, log_path=log, EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                        EMAIL_FILE_PATH=str(mail), CELERY_TASK_DEFAULT_QUEUE=queue, PUBLIC_URL_PORT=str(port)):
            yield {"port": port, "apex": f"http://localhost:{port}", "log": log, "mail": mail, "queue": queue}
        _disconnect_others()


@pytest.fixture(scope="session")
def e2e_worker(pintu_server, tmp_path_factory):
    """A real Celery worker on the server's queue (mail into the server's outbox folder), started by the first
    browser test that needs the server's tasks run and kept for the others: each test starting its own paid
    a worker's boot and stop, and the backlog the tests before it had queued, every time."""
    from tests.services import celery_worker

    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with celery_worker(queue=pintu_server["queue"], log_path=log, CELERY_TASK_DEFAULT_QUEUE=pintu_server["queue"],
                       EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                       EMAIL_FILE_PATH=str(pintu_server["mail"]), PUBLIC_URL_PORT=str(pintu_server["port"])) as proc:
        yield proc


def _disconnect_others() -> None:
    """Let pytest-django drop the test database: the server's connections are gone."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def regency_url(pintu_server, subdomain: str, path: str = "/") -> str:
    return f"http://{subdomain}.localhost:{pintu_server['port']}{path}"


def sign_in_on(page, pintu_server, email: str, subdomain: str = "trenggalek") -> None:
    """Sign `page` in on a regency's sign-in form with the test password; back on that regency after."""
    from tests.factories import TEST_PASSWORD

    page.goto(regency_url(pintu_server, subdomain, "/masuk/"))
    page.fill("#id_username", email)
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(regency_url(pintu_server, subdomain) + "**")


def _permit_issue(*, holder: str, number_tag: str) -> dict:
    """In Trenggalek: a new office whose permit numbers carry `number_tag`, and a file of `holder` taken
    through every step to a signed permit (real services), committed for the web server."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from permits.services.catalog import permit_type_update
    from pintu.identity.services import user_ensure
    from tests.factories import issue, office_build, submitted_application

    suffix = uuid.uuid4().hex[:6]
    try:
        with schema_context("trenggalek"):
            applicant, _ = user_ensure(email=f"izin-{suffix}@contoh.id", full_name=holder, password="kopi-tubruk-77")
            office = office_build()
            permit_type_update(permit_type=office.permit_type,
                               number_format=f"503/{{seq:04d}}/{number_tag}-{suffix.upper()}/DPM-PTSP/{{year}}")
            application = submitted_application(office, applicant)
            permit = issue(office, application)
            return {"code": permit.verification_code, "permit_number": permit.number,
                    "number": application.registration_number, "tracking": application.tracking_code}
    finally:
        connection.close()


@pytest.fixture
def issued_permit(django_db_blocker):
    """`issued_permit(holder=..., number_tag=...)`: a signed permit the server shows (see `_permit_issue`):
    its verification code and number, and its file's registration number and tracking code. Built in a
    thread of its own: pyHanko runs an asyncio loop, and Playwright's thread has one already."""
    def build(*, holder: str, number_tag: str) -> dict:
        with django_db_blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(_permit_issue, holder=holder, number_tag=number_tag).result()
    return build


@pytest.fixture(scope="session")
def browser(chromium_path, pintu_server):
    """Chromium, started after the server so that it closes before it: the connections Chromium keeps open
    (kept alive, opened ahead) each hold a gunicorn thread, and the server's graceful stop waited on them
    until `stop()` killed it (10 s at the end of every session)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _chromium_launch(playwright.chromium, HEADLESS_SHELL)
        yield browser
        browser.close()


@pytest.fixture
def pdf_browser(browser, chromium_path):
    """The full Chromium, for a test that needs its PDF viewer (the headless shell has none); started
    beside `browser`, on the Playwright connection it runs on."""
    pdf = _chromium_launch(browser.browser_type, chromium_path)
    yield pdf
    pdf.close()


class Steps:
    """Takes a numbered screenshot per step into artifacts/e2e/<test>/."""

    def __init__(self, page, name: str):
        self.page = page
        self.dir = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def shot(self, label: str) -> Path:
        self.count += 1
        slug = re.sub(r"[^\w-]+", "-", label)
        path = self.dir / f"{self.count:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="id-ID", viewport={"width": 412, "height": 915})  # a cheap phone
    page = context.new_page()
    page.set_default_timeout(15000)
    page.steps = Steps(page, request.node.name)
    yield page
    context.close()
