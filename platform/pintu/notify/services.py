"""Writes of notifications: enqueue (transactional outbox), send (claim, deliver, resolve), configure.

At most once per message: a sender claims its row (SELECT ... FOR UPDATE SKIP LOCKED) and marks it
`sending` with a lease before talking to the provider, and marks it `sent` when the provider answers.
A task retried after its worker died finds the row `sent` (nothing to do), `sending` within the lease
(someone holds it), or `sending` past the lease: the provider may or may not have the message, so it
is not sent again but shown to administrators as `uncertain` (they may resend after checking).
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from pintu.audit.services import audit_record
from pintu.notify import defaults
from pintu.notify.errors import (
    GatewayInvalid,
    MessageNotRetryable,
    SendFailed,
    SettingsInvalid,
    TemplateInvalid,
)
from pintu.notify.gateways import deliver
from pintu.notify.models import Channel, Event, Gateway, Guard, MessageTemplate, NotifySettings, OutboxMessage
from pintu.notify.signals import fallback_email, message_sent, text_channel_allowed
from pintu.tenancy import current_regency

if TYPE_CHECKING:
    from django_tenants.models import TenantMixin

    from pintu.identity.models import User
    from pintu.notify.inbox.models import ChannelPreference

log = logging.getLogger(__name__)
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
DEFAULT_EXPIRY_LEAD_DAYS = [60, 14]


def lease_seconds() -> int:
    return int(getattr(settings, "NOTIFY_SEND_LEASE_SECONDS", 120))


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFY_MAX_ATTEMPTS", 6))


def backoff_seconds(attempts: int) -> int:
    """Exponential: base, 2×base, 4×base, ... capped at six hours."""
    base = int(getattr(settings, "NOTIFY_RETRY_BASE_SECONDS", 60))
    return min(base * 2 ** max(attempts - 1, 0), 6 * 3600)


# --- Templates ---------------------------------------------------------------


def render(text: str, values: dict) -> str:
    """Fill `{name}` placeholders; an unknown one stays visible as it is."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text or "")


def template_for(event: str, channel: str) -> tuple[str, str, bool]:
    """(subject, body, is_custom): the regency's own wording, else the shipped default."""
    row = MessageTemplate.objects.filter(event=event, channel=channel).first()
    if row is not None:
        return row.subject, row.body, True
    return (*defaults.default_for(event, channel), False)


def template_check(*, event: str, channel: str, subject: str, body: str) -> None:
    errors: dict[str, list[dict]] = {}
    if event not in Event.values or channel not in Channel.values:
        raise TemplateInvalid(gettext("Peristiwa atau saluran tidak dikenal."))
    known = set(defaults.PLACEHOLDERS[event])
    for field, text in (("subject", subject), ("body", body)):
        unknown = sorted(set(_PLACEHOLDER.findall(text or "")) - known)
        if unknown:
            errors.setdefault(field, []).append({
                "code": "unknown_placeholder",
                "message": gettext("Isian tidak dikenal: ") + ", ".join("{" + u + "}" for u in unknown)
                           + ". Yang tersedia: " + ", ".join("{" + k + "}" for k in sorted(known)) + "."})
    if not (body or "").strip():
        errors.setdefault("body", []).append({"code": "required", "message": gettext("Isi pesan wajib diisi.")})
    if channel == Channel.EMAIL and not (subject or "").strip():
        errors.setdefault("subject", []).append({"code": "required", "message": gettext("Judul email wajib diisi.")})
    if len(subject or "") > 255:
        errors.setdefault("subject", []).append({"code": "too_long", "message": gettext("Judul paling panjang 255 karakter.")})
    if errors:
        raise TemplateInvalid(next(iter(errors.values()))[0]["message"], fields=errors)


def template_preview(*, event: str, channel: str, subject: str, body: str) -> tuple[str, str]:
    """The message as a person would read it, filled with sample data."""
    template_check(event=event, channel=channel, subject=subject, body=body)
    sample = defaults.PLACEHOLDERS[event]
    return render(subject, sample), render(body, sample)


