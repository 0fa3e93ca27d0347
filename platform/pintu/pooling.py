"""Refuse a connection pooler that would share one server session between regencies.

Each request sets its regency's ``search_path`` once per connection (django-tenants, with
TENANT_LIMIT_SET_CALLS it is not repeated). PgBouncer in session mode gives a client one server
connection for the whole client connection and resets it (``DISCARD ALL``) when handing it to the
next: safe. In transaction (or statement) mode the server connection goes back to the pool after
every transaction, so the next regency's query could run under the previous regency's path — a
leak of one regency's data into another. That mode is detected at start-up and refused.

The probe: client connection A sets a session variable and finishes its transaction; client
connection B (A still open) asks for it. On PostgreSQL itself or behind a session-mode pooler B
has its own server session and sees nothing; behind a transaction-mode pooler B is handed A's
server session (the only idle one) and sees A's value.
"""
from __future__ import annotations

import logging
import uuid

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

ERROR = ("The database connection is pooled in transaction or statement mode (PgBouncer pool_mode = "
         "transaction/statement): a session's search_path would leak between regencies. Use pool_mode = session "
         "for Pintu's database (docs/operations.md, 'Connection pooling').")


class SessionSharedBetweenClients(ImproperlyConfigured):
    pass


def pooling_check(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Raise SessionSharedBetweenClients when two client connections share a server session.

    Returns True when checked, False when the database could not be reached (the pod still starts:
    degraded mode and /readyz handle an unreachable database; the check runs again at the next start).
    """
    import psycopg2

    params = connections[using].get_connection_params()
    params["connect_timeout"] = 3
    marker = uuid.uuid4().hex
    try:
        first = psycopg2.connect(**params)
    except psycopg2.Error as exc:
        logger.warning("pooling check skipped: database unreachable (%s)", type(exc).__name__)
        return False
    try:
        first.autocommit = True
        with first.cursor() as cursor:
            cursor.execute("SELECT set_config('pintu.pool_probe', %s, false)", [marker])
        second = psycopg2.connect(**params)
        try:
            second.autocommit = True
            with second.cursor() as cursor:
                cursor.execute("SELECT current_setting('pintu.pool_probe', true)")
                seen = cursor.fetchone()[0]
        finally:
            second.close()
    finally:
        first.close()
    if seen == marker:
        raise SessionSharedBetweenClients(ERROR)
    return True
