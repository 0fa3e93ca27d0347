"""`make demo`: connect the demo regencies to the OSS simulator (deploy/oss_simulator).

Each gets a user_key (kept in var/oss-demo-keys.json so that the next run reuses it) and the demo's
OSS permit code mapped to its first permit type, so the simulator's businesses arrive as files.
"""
from __future__ import annotations

import json
from pathlib import Path

from django_tenants.utils import schema_context

from permits.oss.credentials import key_digest, oss_user_key_rotate
from permits.oss.hub.models import OssCredential

DEMO_KD_IZIN = "OSS-DEMO-01"


def oss_demo_connect(*, regencies, key_file: Path, kd_izin: str = DEMO_KD_IZIN) -> dict[str, str]:
    """{regency code: user_key} for the simulator; idempotent across runs."""
    from permits.models import PermitType
    from permits.oss.models import PermitCodeMapping

    known = json.loads(key_file.read_text()) if key_file.exists() else {}
    keys = {}
    for regency in regencies:
        key = known.get(regency.code, "")
        row = OssCredential.objects.filter(regency=regency).first()
        if not key or row is None or row.key_digest != key_digest(key):
            key = oss_user_key_rotate(regency=regency)
        keys[regency.code] = key
        with schema_context(regency.schema_name):
            permit_type = PermitType.objects.filter(is_active=True, is_online=True).order_by("pk").first()
            if permit_type is not None:
                PermitCodeMapping.objects.get_or_create(kd_izin=kd_izin, defaults={
                    "permit_type": permit_type, "nama_izin": "Izin Usaha Daerah (simulator OSS)"})
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(json.dumps(keys))
    return keys
