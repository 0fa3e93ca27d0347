"""Request ids, JSON logs, Sentry events without personal data, and `check --deploy`."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from pintu.access.models import Role

ROOT = Path(__file__).resolve().parents[2]
NIK = "3503014501900002"
EMAIL = "sari.wulandari@contoh.id"
NAME = "Sari Wulandari"


def test_request_id_is_taken_from_the_proxy_and_returned(client_for, trenggalek):
    client = client_for(trenggalek)
    response = client.get("/", HTTP_X_REQUEST_ID="edge-7f3a9c")
    assert response["X-Request-ID"] == "edge-7f3a9c"


def test_request_id_is_made_when_missing_or_unsafe(client_for, trenggalek):
    client = client_for(trenggalek)
    made = client.get("/")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"] != "bad id\nwith newline"


def test_json_log_lines_carry_regency_request_id_and_user_id_not_email(client_for, trenggalek, officer, monkeypatch):
    from pintu.logging import ContextFilter, JsonFormatter

    user = officer(trenggalek, Role.VERIFIER, email=EMAIL, full_name=NAME)
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("pintu.test.regency")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    import pintu.web.views as views

    real = views.membership_roles

    def logging_roles(*, user):
        roles = real(user=user)
        logger.info("home for %s (NIK %s)", user.email, NIK)
        return roles

    monkeypatch.setattr(views, "membership_roles", logging_roles)
    try:
        response = client_for(trenggalek, user).get("/", HTTP_X_REQUEST_ID="req-42")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 200
    record = json.loads(lines[-1])
    assert record["regency"] == "trenggalek"
    assert record["request_id"] == "req-42"
    assert record["user_id"] == user.pk
    assert record["level"] == "INFO"
    assert EMAIL not in lines[-1] and NIK not in lines[-1]


class CaptureTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events: list[dict] = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type in ("event", "transaction") and item.payload.json:
                self.events.append(item.payload.json)


@pytest.fixture
def sentry_events():
    from pintu.sentry import sentry_init

    transport = CaptureTransport()
    sentry_init(dsn="https://public@sentry.invalid/1", environment="production", transport=transport)
    yield transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # disabled again for the rest of the suite


def test_sentry_event_is_tagged_with_regency_and_request_id_and_has_no_personal_data(
        client_for, trenggalek, officer, monkeypatch, sentry_events):
    user = officer(trenggalek, Role.VERIFIER, email=EMAIL, full_name=NAME, nik=NIK)
    import pintu.web.views as views

    def failing_roles(*, user):
        email, nik, full_name = user.email, user.nik, user.full_name  # noqa: F841 - locals Sentry would send
        raise ValueError(f"cannot load roles for {user.full_name} <{user.email}> NIK {user.nik}")

    monkeypatch.setattr(views, "membership_roles", failing_roles)
    client = client_for(trenggalek, user)
    client.raise_request_exception = False
    response = client.get("/", HTTP_X_REQUEST_ID="req-sentry-1")
    assert response.status_code == 500
    sentry_sdk.flush()

    errors = [e for e in sentry_events if e.get("exception")]
    assert errors, "the failing request sent no error event"
    event = errors[-1]
    tags = event["tags"]
    assert tags["regency"] == "trenggalek"
    assert tags["request_id"] == "req-sentry-1"
    assert event["environment"] == "production"
    assert event.get("release")
    text = json.dumps(event)
    for secret in (NIK, EMAIL, NAME):
        assert secret not in text, f"{secret!r} reached Sentry"
    assert "cannot load roles" in event["exception"]["values"][-1]["value"]
    assert "user" not in event or not event["user"].get("email")


def _test_database_url() -> str:
    from tests.services import database_url
    return database_url()


def _production_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PINTU_", "DJANGO_"))}
    env.update(
        PINTU_ENV="production",
        SECRET_KEY="x8#kL2!pQ9vR4@tY7$wZ1%mN6^bC3&dF5*gH0(jK-uI_production-test-key-not-secret",
        ALLOWED_HOSTS="pintu.go.id,.pintu.go.id",
        PINTU_DOMAIN="pintu.go.id",
        DATABASE_URL=_test_database_url(),
        REDIS_URL=os.environ["REDIS_URL"],
        PYTHONPATH=f"{ROOT / 'platform'}:{ROOT}",
    )
    return env


def test_check_deploy_is_clean_under_production_settings(db):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    issues = [line.strip() for line in output.splitlines() if line.strip().startswith("?:") or ": (" in line]
    assert issues == [], output
    assert "Traceback" not in output, output
    assert result.returncode == 0 or issues, output
