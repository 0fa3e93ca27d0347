"""Documents are kept under the regency's prefix, read back only by that regency, and reached
only through expiring links bound to it — on local disk and on a real S3 server."""
from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from django_tenants.utils import schema_context

from pintu.storage.errors import NoRegencyContext, StorageKeyInvalid, StorageUnavailable, UploadRefused
from pintu.storage.services import (
    document_open,
    document_read,
    document_response,
    document_sha256,
    document_store,
    document_url,
)
from tests.storage import samples

pytestmark = pytest.mark.django_db


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - 127.0.0.1 test server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# --- local disk (the default) ------------------------------------------------


def test_upload_is_stored_under_the_regency_prefix_with_its_digest(local_storage, trenggalek):
    data = samples.pdf_bytes("Surat rekomendasi organisasi profesi")
    with schema_context(trenggalek.schema_name):
        stored = document_store(file=data, kind="requirement", filename="rekomendasi IFI.pdf")
        assert document_read(stored.key) == data
    assert stored.key.startswith("trenggalek/requirement/") and stored.key.endswith(".pdf")
    assert "rekomendasi" not in stored.key  # the client's name never becomes a key
    assert (stored.sha256, stored.size, stored.content_type) == (document_sha256(data), len(data), "application/pdf")
    assert stored.display_name == "rekomendasi IFI.pdf"
    assert (local_storage / stored.key).read_bytes() == data


def test_refused_upload_stores_nothing(local_storage, trenggalek):
    with schema_context(trenggalek.schema_name), pytest.raises(UploadRefused):
        document_store(file=samples.ELF, kind="requirement", filename="ktp.pdf")
    assert not local_storage.exists() or not any(p.is_file() for p in local_storage.rglob("*"))


def test_another_regencys_key_is_not_found(local_storage, trenggalek, blitar):
    with schema_context(blitar.schema_name):
        theirs = document_store(file=samples.pdf_bytes("milik Blitar"), kind="requirement").key
    with schema_context(trenggalek.schema_name):
        for key in (theirs, f"trenggalek/../{theirs}", "trenggalek/requirement/../../kota_blitar/x.pdf"):
            with pytest.raises(StorageKeyInvalid) as caught:
                document_open(key)
            assert caught.value.status == 404
        with pytest.raises(StorageKeyInvalid):
            document_url(theirs)


def test_no_documents_outside_a_regency(local_storage):
    with schema_context("public"), pytest.raises(NoRegencyContext):
        document_store(file=samples.pdf_bytes(), kind="requirement")


def test_signed_link_downloads_on_its_own_regency_only_and_expires(local_storage, trenggalek, blitar, client_for):
    data = samples.image_bytes("JPEG")
    with schema_context(trenggalek.schema_name):
        stored = document_store(file=data, kind="requirement", filename="pas foto.jpg")
        url = document_url(stored.key, expires=60, download_name="pas foto.jpg")
        short = document_url(stored.key, expires=1)
    response = client_for(trenggalek).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "image/jpeg"
    assert "attachment" in response["Content-Disposition"] and "pas foto.jpg" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"

    other = client_for(blitar).get(url)
    assert other.status_code == 403
    assert "kedaluwarsa" in other.content.decode()

    tampered = client_for(trenggalek).get(url.replace("/berkas/", "/berkas/x"))
    assert tampered.status_code == 403

    time.sleep(2.1)
    assert client_for(trenggalek).get(short).status_code == 403


def test_document_response_streams_after_the_views_own_check(local_storage, trenggalek):
    data = samples.pdf_bytes()
    with schema_context(trenggalek.schema_name):
        key = document_store(file=data, kind="permit").key
        response = document_response(key, download_name="izin.pdf")
        assert b"".join(response.streaming_content) == data
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


# --- real S3 (SeaweedFS on 127.0.0.1) -----------------------------------------


def test_s3_store_read_back_under_the_regency_prefix(s3_storage, trenggalek):
    data = samples.pdf_bytes("Disimpan di S3")
    with schema_context(trenggalek.schema_name):
        stored = document_store(file=data, kind="requirement", filename="str.pdf")
        assert document_read(stored.key) == data
    assert stored.key.startswith("trenggalek/requirement/")
    obj = s3_storage.client().get_object(Bucket=s3_storage.bucket, Key=stored.key)
    assert obj["Body"].read() == data
    assert obj["ContentType"] == "application/pdf"


def test_s3_objects_are_private(s3_storage, trenggalek):
    with schema_context(trenggalek.schema_name):
        key = document_store(file=samples.pdf_bytes(), kind="requirement").key
    status, _ = http_get(f"{s3_storage.endpoint_url}/{s3_storage.bucket}/{key}")
    assert status == 403


def test_s3_presigned_url_works_then_expires(s3_storage, trenggalek):
    data = samples.image_bytes("PNG")
    with schema_context(trenggalek.schema_name):
        key = document_store(file=data, kind="requirement").key
        url = document_url(key, expires=2, download_name="ktp.png")
    assert url.startswith(s3_storage.endpoint_url) and "X-Amz-Expires=2" in url
    assert http_get(url) == (200, data)
    time.sleep(3.1)
    status, _ = http_get(url)
    assert status == 403


def test_s3_key_of_another_regency_is_refused(s3_storage, trenggalek, blitar):
    with schema_context(blitar.schema_name):
        theirs = document_store(file=samples.pdf_bytes("milik Blitar"), kind="requirement").key
    with schema_context(trenggalek.schema_name):
        with pytest.raises(StorageKeyInvalid):
            document_read(theirs)
        with pytest.raises(StorageKeyInvalid):
            document_url(theirs)


def test_s3_unreachable_is_a_clear_error_not_a_crash(s3_storage, settings, trenggalek):
    from pintu.storage.config import s3_storage as config
    from tests.s3 import free_ports

    (closed_port,) = free_ports(1)
    down = config(bucket="pintu-test", endpoint_url=f"http://127.0.0.1:{closed_port}",
                  access_key=s3_storage.access_key, secret_key=s3_storage.secret_key)
    down["OPTIONS"]["client_config"] = __import__("botocore.config").config.Config(
        retries={"max_attempts": 1}, connect_timeout=1)
    settings.STORAGES = {**settings.STORAGES, "default": down}
    with schema_context(trenggalek.schema_name), pytest.raises(StorageUnavailable) as caught:
        document_store(file=samples.pdf_bytes(), kind="requirement")
    assert caught.value.status == 503
    assert "coba lagi" in caught.value.message
