"""Helpers for deploy tests that start other processes against the test database."""
from __future__ import annotations

from urllib.parse import quote


def database_url(name: str | None = None) -> str:
    """A DATABASE_URL for the test database (or `name` on the same server), unix sockets included."""
    from django.db import connection

    db = connection.settings_dict
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host") or "127.0.0.1"
    if host.startswith("/"):
        host = quote(host, safe="")  # a socket directory (the embedded pgserver)
    auth = quote(db.get("USER") or "postgres", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{name or db['NAME']}"
