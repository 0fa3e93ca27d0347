"""A failing counter request reaches Sentry (a real ingest server on 127.0.0.1, the SDK's own HTTP
transport) without the walk-in's personal data: no frame variables or request data from a regency
page, NIKs blanked however they are written, nor anything the request typed, uploaded or loaded."""
from __future__ import annotations

import json

import pytest
import sentry_sdk
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from permits.models.applications import Application
from tests.deploy.sentry_server import SentryServer
from tests.factories import office_build

NAME = "Darmo Wiryosentono"
NIK = "3503011505900001"
NIK_SPACED = "3503 0115 0590 0001"
NIK_DOTTED = "35.03.01.150590.0001"
PHONE = "081234567890"
ADDRESS = "Jl. Kenanga Wungu No. 17, Sumbergedong"
FILE_NAME = "ktp-darmo-wiryosentono.pdf"
FILE_SECRET = "GOLONGAN-DARAH-B-AGAMA-ISLAM"


@pytest.fixture
def sentry():
    from pintu.sentry import sentry_init

    with SentryServer() as server:
        sentry_init(dsn=server.dsn, environment="production")
        try:
            yield server
        finally:
            sentry_sdk.get_client().close()
            sentry_sdk.init()  # disabled again for the rest of the suite


@pytest.fixture
def walk_in(trenggalek, client_for):
    with schema_context("trenggalek"):
        built = office_build()
    client = client_for(trenggalek, built.front_office)
    client.raise_request_exception = False
    response = client.post("/loket/baru/", {"permit_type": built.permit_type.pk, "applicant_name": NAME,
                                            "applicant_nik": NIK, "applicant_phone": PHONE, "applicant_email": ""})
    assert response.status_code == 302
    return built, client, response["Location"]


def _assert_no_personal_data(event: dict) -> None:
    text = json.dumps(event, ensure_ascii=False)
    for secret in (NAME, NIK, NIK_SPACED, NIK_DOTTED, PHONE, ADDRESS, FILE_NAME, FILE_SECRET, "Kenanga Wungu"):
        assert secret not in text, f"{secret!r} reached Sentry"
    assert event["tags"]["regency"] == "trenggalek"
    frames = [f for value in event["exception"]["values"] for f in (value.get("stacktrace") or {}).get("frames", [])]
    assert frames and not any("vars" in f for f in frames), "frame variables of a regency page were sent"
    assert not (event.get("request") or {}).get("data")


def test_a_failing_counter_save_sends_no_walk_in_data(walk_in, sentry, monkeypatch):
    built, client, url = walk_in
    real_save = Application.save

    def failing_save(self, *args, **kwargs):
        if "form_data" in (kwargs.get("update_fields") or []):  # a bug that words the applicant into the error
            raise RuntimeError(f"gagal menyimpan isian {self.applicant_name} (NIK {NIK_SPACED} / {NIK_DOTTED}, "
                               f"telp {self.applicant_phone})")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Application, "save", failing_save)
    response = client.post(url, {**built.form, "alamat_praktik": ADDRESS})
    assert response.status_code == 500
    sentry_sdk.flush()
    events = sentry.wait_for_events(1)
    assert events, "the failing request sent no event"
    event = events[-1]
    _assert_no_personal_data(event)
    value = event["exception"]["values"][-1]
    assert value["type"] == "RuntimeError" and value["value"].startswith("gagal menyimpan isian [name] (NIK [nik]")


def test_a_failing_counter_upload_sends_no_file_name_or_content(walk_in, sentry, monkeypatch):
    built, client, url = walk_in
    import permits.services.applications as services

    def failing_store(*, files, filenames=None, **kwargs):
        head = files[0].read(1024)  # noqa: F841 - the first KB of the scan, in a frame Sentry would send
        raise OSError(f"penyimpanan menolak {(filenames or [files[0].name])[0]}")

    monkeypatch.setattr(services, "upload_store", failing_store)
    scan = SimpleUploadedFile(FILE_NAME, f"%PDF-1.4\n% {NAME} {NIK} {FILE_SECRET}\n".encode(),
                              content_type="application/pdf")
    response = client.post(f"{url}unggah/{built.requirements[0].pk}/", {"file": scan})
    assert response.status_code == 500
    sentry_sdk.flush()
    events = sentry.wait_for_events(1)
    assert events, "the failing request sent no event"
    _assert_no_personal_data(events[-1])
    assert events[-1]["exception"]["values"][-1]["value"].startswith("penyimpanan menolak [")