@transaction.atomic
def template_save(*, event: str, channel: str, subject: str, body: str, actor: User | None) -> MessageTemplate:
    """The regency administrator's own wording for one event and channel."""
    template_check(event=event, channel=channel, subject=subject, body=body)
    row, _ = MessageTemplate.objects.update_or_create(event=event, channel=channel,
                                                      defaults={"subject": subject.strip(), "body": body.strip()})
    audit_record(actor=actor, action="notify.template_save", target=row, detail={"event": event, "channel": channel})
    return row


@transaction.atomic
def template_reset(*, event: str, channel: str, actor: User | None) -> None:
    """Back to the shipped wording."""
    deleted, _ = MessageTemplate.objects.filter(event=event, channel=channel).delete()
    if deleted:
        audit_record(actor=actor, action="notify.template_reset", detail={"event": event, "channel": channel})


# --- Gateways and settings ----------------------------------------------------


@transaction.atomic
def gateway_save(*, channel: str, url: str, token: str = "", sender: str = "", is_active: bool = True,
                 timeout_seconds: int = 15, token_clear: bool = False, actor: User | None) -> Gateway:
    """Configure the regency's SMS or WhatsApp provider (URL, token, sender).

    A blank token keeps the stored one (the form never shows it back); `token_clear` removes it."""
    if channel not in (Channel.SMS, Channel.WHATSAPP):
        raise GatewayInvalid(gettext("Gateway hanya untuk SMS atau WhatsApp."), fields={"channel": [
            {"code": "invalid", "message": gettext("Pilih SMS atau WhatsApp.")}]})
    if not re.match(r"^https?://[^\s/]+", url or ""):
        raise GatewayInvalid(gettext("Alamat API harus diawali http:// atau https://."),
                             fields={"url": [{"code": "invalid", "message": gettext("Alamat API harus diawali http(s)://.")}]})
    if not 1 <= int(timeout_seconds) <= 60:
        raise GatewayInvalid("Batas waktu 1–60 detik.", fields={"timeout_seconds": [
            {"code": "invalid", "message": "Batas waktu 1–60 detik."}]})
    values = {"url": url.strip(), "sender": sender.strip(), "is_active": is_active,
              "timeout_seconds": int(timeout_seconds)}
    if (token or "").strip() or token_clear:
        values["token"] = "" if token_clear else token.strip()
    gateway, _ = Gateway.objects.update_or_create(channel=channel, defaults=values)
    audit_record(actor=actor, action="notify.gateway_save", target=gateway,
                 detail={"channel": channel, "url": gateway.url, "active": is_active})  # never the token
    return gateway


def expiry_lead_days() -> list[int]:
    row = NotifySettings.objects.first()
    return sorted(row.expiry_lead_days, reverse=True) if row and row.expiry_lead_days else DEFAULT_EXPIRY_LEAD_DAYS


@transaction.atomic
def expiry_lead_days_set(*, days: list[int], actor: User | None) -> list[int]:
    """How many days before a permit ends its holder is reminded (each lead time once)."""
    cleaned = sorted({int(d) for d in days}, reverse=True)
    if not cleaned or any(d < 1 or d > 365 for d in cleaned) or len(cleaned) > 5:
        raise SettingsInvalid(gettext("Isi 1 sampai 5 angka hari antara 1 dan 365, misalnya 60, 14."),
                              fields={"expiry_lead_days": [{"code": "invalid", "message": "Contoh: 60, 14."}]})
    row = NotifySettings.objects.select_for_update().first() or NotifySettings()
    row.expiry_lead_days = cleaned
    row.save()
    audit_record(actor=actor, action="notify.settings_save", detail={"expiry_lead_days": cleaned})
    return cleaned


# --- Preferences (public schema: one account, every regency) ------------------


def preference_of(user: User) -> ChannelPreference:
    """The person's channel choices (unsaved defaults when they never chose)."""
    Preference = apps.get_model("notify_inbox", "ChannelPreference")
    return Preference.objects.filter(user_id=user.pk).first() or Preference(user_id=user.pk)


@transaction.atomic
def preference_set(*, user: User, wants_sms: bool, wants_whatsapp: bool) -> ChannelPreference:
    """The applicant's channels: email always; SMS and WhatsApp when they ask (to their phone number)."""
    Preference = apps.get_model("notify_inbox", "ChannelPreference")
    preference, _ = Preference.objects.update_or_create(
        user_id=user.pk, defaults={"wants_sms": bool(wants_sms), "wants_whatsapp": bool(wants_whatsapp)})
    return preference


