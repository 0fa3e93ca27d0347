"""Store and hand out a regency's documents.

Every key lives under the current regency's prefix (`<schema_name>/...`), taken from the
database connection's tenant inside these functions and never from input; a key of another
regency is answered as "not found". Files are never public: they are streamed by a view after
its own permission check (`document_response`) or reached through a short-lived signed URL
bound to the regency (`document_url`).
"""
from __future__ import annotations

import hashlib
import mimetypes
import re
import time
import uuid
from dataclasses import dataclass, replace
from typing import IO, TypeAlias

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from django.db import connection
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone

from pintu.storage.config import SIGNED_URL_SECONDS
from pintu.storage.errors import (
    DownloadLinkInvalid,
    NoRegencyContext,
    StorageKeyInvalid,
    StorageUnavailable,
    UploadEmpty,
    UploadTooMany,
)
from pintu.storage.validation import DEFAULT_MAX_BYTES, read_limited, upload_validate

_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*(/[A-Za-z0-9_-]+)+\.[a-z0-9]{1,5}$")
_TOKEN_SALT = "pintu.storage.download"

#: What a person sends: an UploadedFile (Django's `File`), an open binary file, or its bytes.
Upload: TypeAlias = File | IO[bytes] | bytes


@dataclass(frozen=True)
class StoredFile:
    key: str
    sha256: str
    size: int
    content_type: str
    display_name: str = ""
    note: str = ""  # what was done to a photo to make it fit ("foto diperkecil ke 0,8 MB"), for the person


def document_sha256(data: bytes) -> str:
    """The hex SHA-256 shown on the public verification page; the same digest storage records."""
    return hashlib.sha256(data).hexdigest()


def regency_prefix() -> str:
    """`<schema>/` of the regency this connection serves; no regency, no documents."""
    schema = getattr(connection, "schema_name", "")
    if not schema or schema == settings.PUBLIC_SCHEMA_NAME:
        raise NoRegencyContext()
    return f"{schema}/"


def key_check(key: object) -> str:
    """The key when it belongs to the current regency and is one we could have made; else 'not found'."""
    prefix = regency_prefix()
    if not isinstance(key, str) or not key.startswith(prefix) or ".." in key or "//" in key or not _KEY.match(key):
        raise StorageKeyInvalid()
    return key


def _storage() -> Storage:
    return storages["default"]


def _storage_errors() -> tuple[type[BaseException], ...]:
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - boto3 is a pinned dependency
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


def _save(*, data: bytes, kind: str, extension: str, content_type: str, display_name: str = "",
          note: str = "") -> StoredFile:
    if not _KIND.match(kind):
        raise ValueError(f"document kind {kind!r} is not a slug")
    now = timezone.now()
    key = f"{regency_prefix()}{kind}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{extension}"
    try:
        saved = _storage().save(key, ContentFile(data))
    except _storage_errors():
        raise StorageUnavailable() from None
    if saved != key:  # never happens with random names; a silent rename would break the recorded key
        raise StorageUnavailable()
    return StoredFile(key=key, sha256=document_sha256(data), size=len(data), content_type=content_type,
                      display_name=display_name, note=note)


