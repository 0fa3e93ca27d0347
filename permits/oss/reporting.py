"""What Pintu tells OSS about an OSS file: every status change (receiveLicenseStatus, Lampiran 10
codes), the final permit (receiveLicense) and later changes (updateLicense).

Each change becomes one OssSend row in the same transaction as the change (key unique: a repeated
event writes nothing), numbered per file. The sender sends a file's rows strictly in order, one at a
time: a row waits until the one before it is sent. A row is claimed with a lease before the call;
when the call may have arrived but no answer came (timeout, 504, a worker killed mid-call), the
sender asks OSS (checkLicenseStatus) before sending again, so OSS hears each change once. Failures
are retried with exponential back-off; the regency's figures (OssHealth) are kept for the ministry.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from permits.oss import client, pia
from permits.oss.hub.models import OssCredential, OssHealth
from permits.oss.models import OssFile, OssSend
from pintu.access.models import Role

log = logging.getLogger(__name__)
_LINK_SALT = "pintu.oss.permit-file"


def backoff_seconds(attempts: int) -> int:
    base = float(getattr(settings, "OSS_RETRY_BASE_SECONDS", 30))
    return int(min(base * 2 ** max(attempts - 1, 0), 3600))


def lease_seconds() -> int:
    return int(getattr(settings, "OSS_SEND_LEASE_SECONDS", 60))


def max_attempts() -> int:
    return int(getattr(settings, "OSS_MAX_ATTEMPTS", 20))


# --- Pintu's steps -> Lampiran 10 ----------------------------------------------------------------

# (event kind, role of the step or "") -> the codes sent, in order. docs/oss.md shows the same table.
STEP_CODES: dict[tuple[str, str], list[str]] = {
    ("submitted", ""): ["10"],
    ("step_opened", Role.FRONT_OFFICE): ["20"],
    ("step_opened", Role.VERIFIER): ["20"],
    ("step_opened", Role.SURVEYOR): ["40"],
    ("returned", ""): ["41"],
    ("resubmitted", ""): ["42"],
    ("recommend", Role.TECHNICAL_TEAM): ["45"],
    ("rejected", Role.TECHNICAL_TEAM): ["93", "90"],
    ("rejected", ""): ["90"],
    ("fiktif_positif", ""): ["57"],
    ("issued", ""): ["50"],
}


def codes_for(kind: str, role: str) -> list[str]:
    return STEP_CODES.get((kind, role)) or STEP_CODES.get((kind, ""), [])


def oss_event_report(event) -> None:
    """Called for every ApplicationEvent (in its transaction): queue what OSS must hear of it."""
    file = OssFile.objects.filter(application_id=event.application_id).first()
    if file is None:
        return
    if event.kind == "issued":
        codes = [] if getattr(event.application.decision, "is_fiktif_positif", False) else ["50"]
    else:
        codes = codes_for(event.kind, event.role)
    for code in codes:
        oss_status_enqueue(file=file, kd_status=code, key=f"event:{event.pk}:{code}", keterangan=event.message)
    if event.kind == "issued":
        _enqueue(file=file, method=OssSend.Method.LICENSE, key=f"event:{event.pk}:license", kd_status="",
                 payload=license_payload(file))
    elif event.kind == "revoked":
        _enqueue(file=file, method=OssSend.Method.UPDATE, key=f"event:{event.pk}:update", kd_status="",
                 payload=license_payload(file, revoked=True))


def status_name(kd_status: str) -> str:
    """Lampiran 10's name of a code: as OSS last gave it (getDataReferensi, table 10), else the PIA's."""
    from permits.oss.hub.models import OssReference

    current = OssReference.objects.filter(table="10", code=kd_status).values_list("description", flat=True).first()
    return current or pia.STATUS_CODES.get(kd_status, "")


def _status_payload(file: OssFile, kd_status: str, keterangan: str, *, at) -> dict:
    from permits.regency import regency_now

    return {"IZINSTATUS": {
        "nib": file.nib, "id_produk": file.id_produk, "id_proyek": file.id_proyek, "oss_id": file.oss_id,
        "id_izin": file.id_izin, "kd_izin": file.kd_izin[:12], "kd_instansi": "",
        "kd_status": kd_status, "tgl_status": regency_now(at=at).strftime("%Y-%m-%d %H:%M:%S"),
        "nip_status": "", "nama_status": status_name(kd_status)[:50], "keterangan": keterangan,
    }}


def permit_file_link(permit) -> str:
    """An absolute link OSS downloads the signed permit PDF from (PIA: file_izin is a link)."""
    from django.urls import reverse

    from tenants.selectors import current_regency, regency_public_url

    token = signing.dumps({"p": permit.pk, "s": connection.schema_name}, salt=_LINK_SALT)
    return regency_public_url(current_regency(), reverse("oss-permit-file", args=[token]))


def permit_file_token_resolve(token: str, *, max_age: int = 90 * 86400) -> int | None:
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != connection.schema_name:
        return None
    return int(data["p"])


def kemendagri_code(kd_daerah: str) -> str:
    """OSS's region field in what Pintu sends: Kemendagri's 10 digits ('3503' and '35.03' become '3503000000')."""
    from permits.oss.receiving import region_of

    code = region_of(kd_daerah)
    return f"{code}000000" if code else kd_daerah[:10]


def license_payload(file: OssFile, *, revoked: bool = False) -> dict:
    """IZINFINAL as the PIA lists it (pia.LICENSE_FIELDS: every field, each within its length)."""
    from permits.regency import regency_today
    from permits.selectors.delegation import decision_signer_nip

    application = file.application
    permit = application.permit
    decision = application.decision
    position = decision.position.name if decision.position_id else "Pejabat penandatangan"
    if decision.acting_id:
        position = f"{ {'plh': 'Plh.', 'plt': 'Plt.'}.get(decision.acting.kind, '')} {position}".strip()
    months = application.permit_type.validity_months or 0
    # The file's SHA-256 rides in keterangan (free text in the PIA) so OSS can check what it downloads.
    note = f"Izin bertanda tangan elektronik; SHA-256 berkas: {permit.sha256}"
    body = {
        "nib": file.nib, "id_proyek": file.id_proyek, "oss_id": file.oss_id, "id_izin": file.id_izin,
        "kd_izin": file.kd_izin[:12], "kd_daerah": kemendagri_code(file.kd_daerah), "nomor_izin": permit.number[:50],
        "tgl_terbit_izin": regency_today(at=permit.issued_at).isoformat(),
        "tgl_berlaku_izin": permit.valid_until.isoformat() if permit.valid_until else "",
        "nama_ttd": permit.signer_name[:50], "nip_ttd": decision_signer_nip(decision)[:25],
        "jabatan_ttd": position[:150], "status_izin": "57" if permit.is_fiktif_positif else "50",
        "file_izin": permit_file_link(permit), "keterangan": note, "file_lampiran": "",
        "nomenklatur_nomor_izin": permit.number[:255],
        "bln_berlaku_izin": months % 12, "thn_berlaku_izin": months // 12, "jenis_perizinan": "02",
    }
    if revoked:
        body["status_izin"] = "90"
        body["keterangan"] = f"Izin dicabut: {permit.revoked_reason}"
    return {"IZINFINAL": body}


def oss_status_enqueue(*, file: OssFile, kd_status: str, key: str, keterangan: str = "") -> OssSend | None:
    now = timezone.now()
    return _enqueue(file=file, method=OssSend.Method.STATUS, key=key, kd_status=kd_status,
                    payload=_status_payload(file, kd_status, keterangan, at=now), now=now)


def _enqueue(*, file: OssFile, method: str, key: str, kd_status: str, payload: dict, now=None) -> OssSend | None:
    assert transaction.get_connection().in_atomic_block, "OSS sends are queued inside the change's transaction"
    now = now or timezone.now()
    file = OssFile.objects.select_for_update().get(pk=file.pk)  # numbers one file's rows one at a time
    if OssSend.objects.filter(key=key[:120]).exists():
        return None
    seq = (OssSend.objects.filter(file=file).aggregate(m=Max("seq"))["m"] or 0) + 1
    row = OssSend.objects.create(file=file, seq=seq, key=key[:120], method=method, kd_status=kd_status,
                                 payload=payload, next_attempt_at=now, created_at=now)
    if kd_status:
        OssFile.objects.filter(pk=file.pk).update(last_kd_status=kd_status)
    _health_update(queued=1)
    schema, file_id = connection.schema_name, file.pk
    transaction.on_commit(lambda: oss_queue(schema=schema, file_id=file_id))
    return row


def oss_queue(*, schema: str, file_id: int, countdown: int = 0) -> None:
    """Hand a file's sends to the broker; if it is away, the sweeper sends them (nothing is lost)."""
    if getattr(settings, "OSS_SEND_EAGER", False):
        return
    from django_tenants.utils import schema_context

    from permits.oss.tasks import oss_send_file_task

    with schema_context(schema):
        try:
            oss_send_file_task.apply_async(args=[file_id], countdown=countdown or None, retry=False,
                                           queue=getattr(settings, "OSS_QUEUE", None) or None)
        except Exception:  # noqa: BLE001 - a broker outage must not fail the change that committed
            log.warning("oss: broker unavailable, file %s left for the sweeper", file_id, exc_info=True)


