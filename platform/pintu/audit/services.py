"""Writes to the audit log. Every service that changes something calls `audit_record`."""
from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from pintu.audit.models import AuditEntry

GENESIS = "0" * 64


def entry_digest(*, seq: int, at, actor_id, action: str, target_type: str, target_id: str,
                 detail: dict, prev_hash: str) -> str:
    payload = json.dumps(
        [seq, at.isoformat(), actor_id, action, target_type, target_id, detail, prev_hash],
        cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def audit_record(*, actor, action: str, target=None, detail: dict | None = None) -> AuditEntry:
    """Append one entry, chained to the last; serialised per regency by an advisory lock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':audit'))")
    last = AuditEntry.objects.order_by("-seq").values("seq", "hash").first()
    seq = (last["seq"] + 1) if last else 1
    prev_hash = last["hash"] if last else GENESIS
    at = timezone.now()
    fields = dict(
        seq=seq,
        at=at,
        actor_id=getattr(actor, "pk", None),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder)),
        prev_hash=prev_hash,
    )
    return AuditEntry.objects.create(hash=entry_digest(**fields), **fields)


def audit_verify() -> list[str]:
    """Problems in the chain of the current regency, named by entry; empty when intact."""
    problems: list[str] = []
    prev_hash, expected_seq = GENESIS, 1
    for entry in AuditEntry.objects.order_by("seq").iterator():
        if entry.seq != expected_seq:
            problems.append(f"entri #{expected_seq} hilang atau urutan berubah (ditemukan #{entry.seq})")
        if entry.prev_hash != prev_hash:
            problems.append(f"entri #{entry.seq}: rantai terputus (hash sebelumnya tidak cocok)")
        digest = entry_digest(seq=entry.seq, at=entry.at, actor_id=entry.actor_id, action=entry.action,
                              target_type=entry.target_type, target_id=entry.target_id,
                              detail=entry.detail, prev_hash=entry.prev_hash)
        if digest != entry.hash:
            problems.append(f"entri #{entry.seq}: isi telah diubah")
        prev_hash, expected_seq = entry.hash, entry.seq + 1
    return problems
