"""The `user_key` OSS presents when it calls Pintu for a regency: issued by Pintu, shown once,
rotated by the regency administrator, stored only as an HMAC and compared in constant time."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from permits.oss.hub.models import OssCredential
from pintu.audit.services import audit_record


def key_digest(user_key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), ("oss-user-key:" + user_key).encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def oss_user_key_rotate(*, regency, actor=None) -> str:
    """A new user_key for OSS to call this regency with; the previous one stops working at once."""
    user_key = secrets.token_urlsafe(32)
    with schema_context(regency.schema_name):
        _store(regency, user_key, actor)
    return user_key


def _store(regency, user_key: str, actor) -> None:
    OssCredential.objects.update_or_create(regency=regency, defaults={
        "key_digest": key_digest(user_key), "key_hint": user_key[-4:], "rotated_at": timezone.now(),
        "rotated_by_id": getattr(actor, "pk", None)})
    audit_record(actor=actor, action="oss.user_key_rotate", detail={"hint": user_key[-4:]})  # never the key


def oss_regency_for_key(user_key: str):
    """The regency whose key this is, or None. The digest is looked up by index, then compared with
    hmac.compare_digest so that the answer's timing says nothing about how much of a key matched."""
    if not user_key or len(user_key) > 200:
        return None
    digest = key_digest(user_key)
    row = OssCredential.objects.select_related("regency").filter(key_digest=digest).first()
    if row is None or not hmac.compare_digest(row.key_digest, digest):
        return None
    return row.regency