# --- the sender ----------------------------------------------------------------------------------


def _regency():
    from tenants.selectors import current_regency

    return current_regency()


def _health_update(*, queued: int = 0, sent: int = 0, failed: int = 0, error: str = "") -> None:
    regency = _regency()
    if regency is None:
        return
    health, _ = OssHealth.objects.get_or_create(regency=regency)
    # the queue is counted, not summed, so it always says what is really waiting
    changes = {"queue_depth": OssSend.objects.exclude(status=OssSend.Status.SENT).count()}
    now = timezone.now()
    if sent:
        changes.update(sent=F("sent") + sent, consecutive_failures=0, last_success_at=now)
    if failed:
        changes.update(failed_attempts=F("failed_attempts") + failed,
                       consecutive_failures=F("consecutive_failures") + failed, last_failure_at=now,
                       last_error=error[:2000])
    OssHealth.objects.filter(pk=health.pk).update(**changes)


def _user_key() -> str:
    regency = _regency()
    row = OssCredential.objects.filter(regency=regency).first() if regency else None
    return (row.outbound_user_key if row else "") or getattr(settings, "OSS_USER_KEY", "")


def _oss_has(row: OssSend) -> bool:
    """checkLicenseStatus: does OSS already hold this change? (asked before re-sending an uncertain one)"""
    answer = client.oss_call("checkLicenseStatus", {"CHECKLICENSESTATUS": {"id_izin": row.file.id_izin}},
                             user_key=_user_key())
    body = next(iter(answer.values()), {}) if isinstance(answer, dict) else {}
    data = body.get("dataIZIN") or {}
    if row.method == OssSend.Method.STATUS:
        return str(data.get("kd_status") or "") == row.kd_status and str(data.get("seq_pintu") or row.seq) == str(row.seq)
    return bool(data.get("nomor_izin")) and data.get("nomor_izin") == row.payload.get("IZINFINAL", {}).get("nomor_izin") \
        and row.method == OssSend.Method.LICENSE


