"""Which storage backend holds documents, from the environment (imported by settings: no Django here)."""
from __future__ import annotations

import os

S3_BACKEND = "storages.backends.s3.S3Storage"
FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
SIGNED_URL_SECONDS = 300
#: A phone photo made to fit a requirement (`pintu.storage.photos`, and the applicant's browser before it
#: sends one, `upload.js`): its longest side in pixels (a document photographed at this size is still
#: readable at 200 dpi on A4) and the JPEG qualities tried in turn before the pixels are reduced.
PHOTO_LONGEST_SIDE = 2400
PHOTO_QUALITIES = (82, 72, 62)


def s3_storage(*, bucket: str, endpoint_url: str, access_key: str, secret_key: str,
               region: str = "us-east-1") -> dict:
    """A private S3 bucket: no public ACL, presigned GETs only, never overwrite an existing key."""
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key,
            "secret_key": secret_key,
            "region_name": region,
            "signature_version": "s3v4",
            "addressing_style": "path",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": SIGNED_URL_SECONDS,
            "file_overwrite": False,
            "client_config": _client_config(),
        },
    }


def _client_config():
    """Bounded waits: an S3 server that hangs (not only one that refuses) must give the applicant the
    storage-unavailable message in seconds, not hold the request until the web worker is killed (an
    upload is an existence check and a PUT: at most 2 x 2 attempts x 5 s)."""
    from botocore.config import Config

    return Config(s3={"addressing_style": "path"}, signature_version="s3v4", connect_timeout=3, read_timeout=5,
                  retries={"max_attempts": 2, "mode": "standard"})


def default_storage_from_env(environ=os.environ) -> dict:
    """S3 when S3_BUCKET (and its endpoint and keys) are set; local disk under MEDIA_ROOT otherwise."""
    if environ.get("S3_BUCKET"):
        return s3_storage(
            bucket=environ["S3_BUCKET"],
            endpoint_url=environ.get("S3_ENDPOINT_URL", ""),
            access_key=environ.get("S3_ACCESS_KEY_ID", ""),
            secret_key=environ.get("S3_SECRET_ACCESS_KEY", ""),
            region=environ.get("S3_REGION", "us-east-1"),
        )
    return {"BACKEND": FILESYSTEM_BACKEND}
