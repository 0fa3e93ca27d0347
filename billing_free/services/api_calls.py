"""Counting API calls per regency without touching PostgreSQL on every request.

Each call is one HINCRBY on a Redis hash (field `<regency id>:<month>`); the periodic
`meters_flush` task renames the hash to a batch key, adds the batch to the meters with an
idempotency key per field, and deletes it. A crash between the two leaves the batch key,
which the next flush finishes without counting anything twice.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from billing_free.models import Metric

if TYPE_CHECKING:
    import redis

    from tenants.models import Regency
from billing_free.services.metering import meter_add, month_of

log = logging.getLogger(__name__)

COUNTER_KEY = "pintu:meter:api_calls"
BATCH_PREFIX = COUNTER_KEY + ":batch:"
_client: dict[str, redis.Redis] = {}


def redis_client() -> redis.Redis:
    import redis  # here, not at start-up: management commands and migrations never count a call

    url = settings.REDIS_URL
    if url not in _client:
        _client[url] = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return _client[url]


def api_call_count(*, regency: Regency, amount: int = 1) -> None:
    """One API call of `regency` this month. Never fails a request: a lost count beats a 500."""
    import redis

    field = f"{regency.pk}:{month_of(regency).isoformat()}"
    try:
        redis_client().hincrby(COUNTER_KEY, field, amount)
    except redis.RedisError:
        log.warning("api call not metered for regency %s", regency.pk, exc_info=True)


def api_calls_pending() -> dict[tuple[int, dt.date], int]:
    """Counts not flushed yet (for tests and the ministry console)."""
    pending: dict[tuple[int, dt.date], int] = {}
    client = redis_client()
    keys = [COUNTER_KEY, *client.scan_iter(match=BATCH_PREFIX + "*")]
    for key in keys:
        for field, count in client.hgetall(key).items():
            regency_id, month = field.decode().split(":")
            slot = (int(regency_id), dt.date.fromisoformat(month))
            pending[slot] = pending.get(slot, 0) + int(count)
    return pending


def api_calls_flush() -> int:
    """Move counted API calls into the meters; returns how many calls were added."""
    import redis

    from tenants.models import Regency

    client = redis_client()
    batch = f"{BATCH_PREFIX}{uuid.uuid4().hex}"
    try:
        client.rename(COUNTER_KEY, batch)
    except redis.ResponseError:  # nothing counted since the last flush
        pass
    added = 0
    for key in list(client.scan_iter(match=BATCH_PREFIX + "*")):
        name = key.decode()
        fields = {f.decode(): int(c) for f, c in client.hgetall(key).items()}
        regencies = Regency.objects.in_bulk({int(f.split(":")[0]) for f in fields})
        with transaction.atomic():
            for field, count in fields.items():
                regency_id, month = field.split(":")
                regency = regencies.get(int(regency_id))
                if regency is None or count <= 0:
                    continue
                if meter_add(regency=regency, metric=Metric.API_CALLS, amount=count,
                             on=dt.date.fromisoformat(month), idempotency_key=f"api:{name}:{field}"):
                    added += count
        client.delete(key)
    return added