def text_channel_held(channel: str, *, regency: TenantMixin | None = None) -> bool:
    """True when listeners (billing_free's fair-use quota) hold SMS/WhatsApp back for now."""
    regency = regency if regency is not None else current_regency()
    if regency is None:
        return False
    answers = text_channel_allowed.send(sender=None, channel=channel, regency=regency)
    return any(answer is False for _, answer in answers)


def channels_for(*, user: User | None = None, email: str = "", phone: str = "") -> list[tuple[str, str, str]]:
    """(channel, address, fallback_from) triples a message goes to. Without an account (counter applicants)
    a phone number given at the counter is used for SMS. A text channel held back (its monthly quota is
    used up) goes by e-mail instead; with no e-mail address it is still sent: nobody is left uninformed."""
    email = (getattr(user, "email", "") or email or "").strip()
    phone = (getattr(user, "phone", "") or phone or "").strip()
    if not phone:
        return [(Channel.EMAIL.value, email, "")] if email else []
    active = set(Gateway.objects.filter(is_active=True).values_list("channel", flat=True))
    if user is not None:
        preference = preference_of(user)
        wanted = {Channel.SMS: preference.wants_sms, Channel.WHATSAPP: preference.wants_whatsapp}
    else:
        wanted = {Channel.SMS: True, Channel.WHATSAPP: False}
    texts = [channel.value for channel, wants in wanted.items() if wants and channel in active]
    if not email and not texts and user is None:
        # A walk-in reachable only by phone, and no SMS gateway yet: the SMS is still written (the counter
        # was warned); it waits in the outbox, shown to the administrator, to be sent once a gateway is on.
        texts = [Channel.SMS.value]
    held = [channel for channel in texts if email and text_channel_held(channel)]
    result = [(Channel.EMAIL.value, email, ",".join(held))] if email else []
    return result + [(channel, phone, "") for channel in texts if channel not in held]


# --- The outbox ----------------------------------------------------------------


def guard_take(key: str) -> bool:
    """True the first time `key` is taken in this regency (inside the caller's transaction), False after."""
    assert transaction.get_connection().in_atomic_block, "guard_take runs inside the action's transaction"
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO "{Guard._meta.db_table}" (key, created_at) VALUES (%s, now()) '
                       "ON CONFLICT (key) DO NOTHING RETURNING id", [key[:200]])
        return cursor.fetchone() is not None


def guards_take(keys: list[str]) -> set[str]:
    """The keys among `keys` taken now for the first time (one statement; in the caller's transaction)."""
    assert transaction.get_connection().in_atomic_block, "guards_take runs inside the action's transaction"
    if not keys:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO "{Guard._meta.db_table}" (key, created_at) SELECT k, now() FROM unnest(%s) AS k '
                       "ON CONFLICT (key) DO NOTHING RETURNING key", [[key[:200] for key in keys]])
        return {row[0] for row in cursor.fetchall()}


@transaction.atomic
def notify(*, key: str, event: str, values: dict, user: User | None = None, email: str = "", phone: str = "",
           name: str = "", application_id: int | None = None, link: str = "",
           now: dt.datetime | None = None) -> list[OutboxMessage]:
    """Write the messages about one event (one per chosen channel, key `<key>:<channel>`) and the inbox
    entry, in the caller's transaction; they are queued for sending when it commits."""
    now = now or timezone.now()
    rows = []
    for channel, address, fallback_from in channels_for(user=user, email=email, phone=phone):
        subject, body, _ = template_for(event, channel)
        rows.append(OutboxMessage(
            key=f"{key}:{channel}"[:200], event=event, channel=channel, fallback_from=fallback_from,
            fallback_reason=OutboxMessage.FallbackReason.QUOTA if fallback_from else "",
            user_id=getattr(user, "pk", None),
            recipient=address, recipient_name=name or getattr(user, "full_name", ""),
            subject=render(subject, values)[:255], body=render(body, values), application_id=application_id,
            next_attempt_at=now, created_at=now))
    created = []
    for row in rows:  # unique key: a repeated event (or a re-run scheduler) never makes a second message
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        created.append(row)
    if user is not None and rows:
        Inbox = apps.get_model("notify_inbox", "InboxMessage")
        email_subject, email_body, _ = template_for(event, Channel.EMAIL)
        regency = current_regency()
        regency_id = getattr(regency, "pk", None)
        if regency_id is not None:
            Inbox.objects.bulk_create([Inbox(
                regency_id=regency_id, user_id=user.pk, key=key[:200], event=event,
                subject=render(email_subject, values)[:255], body=render(email_body, values), link=link[:500],
                created_at=now)], ignore_conflicts=True)
    if created:
        outbox_queue_on_commit([row.pk for row in created])
    return created


