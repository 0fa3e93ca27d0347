"""Reads for the ministry console. The regency list costs a fixed number of queries for 514 regencies."""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q, QuerySet
from django.utils import timezone

from pintu.console.models import Announcement, ProvisioningJob, RegencySnapshot
from tenants.models import Regency
from tenants.regions import OfficialRegency, official_regencies

ANNOUNCEMENTS_VERSION_KEY = "console:announcements:version"
ANNOUNCEMENTS_CACHE_SECONDS = 60


class RegencyState:
    ON_PLATFORM = "platform"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    NOT_YET = "not_yet"
    CHOICES = [
        ("", "Semua"),
        (ON_PLATFORM, "Sudah di Pintu"),
        (ACTIVE, "Aktif"),
        (SUSPENDED, "Dinonaktifkan"),
        (NOT_YET, "Belum bergabung"),
    ]


@dataclass(frozen=True)
class RegencyRow:
    official: OfficialRegency
    regency: Regency | None  # None while the regency is not on the platform

    @property
    def snapshot(self) -> RegencySnapshot | None:
        return getattr(self.regency, "snapshot", None) if self.regency is not None else None

    @property
    def state(self) -> str:
        if self.regency is None:
            return RegencyState.NOT_YET
        return RegencyState.ACTIVE if self.regency.is_active else RegencyState.SUSPENDED


def platform_regencies() -> QuerySet[Regency]:
    """Regencies on the platform with their snapshot and domains: two queries however many there are."""
    return (Regency.objects.exclude(schema_name__in=[settings.PUBLIC_SCHEMA_NAME, settings.TENANT_BASE_SCHEMA])
            .select_related("snapshot").prefetch_related("domains"))


def provinces() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for official in official_regencies().values():
        seen.setdefault(official.province_code, official.province_name)
    return sorted(seen.items())


def console_regency_rows(*, province: str = "", state: str = "", query: str = "") -> list[RegencyRow]:
    """The official 514 regencies joined with those on the platform, filtered; ordered by code."""
    on_platform = {r.code: r for r in platform_regencies() if r.code}
    query = query.strip().lower()
    rows = []
    for official in official_regencies().values():
        if province and official.province_code != province:
            continue
        if query and not (official.code.startswith(query) or query in official.name.lower()):
            continue
        row = RegencyRow(official, on_platform.get(official.code))
        if state == RegencyState.ON_PLATFORM and row.regency is None:
            continue
        if state in (RegencyState.ACTIVE, RegencyState.SUSPENDED, RegencyState.NOT_YET) and row.state != state:
            continue
        rows.append(row)
    return rows


def console_totals() -> dict[str, int]:
    """How many regencies are on the platform, active and suspended (one query)."""
    statuses = list(Regency.objects.exclude(schema_name__in=[settings.PUBLIC_SCHEMA_NAME, settings.TENANT_BASE_SCHEMA])
                    .values_list("status", flat=True))
    return {
        "official": len(official_regencies()),
        "on_platform": len(statuses),
        "active": statuses.count(Regency.Status.ACTIVE),
        "suspended": statuses.count(Regency.Status.SUSPENDED),
    }


def console_regency_get(*, code: str) -> Regency | None:
    return platform_regencies().filter(code=code).first()


def provisioning_job_list(*, limit: int = 20) -> QuerySet[ProvisioningJob]:
    return ProvisioningJob.objects.select_related("created_by").order_by("-created_at")[:limit]


def announcement_list() -> QuerySet[Announcement]:
    return Announcement.objects.select_related("created_by").prefetch_related("regencies").order_by("-published_from", "-pk")


def announcements_current(*, regency: Regency) -> list[dict]:
    """The announcements `regency`'s officers see now: cached briefly, one query on a miss.

    Saving an announcement bumps a version key, so a change shows at once; the
    short life covers announcements whose publication window opens or closes.
    """
    cache = caches["platform"]
    # One round trip on every officer's page: the version and the regency's entry together; the entry
    # carries the version it was read under, so a bumped version is a miss.
    key: str | None = f"console:announcements:{regency.pk}"
    try:
        got = cache.get_many([ANNOUNCEMENTS_VERSION_KEY, key])
    except Exception:  # noqa: BLE001 - without the cache, read the table
        key, got = None, {}
    version = got.get(ANNOUNCEMENTS_VERSION_KEY, 0)
    entry = got.get(key)
    if isinstance(entry, (tuple, list)) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    now = timezone.now()
    found = list(
        Announcement.objects.filter(published_from__lte=now)
        .filter(Q(published_until__isnull=True) | Q(published_until__gt=now))
        .filter(Q(audience=Announcement.Audience.ALL) | Q(regencies=regency.pk))
        .distinct().order_by("-published_from", "-pk")
        .values("pk", "title", "body", "published_from")[:5]
    )
    if key is not None:
        try:
            cache.set(key, (version, found), timeout=ANNOUNCEMENTS_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            pass
    return found
