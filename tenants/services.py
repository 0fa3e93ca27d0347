"""Writes about regencies: provisioning (schema cloned from the template), status."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from pintu.access.models import Role
from pintu.access.services import invitation_for_member, membership_grant
from pintu.audit.services import audit_record
from pintu.errors import DomainError
from pintu.identity.models import User
from pintu.identity.services import user_ensure
from tenants.errors import RegencyCodeUnknown, SubdomainInvalid, SubdomainTaken
from tenants.models import Domain, Regency
from tenants.regions import near_matches, official_regency

_LABEL = re.compile(r"^[a-z][a-z0-9-]{0,40}[a-z0-9]$")
RESERVED_SUBDOMAINS = {"www", "api", "admin", "static", "media", "public", "mail", "pintu", "kementerian", "portal"}


@dataclass
class ProvisionResult:
    regency: Regency
    created: bool
    admin: User
    admin_password: str | None  # always None since issue #15: the administrator is invited by e-mail
    seconds: float


def public_tenant_ensure() -> Regency:
    """The public schema's own row and the apex domain (the ministry console and portal)."""
    public, _ = Regency.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME, defaults={"name": "Pintu (nasional)"}
    )
    Domain.objects.get_or_create(domain=settings.PINTU_DOMAIN, defaults={"tenant": public, "is_primary": True})
    return public


def _subdomain_check(subdomain: str, *, code: str) -> str:
    subdomain = subdomain.strip().lower()
    if not _LABEL.match(subdomain) or "--" in subdomain or subdomain in RESERVED_SUBDOMAINS or "template" in subdomain:
        raise SubdomainInvalid(
            gettext("Subdomain '%(subdomain)s' tidak valid: gunakan huruf kecil, angka dan tanda hubung (2-42 "
                    "karakter), diawali huruf, dan bukan nama yang dicadangkan.") % {"subdomain": subdomain}
        )
    owner = Domain.objects.filter(domain=f"{subdomain}.{settings.PINTU_DOMAIN}").select_related("tenant").first()
    if owner and owner.tenant.code != code:
        raise SubdomainTaken(gettext("Subdomain '%(subdomain)s' sudah dipakai %(name)s.")
                             % {"subdomain": subdomain, "name": owner.tenant.name})
    return subdomain


def regency_provision(*, code: str, subdomain: str | None = None, admin_email: str | None = None,
                      admin_password: str | None = None, welcome: bool = True) -> ProvisionResult:
    """Put a regency on the platform: tenant, schema (cloned), domain, first administrator.

    Running it again for a regency already on the platform changes nothing.
    """
    started = time.perf_counter()
    connection.set_schema_to_public()
    official = official_regency(code)
    if official is None:
        suggestions = ", ".join(f"{r.code} {r.name}" for r in near_matches(code))
        raise RegencyCodeUnknown(
            gettext("Kode wilayah '%(code)s' tidak dikenal.") % {"code": code}
            + (gettext(" Mungkin maksud Anda: %(suggestions)s.") % {"suggestions": suggestions} if suggestions else ""),
            suggestions=[r.code for r in near_matches(code)],
        )
    existing = Regency.objects.filter(code=official.code).first()
    if existing is not None:
        admin = _first_admin(existing)
        return ProvisionResult(existing, False, admin, None, time.perf_counter() - started)

    subdomain = _subdomain_check(subdomain or official.default_subdomain, code=official.code)
    public_tenant_ensure()
    with transaction.atomic():
        regency = Regency(
            schema_name=subdomain.replace("-", "_"),
            code=official.code,
            name=official.name,
            kind=Regency.Kind.KOTA if official.is_city else Regency.Kind.KABUPATEN,
            province_code=official.province_code,
            province_name=official.province_name,
            time_zone=official.time_zone,
            office_name=f"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu {official.name.replace('Kab.', 'Kabupaten')}",
        )
        regency.save(verbosity=0)
        Domain.objects.create(domain=f"{subdomain}.{settings.PINTU_DOMAIN}", tenant=regency, is_primary=True)
        email = (admin_email or f"admin@{subdomain}.{settings.PINTU_DOMAIN}").lower()
        # No password made up and shown once: a new administrator's account has none (no hash to compute,
        # which was most of a regency's provisioning time) and sets it through the invitation link the
        # welcome e-mail carries. An explicit admin_password (the demo) is still honoured.
        admin, account_created = user_ensure(email=email, full_name=f"Administrator {official.name}",
                                             password=admin_password)
        with schema_context(regency.schema_name):
            membership_grant(user=admin, role=Role.REGENCY_ADMIN)
            if account_created and not admin_password:
                invitation_for_member(user=admin, roles=[Role.REGENCY_ADMIN])
            audit_record(actor=None, action="regency.provision", target=None,
                         detail={"code": official.code, "subdomain": subdomain})
            # --- documents (issue #4): the regency's development signing certificate, kept in its
            # private storage. If storage is down now, the signer makes it at the first signing.
            _signing_identity_create_quietly(regency)
            if welcome:
                from tenants.tasks import regency_admin_welcome

                schema = regency.schema_name

                def _welcome() -> None:
                    # on_commit runs after schema_context has ended: queue from the regency's schema,
                    # which tenant-schemas-celery carries into the task.
                    with schema_context(schema):
                        _enqueue_quietly(regency_admin_welcome, admin.pk)

                transaction.on_commit(_welcome)
    connection.set_schema_to_public()
    return ProvisionResult(regency, True, admin, None, time.perf_counter() - started)


def _signing_identity_create_quietly(regency: Regency) -> None:
    import logging

    from pintu.storage.errors import StorageUnavailable
    from pintu.storage.signing_identity import regency_signing_identity_create

    try:
        regency_signing_identity_create(regency)
    except StorageUnavailable:
        logging.getLogger(__name__).warning("signing identity for %s deferred: storage unreachable", regency.schema_name)


def _enqueue_quietly(task: Any, *args: object) -> None:
    """Queue a task; a broker outage must not undo a provisioning that already committed."""
    import logging

    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # noqa: BLE001 - broker errors come in many classes
        logging.getLogger(__name__).warning("could not queue %s; the broker is unreachable", task.name)


def _first_admin(regency: Regency) -> User | None:
    from pintu.access.models import Membership

    with schema_context(regency.schema_name):
        membership = Membership.objects.filter(role=Role.REGENCY_ADMIN, is_active=True).order_by("pk").first()
        return User.objects.filter(pk=membership.user_id).first() if membership else None


@transaction.atomic
def regency_status_set(*, regency: Regency, status: str, reason: str, actor: User | None = None) -> Regency:
    """Suspend or reactivate a regency; its subdomain answers accordingly at once."""
    if status not in Regency.Status.values:
        raise DomainError(gettext("Status '%(status)s' tidak dikenal.") % {"status": status}, code="regency_status_invalid")
    regency.status = status
    regency.status_reason = reason
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        regency.save(update_fields=["status", "status_reason"])
    with schema_context(regency.schema_name):
        audit_record(actor=actor, action=f"regency.{status}", detail={"reason": reason})
    return regency
