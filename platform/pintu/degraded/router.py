"""Sends reads to the standby during a degraded-mode request, with the regency's search_path mirrored.

django-tenants sets the regency on the default alias only (``RegencyMiddleware``); a second alias
starts in public. Before every read routed here the standby wrapper takes the default wrapper's
tenant, so a query on the standby runs in the same regency's schema and never another's.
"""
from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

from pintu.degraded.state import STANDBY_ALIAS, reading_from_standby


def standby_sync() -> None:
    primary, standby = connections[DEFAULT_DB_ALIAS], connections[STANDBY_ALIAS]
    if standby.schema_name != primary.schema_name:
        standby.set_tenant(primary.tenant, getattr(primary, "include_public_schema", True))


class StandbyRouter:
    def db_for_read(self, model, **hints):
        if reading_from_standby.get():
            standby_sync()
            return STANDBY_ALIAS
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # Rows read from the standby are the primary's rows: relate them as one database.
        return True if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, STANDBY_ALIAS} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A standby is read-only: its schema arrives by replication.
        return False if db == STANDBY_ALIAS else None
