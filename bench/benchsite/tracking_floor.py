"""The floor of issue #4's tracking benchmark: a bare WSGI app running the tracking page's SQL.

No framework: the query string parsed by hand, one psycopg2 connection per process kept open (what
CONN_MAX_AGE gives Django), `SET search_path` then the application by number (tracking code
compared), its history and its open steps; a minimal escaped HTML answer. bench/applications.py
calls it in process and serves it with gunicorn next to Pintu (`PINTU_BENCH_SCHEMA`, `DATABASE_URL`).
"""
from __future__ import annotations

import hmac
import html
import os
from urllib.parse import parse_qs

import psycopg2

_connection = None


def _cursor():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
    return _connection.cursor()


def application(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    number = (query.get("nomor") or [""])[0].strip().upper()
    code = (query.get("kode") or [""])[0].strip().upper()
    with _cursor() as cursor:
        cursor.execute("SET search_path = %s, public", [os.environ.get("PINTU_BENCH_SCHEMA", "trenggalek")])
        cursor.execute("SELECT id, tracking_code, status, due_at FROM permits_application "
                       "WHERE registration_number = %s", [number])
        row = cursor.fetchone()
        if row is None or not hmac.compare_digest(row[1], code):
            start_response("404 Not Found", [("Content-Type", "text/html; charset=utf-8")])
            return [b"<p>not found</p>"]
        cursor.execute("SELECT at, message FROM permits_applicationevent WHERE application_id = %s ORDER BY at",
                       [row[0]])
        events = cursor.fetchall()
        cursor.execute("SELECT s.name, t.role FROM permits_steptask t JOIN permits_sopstep s ON s.id = t.step_id "
                       "WHERE t.application_id = %s AND t.status = 'open'", [row[0]])
        holders = cursor.fetchall()
    body = (f"<p>{html.escape(number)} {html.escape(row[2])} {row[3]}</p><ol>"
            + "".join(f"<li>{at} {html.escape(message)}</li>" for at, message in events) + "</ol><p>"
            + "; ".join(f"{html.escape(name)} {html.escape(role)}" for name, role in holders) + "</p>")
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [body.encode()]
