"""/healthz and /readyz answer on every host, before tenant routing, with real checks."""
from __future__ import annotations

import socket

import pytest
from django.test import Client

from pintu.health import checks


@pytest.fixture(autouse=True)
def _fresh_storage_cache():
    checks.storage_cache_clear()
    yield
    checks.storage_cache_clear()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("host", ["localhost", "trenggalek.localhost", "10.42.0.17", "nobody.example.org"])
def test_liveness_answers_on_every_host_without_a_regency(db, host):
    response = Client(HTTP_HOST=host).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("host", ["localhost", "kota-blitar.localhost", "10.42.0.17:8000"])
def test_readiness_is_200_when_database_broker_and_storage_are_up(db, host, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    response = Client(HTTP_HOST=host).get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {"status": "ok", "checks": {"database": "ok", "broker": "ok", "storage": "ok"}, "failed": [],
                    "writable": True}
    assert response["Cache-Control"] == "no-store"
    # The disk probe leaves nothing behind.
    assert list((tmp_path / "media").iterdir()) == []


def test_readiness_is_503_naming_the_broker_when_its_port_is_closed(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = Client(HTTP_HOST="10.42.0.17").get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["broker"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"


def test_readiness_is_503_naming_storage_when_media_root_is_not_writable(db, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"  # a path under a file: cannot be created
    response = Client(HTTP_HOST="trenggalek.localhost").get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_storage_check_is_cached_for_a_few_seconds(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    calls = []
    real = checks._storage_probe
    monkeypatch.setattr(checks, "_storage_probe", lambda: calls.append(1) or real())
    client = Client(HTTP_HOST="localhost")
    for _ in range(5):
        assert client.get("/readyz").status_code == 200
    assert len(calls) == 1


def test_readiness_is_503_naming_the_database_when_it_is_unreachable(django_db_setup, django_db_blocker,
                                                                       settings, tmp_path):
    # Outside the test transaction: the connection is closed and pointed at a closed port.
    from django.db import connection

    settings.MEDIA_ROOT = tmp_path
    with django_db_blocker.unblock():
        original = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict["PORT"] = _closed_port()
        try:
            response = Client(HTTP_HOST="localhost").get("/readyz")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(original)
        assert Client(HTTP_HOST="localhost").get("/readyz").status_code == 200  # back once it is reachable
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]


def test_probes_skip_the_https_redirect_and_host_validation(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["pintu.go.id", ".pintu.go.id"]
    client = Client(HTTP_HOST="10.42.0.17")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    # Everything else on that host is still refused.
    assert client.get("/").status_code == 400


from tests.s3 import s3_server, s3_storage  # noqa: E402,F401 - fixtures (a real SeaweedFS S3 server)


def test_readiness_checks_the_s3_bucket(db, s3_storage, settings):
    assert Client(HTTP_HOST="10.42.0.17").get("/readyz").json()["checks"]["storage"] == "ok"
    options = dict(settings.STORAGES["default"]["OPTIONS"], bucket_name="no-such-bucket")
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    response = Client(HTTP_HOST="10.42.0.17").get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_with_the_primary_down_the_pod_stays_ready_for_reads_while_the_standby_answers(
        django_db_setup, django_db_blocker, settings, tmp_path, monkeypatch):
    """The Kubernetes readiness probe (/readyz/reads): degraded is ready, /readyz (writes) is not."""
    from django.db import connection

    from pintu.health import middleware

    settings.MEDIA_ROOT = tmp_path
    standby = {"ok": True}
    monkeypatch.setattr(middleware, "check_standby",
                        lambda: checks.CheckResult(True) if standby["ok"] else checks.CheckResult(False, "unreachable"))
    client = Client(HTTP_HOST="10.42.0.17")
    with django_db_blocker.unblock():
        assert client.get("/readyz/reads").json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok",
                                                      "storage": "ok"}, "failed": [], "writable": True}
        original = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict["PORT"] = _closed_port()  # the primary is gone
        try:
            reads, writes = client.get("/readyz/reads"), client.get("/readyz")
            standby["ok"] = False
            neither = client.get("/readyz/reads")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(original)
    assert reads.status_code == 200 and reads.json()["status"] == "degraded"
    assert reads.json()["writable"] is False and reads.json()["standby"] == "ok"
    assert writes.status_code == 503 and writes.json()["writable"] is False
    assert neither.status_code == 503 and neither.json()["standby"] == "unreachable"


def test_reads_readiness_is_503_when_something_besides_the_database_fails(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = Client(HTTP_HOST="10.42.0.17").get("/readyz/reads")
    assert response.status_code == 503 and response.json()["failed"] == ["broker"]
