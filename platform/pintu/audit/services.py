"""Writes to the audit log. Every service that changes something calls `audit_record`."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from pintu.audit.anchors.models import AuditAnchor
from pintu.audit.models import AuditCheckpoint, AuditEntry

if TYPE_CHECKING:
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model

    from pintu.identity.models import User

GENESIS = "0" * 64
#: The most entries /audit/ checks in one view; a backlog beyond waits for the next view or the nightly full run.
PAGE_VERIFY_LIMIT = 10_000


def entry_digest(*, seq: int, at: dt.datetime, actor_id: int | None, action: str, target_type: str, target_id: str,
                 detail: dict, prev_hash: str) -> str:
    payload = json.dumps(
        [seq, at.isoformat(), actor_id, action, target_type, target_id, detail, prev_hash],
        cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def audit_lock() -> None:
    """Take the regency's audit chain lock, held until the transaction ends (taking it again is free).

    One lock order for every writer, so that two of them never wait for each other: first the rows the
    service itself changes (the application, then its task; FOR NO KEY UPDATE, see below), then this lock
    (`audit_record` takes it), then the rows every writer of the regency shares: registration and permit
    numbers, an event's outbox and OSS queue, meters, the public index. A service that takes one of those
    before its `audit_record` (a number, an event) takes this lock first. Rows other transactions point
    at are locked FOR NO KEY UPDATE, not FOR UPDATE: a new row's foreign-key check runs at COMMIT, after
    its transaction took this lock, and must not wait for a writer that is waiting for this lock.
    """
    assert transaction.get_connection().in_atomic_block, "the audit chain lock is a transaction's"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':audit'))")


@transaction.atomic
def audit_record(*, actor: User | AnonymousUser | None, action: str, target: Model | None = None,
                 detail: dict | None = None) -> AuditEntry:
    """Append one entry, chained to the last; serialised per regency by the audit chain lock (`audit_lock`)."""
    audit_lock()
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
    entry = AuditEntry.objects.create(hash=entry_digest(**fields), **fields)
    _anchor_move(seq=seq, digest=entry.hash)
    return entry


def _anchor_move(*, seq: int, digest: str) -> None:
    """The chain's new head into the public schema, in the entry's own transaction (under the same lock)."""
    schema = connection.schema_name
    # Forward only: after a truncation new entries re-use the cut sequence numbers, and the anchor
    # must keep pointing at the head that was cut off (so verification keeps seeing it).
    moved = AuditAnchor.objects.filter(schema_name=schema, seq__lt=seq).update(
        seq=seq, hash=digest, updated_at=timezone.now())
    if not moved and not AuditAnchor.objects.filter(schema_name=schema).exists():
        AuditAnchor.objects.create(schema_name=schema, seq=seq, hash=digest)


@transaction.atomic
def audit_anchor_restore() -> dict[str, int]:
    """Point the anchor at this schema's chain head as it now stands: only a restore, which deliberately
    brings back an older chain, calls it, and records the rewind in the chain (`regency.restore`).

    Without it a regency restored from last week's backup reads as "entries deleted from the end"
    forever. Returns the anchor's sequence numbers before and after.
    """
    schema = connection.schema_name
    head = AuditEntry.objects.order_by("-seq").values("seq", "hash").first() or {"seq": 0, "hash": GENESIS}
    before = AuditAnchor.objects.filter(schema_name=schema).values_list("seq", flat=True).first()
    AuditAnchor.objects.update_or_create(schema_name=schema, defaults={**head, "updated_at": timezone.now()})
    return {"anchor_seq_before": before or 0, "anchor_seq_after": head["seq"]}


def _anchor_problems() -> list[str]:
    """Whether the chain still reaches the head the public schema recorded: cut-off or rewound entries.

    The anchor is read before the entries a caller walks, so a write committing meanwhile only
    moves the head further than the anchor (never a false alarm). No anchor (a chain older than
    anchors): nothing to compare yet; the next entry anchors it.
    """
    reached = AuditEntry.objects.filter(seq=OuterRef("seq"), hash=OuterRef("hash"))
    anchor = (AuditAnchor.objects.filter(schema_name=connection.schema_name)  # one query across both schemas
              .annotate(reached=Exists(reached)).values("seq", "hash", "reached").first())
    if anchor is None or anchor["reached"]:
        return []
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    if last < anchor["seq"]:
        return [f"entri #{last + 1} s.d. #{anchor['seq']} dihapus dari ujung rantai "
                f"(jangkar di pusat mencatat {anchor['seq']} entri)"]
    return [f"entri #{anchor['seq']}: tidak cocok dengan jangkar di pusat (rantai diputar balik atau ditulis ulang)"]


def _walk(entries: Iterable[AuditEntry], *, prev_hash: str, expected_seq: int) -> tuple[list[str], int, str]:
    """Problems in a run of entries (ordered by seq) chained after (expected_seq - 1, prev_hash); its last seq/hash."""
    problems: list[str] = []
    last_seq = expected_seq - 1
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(f"entri #{expected_seq} hilang atau urutan berubah (ditemukan #{entry.seq})")
        if entry.prev_hash != prev_hash:
            problems.append(f"entri #{entry.seq}: rantai terputus (hash sebelumnya tidak cocok)")
        digest = entry_digest(seq=entry.seq, at=entry.at, actor_id=entry.actor_id, action=entry.action,
                              target_type=entry.target_type, target_id=entry.target_id,
                              detail=entry.detail, prev_hash=entry.prev_hash)
        if digest != entry.hash:
            problems.append(f"entri #{entry.seq}: isi telah diubah")
        prev_hash, expected_seq, last_seq = entry.hash, entry.seq + 1, entry.seq
    return problems, last_seq, prev_hash


def audit_verify() -> list[str]:
    """Problems in the chain of the current regency, named by entry; empty when intact (and not cut off)."""
    anchored = _anchor_problems()
    return _walk(AuditEntry.objects.order_by("seq").iterator(), prev_hash=GENESIS, expected_seq=1)[0] + anchored


def _checkpoint() -> AuditCheckpoint:
    return AuditCheckpoint.objects.get_or_create(pk=1)[0]


def _checkpoint_advance(checkpoint: AuditCheckpoint, seq: int, digest: str, **fields: Any) -> None:
    """Move the verified position forward only (a slower concurrent check never moves it back)."""
    if seq > checkpoint.seq:
        AuditCheckpoint.objects.filter(pk=checkpoint.pk, seq__lt=seq).update(seq=seq, hash=digest)
    if fields:
        AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(**fields)


def audit_verify_full() -> list[str]:
    """Verify the whole chain from the first entry and record the result for /audit/ (command, nightly task)."""
    started = timezone.now()
    anchored = _anchor_problems()
    problems, seq, digest = _walk(AuditEntry.objects.order_by("seq").iterator(), prev_hash=GENESIS, expected_seq=1)
    problems += anchored
    checkpoint = _checkpoint()
    _checkpoint_advance(checkpoint, 0 if problems else seq, digest, full_verified_at=started, full_problems=problems)
    return problems


@dataclass(frozen=True)
class AuditState:
    problems: list[str]        # found now, in the entries after the checkpoint
    full_problems: list[str]   # found by the last full verification
    full_verified_at: object   # when that ran (None: never)
    verified_to: int           # the last entry known intact
    unchecked: int             # newer entries left for the next view (over PAGE_VERIFY_LIMIT)


def audit_state() -> AuditState:
    """The chain as /audit/ shows it: entries since the checkpoint checked now, older ones by the last full run.

    A bounded number of queries whatever the log's length; a check from the first entry counts as a full run.
    """
    checkpoint = _checkpoint()
    problems: list[str] = _anchor_problems()
    if checkpoint.seq and AuditEntry.objects.filter(seq=checkpoint.seq, hash=checkpoint.hash).count() != 1:
        problems.append(f"entri #{checkpoint.seq}: diubah atau dihapus setelah diperiksa")
    entries = list(AuditEntry.objects.filter(seq__gt=checkpoint.seq).order_by("seq")[:PAGE_VERIFY_LIMIT])
    found, seq, digest = _walk(entries, prev_hash=checkpoint.hash, expected_seq=checkpoint.seq + 1)
    problems += found
    unchecked = AuditEntry.objects.filter(seq__gt=seq).count() if len(entries) == PAGE_VERIFY_LIMIT else 0
    full_verified_at, full_problems = checkpoint.full_verified_at, checkpoint.full_problems
    if not problems and seq > checkpoint.seq:
        full = {}
        if checkpoint.seq == 0 and not unchecked:
            full_verified_at, full_problems = timezone.now(), []
            full = {"full_verified_at": full_verified_at, "full_problems": []}
        _checkpoint_advance(checkpoint, seq, digest, **full)
    return AuditState(problems=problems, full_problems=full_problems, full_verified_at=full_verified_at,
                      verified_to=checkpoint.seq if problems else max(seq, checkpoint.seq), unchecked=unchecked)
