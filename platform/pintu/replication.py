"""Streaming replication: the writes that must survive the primary, and how far the standby lags.

The primary runs with ``synchronous_standby_names`` naming the standby and ``synchronous_commit =
local``: most writes (sessions, meters, drafts) do not wait for the standby. The writes a person is
told about — a registration number ("Permohonan diajukan"), a decision, a permit number — raise
their own transaction to ``synchronous_commit = on``: COMMIT returns only once the standby has the
WAL on disk, so a primary lost right after the acknowledgement loses nothing. On a server without a
synchronous standby the setting changes nothing (docs/operations.md).
"""
from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections


def synchronous_commit_require(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make the current transaction's COMMIT wait for the synchronous standby (SET LOCAL: this transaction only)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("synchronous_commit_require() must run inside transaction.atomic")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO on")


def replication_lag_seconds(*, using: str = DEFAULT_DB_ALIAS) -> float | None:
    """Seconds the most lagging standby is behind (from the primary), or this server's replay lag on a standby."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        if cursor.fetchone()[0]:
            cursor.execute("SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)")
        else:
            cursor.execute("SELECT MAX(EXTRACT(EPOCH FROM COALESCE(replay_lag, interval '0'))) FROM pg_stat_replication")
        value = cursor.fetchone()[0]
    return None if value is None else float(value)