def outbox_queue_on_commit(ids: list[int]) -> None:
    schema = connection.schema_name
    transaction.on_commit(lambda: outbox_queue(schema=schema, ids=ids))


def outbox_queue(*, schema: str, ids: list[int], countdown: int = 0) -> None:
    """Hand messages to the broker; if it is down, the sweeper sends them later (nothing is lost)."""
    from pintu.notify.tasks import outbox_send_task

    with schema_context(schema):
        for pk in ids:
            try:
                outbox_send_task.apply_async(args=[pk], countdown=countdown or None, retry=False,
                                             queue=getattr(settings, "NOTIFY_QUEUE", None) or None)
            except Exception:  # noqa: BLE001 - the broker being away must not fail the event that committed
                log.warning("notify: broker unavailable, message %s left for the sweeper", pk, exc_info=True)
                return


def outbox_send(*, message_id: int, now: dt.datetime | None = None) -> str:
    """Send one outbox message at most once; returns what happened (sent, already-sent, retry, ...)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if row is None:
            return "busy" if OutboxMessage.objects.filter(pk=message_id).exists() else "missing"
        if row.status == OutboxMessage.Status.SENT:
            return "already-sent"
        if row.status in (OutboxMessage.Status.FAILED, OutboxMessage.Status.UNCERTAIN):
            return row.status
        if row.status == OutboxMessage.Status.SENDING:
            if row.lease_until and row.lease_until > now:
                return "in-flight"
            row.status = OutboxMessage.Status.UNCERTAIN
            row.last_error = ("Proses pengirim berhenti saat mengirim; pesan mungkin sudah diterima. "
                              "Tidak dikirim ulang otomatis agar tidak ganda.")
            row.save(update_fields=["status", "last_error"])
            return "uncertain"
        if row.next_attempt_at > now:
            return "not-due"
        token = secrets.token_hex(8)
        row.status, row.claim_token = OutboxMessage.Status.SENDING, token
        row.lease_until = now + dt.timedelta(seconds=lease_seconds())
        row.attempts += 1
        row.save(update_fields=["status", "claim_token", "lease_until", "attempts"])
    try:
        reference = deliver(row)
    except SendFailed as exc:
        return _resolve_failure(row.pk, token, str(exc))
    except Exception as exc:  # noqa: BLE001 - any other error is a failed attempt too, kept for the admin
        log.exception("notify: unexpected error sending %s", row.pk)
        return _resolve_failure(row.pk, token, f"{type(exc).__name__}: {exc}")
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update().get(pk=row.pk)
        if row.claim_token != token:
            return "claim-lost"
        row.status, row.sent_at, row.provider_reference = OutboxMessage.Status.SENT, timezone.now(), reference
        row.lease_until, row.last_error = None, ""
        row.save(update_fields=["status", "sent_at", "provider_reference", "lease_until", "last_error"])
        _announce_sent(row)
    return "sent"


def _announce_sent(row: OutboxMessage) -> None:
    """Tell listeners (the regency's usage meter) that this message went out; their failure is logged,
    never turned into a second send."""
    regency = current_regency()
    if regency is None:
        return
    for receiver, result in message_sent.send_robust(sender=OutboxMessage, message=row, regency=regency):
        if isinstance(result, Exception):
            log.error("notify: listener %r failed for message %s", receiver, row.pk, exc_info=result)


def _resolve_failure(pk: int, token: str, error: str) -> str:
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update().get(pk=pk)
        if row.claim_token != token:
            return "claim-lost"
        row.last_error = error[:2000]
        row.lease_until = None
        if row.attempts >= max_attempts():
            row.status = OutboxMessage.Status.FAILED
            if row.channel != Channel.EMAIL:
                row.last_error = f"{row.last_error} · {_text_fallback(row)}"[:2000]
            row.save(update_fields=["status", "last_error", "lease_until"])
            return "failed"
        row.status = OutboxMessage.Status.PENDING
        row.next_attempt_at = timezone.now() + dt.timedelta(seconds=backoff_seconds(row.attempts))
        row.save(update_fields=["status", "last_error", "lease_until", "next_attempt_at"])
    return "retry"


def _text_fallback(row: OutboxMessage) -> str:
    """An SMS/WhatsApp message failed for good: the person gets it by e-mail when they have an address.
    Already e-mailed (the same event's e-mail row exists): nothing is sent twice. Else the address known
    today (their account's, or what a listener answers: a walk-in handed over to an account since) gets
    the text by e-mail, marked as standing in for the failed channel. Returns what the office is told."""
    email_key = f"{row.key.rsplit(':', 1)[0]}:email"[:200]
    already = OutboxMessage.objects.filter(key=email_key).first()
    if already is not None:
        return f"Pemohon menerima pesan ini lewat email ({already.recipient}; {already.get_status_display().lower()})."
    address = ""
    if row.user_id:
        address = (get_user_model().objects.filter(pk=row.user_id).values_list("email", flat=True).first() or "")
    if not address:
        answers = fallback_email.send_robust(sender=None, message=row)
        address = next((str(a).strip() for _, a in answers if a and not isinstance(a, Exception)), "")
    if not address:
        return "Pemohon tidak memiliki email: sampaikan lewat telepon atau saat datang ke loket."
    regency = current_regency()
    office = (getattr(regency, "office_name", "") or getattr(regency, "name", "")) if regency else ""
    channel = row.get_channel_display()
    body = (f"Yth. {row.recipient_name or 'Bapak/Ibu'},\n\n{row.body}\n\n"
            f"Pesan ini kami kirim lewat email karena {channel} ke {row.recipient} tidak dapat terkirim."
            + (f"\n\nSalam,\n{office}" if office else "")
            + "\n(Pesan otomatis Pintu — mohon tidak membalas email ini.)")
    email = OutboxMessage.objects.create(
        key=email_key, event=row.event, channel=Channel.EMAIL, fallback_from=row.channel,
        fallback_reason=OutboxMessage.FallbackReason.GATEWAY_FAILED, user_id=row.user_id, recipient=address,
        recipient_name=row.recipient_name,
        subject=f"{(getattr(regency, 'name', '') + ': ') if regency else ''}{row.get_event_display()}"[:255],
        body=body, application_id=row.application_id, next_attempt_at=timezone.now(), created_at=timezone.now())
    outbox_queue_on_commit([email.pk])
    return f"Dialihkan ke email {address}."


def outbox_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Queue every message of this regency that is due and unsent (broker outage, lost task, backoff)."""
    now = now or timezone.now()
    due = list(OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING], next_attempt_at__lte=now)
        .exclude(status=OutboxMessage.Status.SENDING, lease_until__gt=now)
        .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    if due:
        outbox_queue(schema=connection.schema_name, ids=due)
    return len(due)


@transaction.atomic
def outbox_retry(*, message: OutboxMessage, actor: User | None) -> OutboxMessage:
    """An administrator sends a failed (or uncertain, after checking) message again."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.status not in (OutboxMessage.Status.FAILED, OutboxMessage.Status.UNCERTAIN,
                              OutboxMessage.Status.PENDING):
        raise MessageNotRetryable()
    message.status, message.next_attempt_at, message.claim_token = OutboxMessage.Status.PENDING, timezone.now(), ""
    message.save(update_fields=["status", "next_attempt_at", "claim_token"])
    audit_record(actor=actor, action="notify.retry", target=message, detail={"key": message.key})
    outbox_queue_on_commit([message.pk])
    return message


@transaction.atomic
def inbox_messages_mark_read(*, user: User, regency: TenantMixin, ids: list[int] | None = None) -> int:
    """A person marks their messages from this regency read (all of them when `ids` is None); returns how many.

    Only the person's own rows of this regency are touched; already-read rows keep their first reading time.
    Not audited: reading one's own mail is no officer action (the rows are the person's, in public).
    """
    from pintu.notify.selectors import inbox_of

    rows = inbox_of(user=user, regency=regency).filter(read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
