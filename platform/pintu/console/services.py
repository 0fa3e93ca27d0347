"""Writes of the ministry console: provisioning jobs, regency status, snapshots, announcements.

Regencies are put on the platform by the same `tenants.services.regency_provision`
as the command line; this module only queues it, records progress and keeps
the initial passwords out of the database.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from pintu.access.models import Membership
from pintu.access.roles import MINISTRY_ADMIN_ROLES
from pintu.access.selectors import ministry_role_holds
from pintu.console.errors import (
    AnnouncementInvalid,
    MinistryAdministratorRequired,
    ProvisioningRequestInvalid,
    StatusReasonRequired,
)
from pintu.console.models import Announcement, ProvisioningJob, RegencySnapshot
from pintu.console.selectors import ANNOUNCEMENTS_VERSION_KEY
from pintu.errors import DomainError
from pintu.identity.models import User
from tenants.errors import SubdomainInvalid, SubdomainTaken
from tenants.models import Regency
from tenants.regions import near_matches, official_regencies, official_regency
from tenants.services import _subdomain_check, regency_provision, regency_status_set

log = logging.getLogger(__name__)

PASSWORD_KEEP_SECONDS = 60 * 60


def _administrator_check(actor: User) -> None:
    if not ministry_role_holds(user=actor, roles=MINISTRY_ADMIN_ROLES):
        raise MinistryAdministratorRequired()


def _invalid(message: str, field: str | None) -> ProvisioningRequestInvalid:
    return ProvisioningRequestInvalid(message, field=field)


def _item(code: str, name: str, subdomain: str = "", admin_email: str = "") -> dict:
    return {"code": code, "name": name, "subdomain": subdomain, "admin_email": admin_email,
            "status": "pending", "message": "", "domain": "", "has_password": False}


def _single_regency_items(code: str, subdomain: str, admin_email: str) -> tuple[list[dict], str]:
    official = official_regency(code)
    if official is None:
        suggestions = ", ".join(f"{r.code} {r.name}" for r in near_matches(code))
        raise _invalid(gettext("Kode wilayah '%(code)s' tidak dikenal.") % {"code": code}
                       + (gettext(" Mungkin maksud Anda: %(suggestions)s.") % {"suggestions": suggestions} if suggestions else ""), "code")
    if Regency.objects.filter(code=official.code).exists():
        raise _invalid(gettext("%(name)s sudah ada di Pintu.") % {"name": official.name}, "code")
    try:
        checked = _subdomain_check(subdomain or official.default_subdomain, code=official.code)
    except (SubdomainInvalid, SubdomainTaken) as exc:
        hint = "" if subdomain else " Isi subdomain lain."
        raise _invalid(exc.message + hint, "subdomain") from exc
    if admin_email:
        try:
            validate_email(admin_email)
        except ValidationError as exc:
            raise _invalid(gettext("Masukkan alamat email yang valid."), "admin_email") from exc
    return [_item(official.code, official.name, checked, admin_email)], f"{official.code} {official.name}"


def _province_items(province_code: str) -> tuple[list[dict], str]:
    in_province = [r for r in official_regencies().values() if r.province_code == province_code]
    if not in_province:
        raise _invalid(gettext("Provinsi '%(province_code)s' tidak dikenal.") % {"province_code": province_code}, "province")
    present = set(Regency.objects.filter(code__in=[r.code for r in in_province]).values_list("code", flat=True))
    missing = [r for r in in_province if r.code not in present]
    if not missing:
        raise _invalid(gettext("Semua kabupaten/kota di %(province_name)s sudah ada di Pintu.")
                       % {"province_name": in_province[0].province_name}, "province")
    return ([_item(r.code, r.name) for r in missing],
            f"Provinsi {in_province[0].province_name} ({len(missing)} daerah)")


@transaction.atomic
def provisioning_job_start(*, actor: User, code: str = "", province_code: str = "", subdomain: str = "",
                           admin_email: str = "") -> ProvisioningJob:
    """A ministry administrator asks for one regency, or every missing one of a province, to be put on Pintu.

    Everything that can be checked now is checked now, so mistakes show next
    to the form field; the provisioning itself runs in the background.
    """
    _administrator_check(actor)
    code, province_code = code.strip(), province_code.strip()
    subdomain, admin_email = subdomain.strip().lower(), admin_email.strip().lower()
    if code and province_code:
        raise _invalid(gettext("Pilih satu daerah atau satu provinsi, tidak keduanya."), "code")
    if code:
        items, label = _single_regency_items(code, subdomain, admin_email)
    elif province_code:
        if subdomain or admin_email:
            raise _invalid(gettext("Subdomain dan email administrator hanya dapat diisi untuk satu daerah."), "subdomain")
        items, label = _province_items(province_code)
    else:
        raise _invalid(gettext("Isi kode wilayah atau pilih provinsi."), "code")
    job = ProvisioningJob.objects.create(created_by=actor, label=label, total=len(items), items=items)
    transaction.on_commit(lambda: _enqueue(job.pk))
    log.info("provisioning job %s started by %s: %s", job.pk, actor.pk, label)
    return job


def _enqueue(job_id: int) -> None:
    from pintu.console.tasks import provisioning_job_run_task

    try:
        # The job runs in public, whatever schema queued it.
        provisioning_job_run_task.apply_async(args=[job_id], retry=False,
                                              headers={"_schema_name": settings.PUBLIC_SCHEMA_NAME})
    except Exception:  # noqa: BLE001 - broker errors come in many classes
        log.warning("could not queue provisioning job %s; the broker is unreachable", job_id)
        ProvisioningJob.objects.filter(pk=job_id).update(
            messages=["Antrean tugas tidak dapat dihubungi; pekerjaan akan dijalankan saat antrean kembali."]
        )


def _password_key(job_id: int, code: str) -> str:
    return f"console:job:{job_id}:password:{code}"


def provisioning_job_run(*, job_id: int) -> ProvisioningJob:
    """Provision each regency of a job in turn, saving progress after each one.

    Not one transaction: each regency is live as soon as it is provisioned,
    and a job interrupted half-way resumes where it stopped.
    """
    connection.set_schema_to_public()
    job = ProvisioningJob.objects.get(pk=job_id)
    if job.is_finished:
        return job
    job.status, job.started_at = ProvisioningJob.Status.RUNNING, job.started_at or timezone.now()
    job.save(update_fields=["status", "started_at"])
    for item in job.items:
        if item["status"] != "pending":
            continue
        try:
            result = regency_provision(code=item["code"], subdomain=item["subdomain"] or None,
                                       admin_email=item["admin_email"] or None, welcome=False)
        except DomainError as exc:
            item.update(status="failed", message=exc.message)
            job.failed += 1
        except Exception:  # noqa: BLE001 - one regency's failure must not stop the others
            log.exception("provisioning %s failed in job %s", item["code"], job.pk)
            item.update(status="failed", message=gettext("Terjadi kesalahan sistem; tim teknis sudah dicatat."))
            job.failed += 1
        else:
            connection.set_schema_to_public()
            domain = result.regency.domains.filter(is_primary=True).values_list("domain", flat=True).first() or ""
            item.update(status="created" if result.created else "exists", domain=domain,
                        subdomain=domain.split(".", 1)[0], admin_email=result.admin.email if result.admin else "",
                        message="" if result.created else gettext("Sudah ada di Pintu; tidak ada yang diubah."))
            if result.admin_password:
                caches["platform"].set(_password_key(job.pk, item["code"]), result.admin_password,
                                       timeout=PASSWORD_KEEP_SECONDS)
                item["has_password"] = True
            if result.created:
                _welcome_enqueue(result.regency, result.admin)
                _first_snapshot_take(result.regency)
            job.done += 1
        connection.set_schema_to_public()
        job.save(update_fields=["items", "done", "failed"])
    job.status, job.finished_at = ProvisioningJob.Status.FINISHED, timezone.now()
    job.save(update_fields=["status", "finished_at"])
    return job


def _welcome_enqueue(regency: Regency, admin: User | None) -> None:
    """Queue the welcome e-mail from the new regency's schema, where the task reads the membership.

    (regency_provision's own `welcome=True` queues it after its transaction
    has left the regency's schema, so the task would run in public.)
    """
    from tenants.tasks import regency_admin_welcome

    if admin is None:
        return
    try:
        with schema_context(regency.schema_name):
            regency_admin_welcome.apply_async(args=[admin.pk], retry=False)
    except Exception:  # noqa: BLE001 - broker errors come in many classes; the regency is live anyway
        log.warning("welcome e-mail for %s not queued: broker unreachable", regency.schema_name)


def _first_snapshot_take(regency: Regency) -> None:
    """The console lists a new regency's figures at once instead of after the next hourly refresh."""
    try:
        with schema_context(regency.schema_name):
            regency_snapshot_take()
    except Exception:  # noqa: BLE001 - figures can wait for the next refresh
        log.exception("first snapshot of %s failed", regency.schema_name)
    finally:
        connection.set_schema_to_public()


def provisioning_job_passwords_take(*, job: ProvisioningJob, actor: User) -> dict[str, str]:
    """The initial passwords of a finished job, handed once to the administrator who started it."""
    if actor.pk != job.created_by_id or not job.is_finished:
        return {}
    keys = {_password_key(job.pk, item["code"]): item["code"] for item in job.items if item.get("has_password")}
    if not keys:
        return {}
    cache = caches["platform"]
    found = cache.get_many(list(keys))
    cache.delete_many(list(keys))
    return {keys[key]: password for key, password in found.items()}


def regency_status_change(*, actor: User, regency: Regency, status: str, reason: str) -> Regency:
    """Suspend or reactivate a regency with a reason the regency's visitors read on its page."""
    _administrator_check(actor)
    reason = (reason or "").strip()
    if not reason:
        raise StatusReasonRequired(gettext("Alasan wajib diisi."), field="reason")
    if len(reason) > 255:
        raise StatusReasonRequired(gettext("Alasan paling banyak 255 karakter."), field="reason")
    return regency_status_set(regency=regency, status=status, reason=reason, actor=actor)


def regency_snapshot_take() -> RegencySnapshot:
    """Count the current regency's officers, permit types, applications and stored bytes (its own schema)."""
    from permits.models import Application, ApplicationDocument, PermitType

    # By schema name: under schema_context the connection holds a stand-in, not the Regency row.
    regency = Regency.objects.filter(schema_name=connection.schema_name).exclude(code=None).first()
    if regency is None:
        raise DomainError(gettext("Ringkasan hanya dapat diambil di skema daerah."), code="snapshot_needs_regency")
    figures = {
        "officers": Membership.objects.filter(is_active=True).values("user_id").distinct().count(),
        "permit_types": PermitType.objects.count(),
        "applications": Application.objects.exclude(status=Application.Status.DRAFT).count(),
        "stored_bytes": ApplicationDocument.objects.aggregate(total=Sum("size"))["total"] or 0,
        "taken_at": timezone.now(),
    }
    # RegencySnapshot lives in public, which is on the search path after the regency's schema.
    snapshot, _ = RegencySnapshot.objects.update_or_create(regency_id=regency.pk, defaults=figures)
    return snapshot


ANNOUNCEMENT_YEARS = (2000, 2100)


def _announcement_fields(*, title: str, body: str, audience: str, regencies: Iterable[Regency | int] | None,
                         published_from: dt.datetime | None,
                         published_until: dt.datetime | None) -> tuple[str, str, list[Regency | int]]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise AnnouncementInvalid(gettext("Judul wajib diisi."), field="title")
    if not body:
        raise AnnouncementInvalid(gettext("Isi pengumuman wajib diisi."), field="body")
    if audience not in Announcement.Audience.values:
        raise AnnouncementInvalid(gettext("Sasaran pengumuman tidak dikenal."), field="audience")
    regencies = list(regencies or [])
    if audience == Announcement.Audience.LISTED and not regencies:
        raise AnnouncementInvalid(gettext("Pilih setidaknya satu daerah."), field="regencies")
    if published_from is None:
        raise AnnouncementInvalid(gettext("Tanggal mulai tayang wajib diisi."), field="published_from")
    # An announcement is shown now or soon: a year like 0287 is a typing slip (and before 1970 the zone's
    # offset is local mean time, which no client reads back as a date-time).
    for name, value in (("published_from", published_from), ("published_until", published_until)):
        if value is not None and not ANNOUNCEMENT_YEARS[0] <= value.year <= ANNOUNCEMENT_YEARS[1]:
            raise AnnouncementInvalid(gettext("Tahun harus antara %(value)s dan %(value2)s.")
                                      % {"value": ANNOUNCEMENT_YEARS[0], "value2": ANNOUNCEMENT_YEARS[1]},
                                      field=name)
    if published_until is not None and published_until <= published_from:
        raise AnnouncementInvalid(gettext("Tanggal selesai tayang harus setelah tanggal mulai."), field="published_until")
    return title, body, regencies if audience == Announcement.Audience.LISTED else []


def _announcements_changed() -> None:
    cache = caches["platform"]
    try:
        cache.incr(ANNOUNCEMENTS_VERSION_KEY)
    except ValueError:
        cache.set(ANNOUNCEMENTS_VERSION_KEY, 1, timeout=None)
    except Exception:  # noqa: BLE001 - cached lists then expire on their own within a minute
        log.warning("announcement cache not invalidated: cache unreachable")


@transaction.atomic
def announcement_save(*, actor: User, announcement: Announcement | None = None, title: str, body: str,
                      audience: str, regencies: Iterable[Regency | int] = (), published_from: dt.datetime,
                      published_until: dt.datetime | None = None) -> Announcement:
    """Publish (or edit) a notice to every regency's officers, or to listed regencies only."""
    _administrator_check(actor)
    title, body, regencies = _announcement_fields(title=title, body=body, audience=audience, regencies=regencies,
                                                  published_from=published_from, published_until=published_until)
    if announcement is None:
        announcement = Announcement(created_by=actor)
    announcement.title, announcement.body, announcement.audience = title, body, audience
    announcement.published_from, announcement.published_until = published_from, published_until
    announcement.save()
    announcement.regencies.set(regencies)
    transaction.on_commit(_announcements_changed)
    log.info("announcement %s saved by %s", announcement.pk, actor.pk)
    return announcement


@transaction.atomic
def announcement_delete(*, actor: User, announcement: Announcement) -> None:
    """Withdraw a notice at once."""
    _administrator_check(actor)
    announcement.delete()
    transaction.on_commit(_announcements_changed)


def regency_admin_invitation_resend(*, actor: User, regency: Regency) -> str:
    """Send a regency's first administrator a fresh hand-over link (the old one stops working); returns the
    address. Refused once they have accepted: from then on they use "Lupa kata sandi"."""
    from pintu.access.selectors import invitation_pending_list
    from tenants.tasks import regency_admin_welcome

    _administrator_check(actor)
    with schema_context(regency.schema_name):
        admin_ids = list(Membership.objects.filter(role="regency_admin").values_list("user_id", flat=True))
        emails = set(User.objects.filter(pk__in=admin_ids).values_list("email", flat=True))
        invitation = invitation_pending_list().filter(email__in=emails).order_by("created_at").first()
        if invitation is None:
            raise DomainError(gettext("Administrator daerah ini sudah menerima undangannya; bila lupa kata sandi, ia dapat "
                                      "memakai \"Lupa kata sandi\" di halaman masuk."), code="invitation_already_accepted")
        admin = User.objects.get(email=invitation.email)
        regency_admin_welcome(admin.pk)  # here and now: the ministry sees at once that it went out
    return admin.email