def document_store(*, file: Upload, kind: str, filename: str = "", allowed_types: object | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> StoredFile:
    """Keep an applicant's or officer's upload after checking its content (type, size, integrity, no active parts).

    `file` is an UploadedFile, a file object or bytes; `filename` is the client's name, kept
    only for display. Raises an `UploadRefused` (nothing stored) or `StorageUnavailable`.
    """
    data = read_limited(file, max_bytes)
    upload = upload_validate(data=data, filename=filename or getattr(file, "name", "") or "",
                             allowed_types=allowed_types, max_bytes=max_bytes)
    return _save(data=data, kind=kind, extension=upload.extension, content_type=upload.content_type,
                 display_name=upload.display_name)


def upload_store(*, files: list[Upload], kind: str, filenames: list[str] | None = None,
                 allowed_types: object | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, photo_as_pdf: bool = False,
                 chosen_bytes: int = 0) -> StoredFile:
    """Keep what a person chose for one requirement: one document, or phone photos made to fit.

    A photo (JPEG, PNG, HEIC) for a requirement that accepts images is re-encoded without its
    metadata and shrunk to `max_bytes`; where only a PDF is asked and `photo_as_pdf` is allowed,
    the photos (one or several) become the pages of one PDF. Anything else goes through
    `document_store` unchanged. `filenames` are the client's names (default: the files' own), kept
    for display only. `chosen_bytes` is what the browser says the files weighed before it sent
    smaller copies of the photos (upload.js): used only to tell the person, every check is made on
    what arrived. Raises an `UploadRefused` (nothing stored) or `StorageUnavailable`.
    """
    from pintu.storage import photos
    from pintu.storage.validation import JPEG, PDF, PNG, allowed_kinds

    if not files:
        raise UploadEmpty()
    filename = (filenames or [getattr(files[0], "name", "") or ""])[0] or ""
    kinds = allowed_kinds(allowed_types)
    can_fit = JPEG in kinds or PNG in kinds or (PDF in kinds and photo_as_pdf)
    if len(files) == 1 and not can_fit:
        return document_store(file=files[0], kind=kind, filename=filename, allowed_types=allowed_types,
                              max_bytes=max_bytes)
    limit = max(max_bytes, photos.PHOTO_MAX_BYTES) if can_fit else max_bytes
    datas = [read_limited(file, limit) for file in files]
    sniffed = [photos.photo_kind(data[:16]) for data in datas]
    if len(files) > 1 and not (all(sniffed) and PDF in kinds and photo_as_pdf):
        raise UploadTooMany(allowed_photos=PDF in kinds and photo_as_pdf)
    if not sniffed[0]:  # a PDF (or anything else) sent alone: the ordinary checks and limit
        return document_store(file=datas[0], kind=kind, filename=filename, allowed_types=allowed_types,
                              max_bytes=max_bytes)
    if len(files) == 1 and sniffed[0] in kinds and not photos.photo_needs_refit(datas[0], max_bytes=max_bytes):
        stored = document_store(file=datas[0], kind=kind, filename=filename, allowed_types=allowed_types,
                                max_bytes=max_bytes)
        return replace(stored, note=photos.browser_shrink_note(chosen_bytes=chosen_bytes, size=stored.size))
    if JPEG in kinds and len(files) == 1:
        target = JPEG
    elif PDF in kinds and photo_as_pdf:
        target = PDF
    else:  # e.g. a HEIC where only PNG is accepted: the ordinary refusal says what is accepted
        return document_store(file=datas[0], kind=kind, filename=filename, allowed_types=allowed_types,
                              max_bytes=max_bytes)
    fitted = photos.photos_fit(datas, target=target, max_bytes=max_bytes, chosen_bytes=chosen_bytes)
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    upload = upload_validate(data=fitted.data, filename=f"{stem or 'foto'}.{fitted.kind}", allowed_types=[target],
                             max_bytes=max_bytes)
    return _save(data=fitted.data, kind=kind, extension=upload.extension, content_type=upload.content_type,
                 display_name=upload.display_name, note=fitted.note)


def generated_document_store(*, data: bytes, kind: str, content_type: str = "application/pdf") -> StoredFile:
    """Keep a document the platform produced itself (a signed permit, a receipt, a certificate)."""
    extension = (mimetypes.guess_extension(content_type) or ".bin").lstrip(".")
    return _save(data=data, kind=kind, extension=extension, content_type=content_type)


def document_exists(key: str) -> bool:
    key = key_check(key)
    try:
        return _storage().exists(key)
    except _storage_errors():
        raise StorageUnavailable() from None


def document_discard(key: str) -> None:
    """Remove a document a failed write had just stored (best effort: a storage error leaves it behind)."""
    key = key_check(key)
    try:
        _storage().delete(key)
    except _storage_errors():
        pass


def document_open(key: str) -> File:
    """An open binary file of the current regency's document; another regency's key is 'not found'."""
    if not document_exists(key):
        raise StorageKeyInvalid()
    try:
        return _storage().open(key, "rb")
    except _storage_errors():
        raise StorageUnavailable() from None


def document_read(key: str) -> bytes:
    with document_open(key) as handle:
        try:
            return handle.read()
        except _storage_errors():
            raise StorageUnavailable() from None


def _is_s3(storage: Storage) -> bool:
    return type(storage).__module__.startswith("storages.backends.s3")


def document_url(key: str, *, expires: int = SIGNED_URL_SECONDS, download_name: str = "") -> str:
    """A link valid for `expires` seconds: an S3 presigned URL, or on local disk a signed token
    URL on the regency's own subdomain (relative path) that only this regency accepts."""
    key = key_check(key)
    expires = max(1, min(int(expires), 7 * 24 * 3600))
    storage = _storage()
    if _is_s3(storage):
        parameters = {}
        if download_name:
            parameters["ResponseContentDisposition"] = _content_disposition(download_name)
        try:
            return storage.url(key, parameters=parameters or None, expire=expires)
        except _storage_errors():
            raise StorageUnavailable() from None
    token = signing.dumps({"k": key, "s": connection.schema_name, "e": int(time.time()) + expires, "n": download_name},
                          salt=_TOKEN_SALT, compress=True)
    return reverse("storage-download", args=[token])


def download_token_resolve(token: str) -> tuple[str, str]:
    """(key, download name) from a local signed-URL token, if it is intact, unexpired and this regency's."""
    try:
        payload = signing.loads(token, salt=_TOKEN_SALT)
    except signing.BadSignature:
        raise DownloadLinkInvalid() from None
    if not isinstance(payload, dict) or payload.get("s") != getattr(connection, "schema_name", None):
        raise DownloadLinkInvalid()
    if int(payload.get("e", 0)) < time.time():
        raise DownloadLinkInvalid()
    return key_check(payload.get("k")), str(payload.get("n") or "")


def _content_disposition(name: str, *, as_attachment: bool = True) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(as_attachment, name) or "attachment"


def document_response(key: str, *, download_name: str = "", as_attachment: bool = True) -> FileResponse:
    """Stream a document to someone the calling view has already authorised."""
    handle = document_open(key)
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment,
                            filename=download_name or key.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser renders it, nothing in the document may run or reach out.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def regency_file_write(*, name: str, data: bytes, replace: bool = False) -> str:
    """Keep a platform file at a fixed name under the regency's prefix (e.g. 'signing/ca.pem')."""
    key = key_check(regency_prefix() + name)
    storage = _storage()
    try:
        if storage.exists(key):
            if not replace:
                raise FileExistsError(key)
            storage.delete(key)
        if storage.save(key, ContentFile(data)) != key:
            raise StorageUnavailable()
    except FileExistsError:
        raise
    except _storage_errors():
        raise StorageUnavailable() from None
    return key


def regency_file_read(name: str) -> bytes | None:
    """A fixed-name platform file of the current regency, or None when it was never written."""
    key = key_check(regency_prefix() + name)
    return document_read(key) if document_exists(key) else None