def oss_send_next(*, file_id: int, now: dt.datetime | None = None) -> str:
    """Send the first unsent change of one file (at most once); returns what happened."""
    now = now or timezone.now()
    with transaction.atomic():
        # Locks the file's row too (no `of`): another sender skips the whole file, so one file's
        # changes go out one at a time, in order.
        row = (OssSend.objects.select_for_update(skip_locked=True).select_related("file")
               .filter(file_id=file_id).exclude(status=OssSend.Status.SENT).order_by("seq").first())
        if row is None:
            return "busy" if OssSend.objects.filter(file_id=file_id).exclude(status=OssSend.Status.SENT).exists() \
                else "idle"
        if row.status == OssSend.Status.FAILED:
            return "blocked"  # an administrator looks first; later changes wait behind it (order)
        uncertain = False
        if row.status == OssSend.Status.SENDING:
            if row.lease_until and row.lease_until > now:
                return "in-flight"
            uncertain = True  # the sender died mid-call: OSS may have it
        elif row.next_attempt_at > now:
            return "not-due"
        if row.last_error.startswith("uncertain:"):
            uncertain = True
        token = secrets.token_hex(8)
        row.status, row.claim_token = OssSend.Status.SENDING, token
        row.lease_until = now + dt.timedelta(seconds=lease_seconds())
        row.attempts += 1
        row.save(update_fields=["status", "claim_token", "lease_until", "attempts"])
    try:
        if uncertain and _oss_has(row):
            return _resolve_sent(row, token, {"reconciled": "checkLicenseStatus"})
        answer = client.oss_call(row.method, _wire(row), user_key=_user_key())
    except client.OssUncertain as exc:
        return _resolve_failure(row, token, f"uncertain: {exc}")
    except client.OssRejected as exc:
        return _resolve_failure(row, token, f"rejected: {exc}", final=True)
    except client.OssUnreachable as exc:
        return _resolve_failure(row, token, f"unreachable: {exc}")
    except Exception as exc:  # noqa: BLE001 - any other error is a failed attempt, kept for the administrator
        log.exception("oss: unexpected error sending %s", row.pk)
        return _resolve_failure(row, token, f"uncertain: {type(exc).__name__}: {exc}")
    return _resolve_sent(row, token, answer)


