"""Level metrics measured from the regencies' own schemas, in one round trip for all of them."""
from __future__ import annotations

from django.db import connection

from billing_free.models import Metric
from billing_free.services.metering import meter_set


def officer_levels_record() -> int:
    """Record each regency's number of active officers (distinct people with a role) this month."""
    from tenants.selectors import regency_list

    regencies = {r.schema_name: r for r in regency_list(include_suspended=True)}
    if not regencies:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [list(regencies)])
        present = [row[0] for row in cursor.fetchall()]
        if not present:
            return 0
        parts = [
            f"SELECT %s, count(DISTINCT user_id) FROM {connection.ops.quote_name(schema)}.access_membership "
            "WHERE is_active" for schema in present
        ]
        cursor.execute(" UNION ALL ".join(parts), present)
        counts = cursor.fetchall()
    for schema, count in counts:
        meter_set(regency=regencies[schema], metric=Metric.OFFICERS, value=count)
    return len(counts)
