"""Files attached to pungli reports: kept outside every regency's prefix.

Regency documents live under `<schema>/…` and `pintu.storage` only serves keys under the
current regency's own prefix (and never for the public schema). Report files live under
`public/pungli/…`: `public` is never a regency's schema, so no regency page, signed link or
officer can reach them; only the inspectors' console streams them, after its own check.
"""
from __future__ import annotations

import re
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import FileResponse
from django.utils import timezone

from pintu.storage.errors import StorageKeyInvalid, StorageUnavailable
from pintu.storage.services import StoredFile, document_sha256
from pintu.storage.validation import read_limited, upload_validate

PREFIX = "public/pungli/"
MAX_BYTES = 5 * 1024 * 1024
_KEY = re.compile(r"^public/pungli/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png)$")


def _errors() -> tuple[type[BaseException], ...]:
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


def report_file_store(*, file, filename: str = "") -> StoredFile:
    """Check a report's evidence by its content (PDF/JPG/PNG, ≤ 5 MB) and keep it under the ministry's prefix."""
    data = read_limited(file, MAX_BYTES)
    upload = upload_validate(data=data, filename=filename or getattr(file, "name", "") or "", max_bytes=MAX_BYTES)
    now = timezone.now()
    key = f"{PREFIX}{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{upload.extension}"
    try:
        saved = storages["default"].save(key, ContentFile(data))
    except _errors():
        raise StorageUnavailable() from None
    if saved != key:
        raise StorageUnavailable()
    return StoredFile(key=key, sha256=document_sha256(data), size=len(data), content_type=upload.content_type,
                      display_name=upload.display_name)


def report_file_response(key: str, *, download_name: str = "") -> FileResponse:
    """Stream a report's file to an inspector (the view has checked the role)."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise StorageKeyInvalid()
    storage = storages["default"]
    try:
        if not storage.exists(key):
            raise StorageKeyInvalid()
        handle = storage.open(key, "rb")
    except _errors():
        raise StorageUnavailable() from None
    response = FileResponse(handle, as_attachment=True, filename=download_name or key.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