def _wire(row: OssSend) -> dict:
    """The body sent: the stored payload, with Pintu's sequence number for the reconciliation."""
    payload = dict(row.payload)
    if "IZINSTATUS" in payload:
        payload["IZINSTATUS"] = {**payload["IZINSTATUS"], "seq_pintu": row.seq}
    return payload


def _resolve_sent(row: OssSend, token: str, answer: dict) -> str:
    with transaction.atomic():
        current = OssSend.objects.select_for_update().get(pk=row.pk)
        if current.claim_token != token:
            return "claim-lost"
        current.status, current.sent_at, current.response = OssSend.Status.SENT, timezone.now(), answer
        current.lease_until, current.last_error = None, ""
        current.save(update_fields=["status", "sent_at", "response", "lease_until", "last_error"])
        _health_update(sent=1)
    return "sent"


def _resolve_failure(row: OssSend, token: str, error: str, *, final: bool = False) -> str:
    with transaction.atomic():
        current = OssSend.objects.select_for_update().get(pk=row.pk)
        if current.claim_token != token:
            return "claim-lost"
        current.last_error, current.lease_until = error[:2000], None
        if final or current.attempts >= max_attempts():
            current.status = OssSend.Status.FAILED
        else:
            current.status = OssSend.Status.PENDING
            current.next_attempt_at = timezone.now() + dt.timedelta(seconds=backoff_seconds(current.attempts))
        current.save(update_fields=["status", "last_error", "lease_until", "next_attempt_at"])
        _health_update(failed=1, error=error)
    return "failed" if current.status == OssSend.Status.FAILED else "retry"


def oss_send_file(*, file_id: int, limit: int = 100) -> list[str]:
    """Send a file's changes in order until one fails or none is left."""
    results = []
    for _ in range(limit):
        result = oss_send_next(file_id=file_id)
        results.append(result)
        if result != "sent":
            break
    return results


def oss_sweep(*, now: dt.datetime | None = None, send: bool = False) -> int:
    """Every file of this regency with a change due (after an outage, a lost task, a back-off)."""
    now = now or timezone.now()
    files = list(OssSend.objects.filter(status__in=[OssSend.Status.PENDING, OssSend.Status.SENDING],
                                        next_attempt_at__lte=now)
                 .exclude(status=OssSend.Status.SENDING, lease_until__gt=now)
                 .values_list("file_id", flat=True).distinct()[:500])
    for file_id in files:
        if send:
            oss_send_file(file_id=file_id)
        else:
            oss_queue(schema=connection.schema_name, file_id=file_id)
    return len(files)


@transaction.atomic
def oss_send_retry(*, send: OssSend, actor) -> OssSend:
    """An administrator sends a change that ran out of attempts (or was refused) again."""
    from pintu.audit.services import audit_record

    send = OssSend.objects.select_for_update().get(pk=send.pk)
    send.status, send.next_attempt_at, send.claim_token, send.attempts = OssSend.Status.PENDING, timezone.now(), "", 0
    send.save(update_fields=["status", "next_attempt_at", "claim_token", "attempts"])
    audit_record(actor=actor, action="oss.send_retry", target=send.file.application, detail={"key": send.key})
    schema, file_id = connection.schema_name, send.file_id
    transaction.on_commit(lambda: oss_queue(schema=schema, file_id=file_id))
    return send
