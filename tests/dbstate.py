"""The test database as a worker found it, and putting it back.

Most tests run in a transaction that pytest-django rolls back. Some cannot: their web server, Celery
worker, threads or pg_dump are other connections and must see committed rows (tests/e2e, tests/faults,
the OSS and notify workers, concurrency and lock-order races, backup and restore, migrations...).
What they commit used to stay for the rest of the worker's session, so an ordinary test that happened
to run after one on the same worker saw it (an agency name taken, "Jabatan dengan Kode ... telah ada",
counts off by the committed rows), and the suite passed only in the order plain work stealing gave.

The database is small (4 schemas, ~150 tables, ~50 KB of rows at the start), so each worker keeps a
copy of every table's rows (COPY ... TO STDOUT, ~20 ms) taken before its first test module, and:
- a module that commits asks for `database_restored` (tests/conftest.py): when the module is done
  on that worker, every table whose rows differ is emptied and reloaded from the copy, and schemas
  and tables created since (a regency provisioned for a browser test) are dropped;
- every module that touches the database is checked when it is done (`_database_as_found`): rows
  left behind by a module that did not ask for `database_restored` are put back too, and the
  module's last test errors, naming the tables, so a new committing test cannot pollute silently.
Sequences are not wound back (a later id is never an assertion); Redis is not touched.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

Table = tuple[str, str]  # (schema, table)


@dataclass
class Baseline:
    rows: dict[Table, list[str]] = field(default_factory=dict)  # each table's COPY lines, sorted
    schemas: set[str] = field(default_factory=set)


_baseline: list[Baseline] = []  # one per worker process, taken before its first module that uses the database

_TABLES = """SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname NOT LIKE 'pg\\_%%' ORDER BY 1, 2"""
_SCHEMAS = """SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema')
              AND nspname NOT LIKE 'pg\\_%%'"""


def _quoted(table: Table) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in table)


def _read(cursor) -> tuple[dict[Table, list[str]], set[str]]:
    cursor.execute(_TABLES)
    tables = [tuple(row) for row in cursor.fetchall()]
    rows = {}
    for table in tables:
        buffer = io.StringIO()
        cursor.copy_expert(f"COPY {_quoted(table)} TO STDOUT", buffer)
        rows[table] = sorted(filter(None, buffer.getvalue().split("\n")))  # order-free: an UPDATE moves a row physically
    cursor.execute(_SCHEMAS)
    return rows, {name for (name,) in cursor.fetchall()}


def _connection():
    from django.db import connection

    connection.ensure_connection()
    return connection


def baseline_take() -> None:
    """Once per worker process, before any of its tests committed anything."""
    if not _baseline:
        with _connection().cursor() as cursor:
            rows, schemas = _read(cursor)
        _baseline.append(Baseline(rows=rows, schemas=schemas))


def changes() -> list[str]:
    """What differs from the baseline, one line each ('trenggalek.permits_agency: 3 rows added, 0 removed')."""
    if not _baseline:
        return []
    base = _baseline[0]
    with _connection().cursor() as cursor:
        rows, schemas = _read(cursor)
    found = [f"schema {name} created" for name in sorted(schemas - base.schemas)]
    found += [f"schema {name} dropped" for name in sorted(base.schemas - schemas)]
    for table in sorted(set(rows) | set(base.rows)):
        if table[0] not in base.schemas or table[0] not in schemas:
            continue
        if table not in base.rows:
            found.append(f"{'.'.join(table)}: table created")
        elif table not in rows:
            found.append(f"{'.'.join(table)}: table dropped")
        elif rows[table] != base.rows[table]:
            now, then = set(rows[table]), set(base.rows[table])
            found.append(f"{'.'.join(table)}: {len(now - then)} rows added or changed, {len(then - now)} removed"
                         + "".join(f" [{line[:160]}]" for line in sorted(now - then)[:2]))
    return found


def restore() -> list[str]:
    """Put the rows back as the baseline has them (one transaction); what was different, as `changes` says."""
    from django.db import transaction

    found = changes()
    if not found:
        return found
    base = _baseline[0]
    connection = _connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are deferrable: checked at COMMIT
        rows, schemas = _read(cursor)
        for name in sorted(schemas - base.schemas):
            cursor.execute(f'DROP SCHEMA "{name}" CASCADE')
        for table in sorted(set(rows) - set(base.rows)):
            if table[0] in base.schemas:
                cursor.execute(f"DROP TABLE {_quoted(table)} CASCADE")
        for table, lines in base.rows.items():
            if table in rows and rows[table] != lines:
                cursor.execute(f"DELETE FROM {_quoted(table)}")
                if lines:
                    cursor.copy_expert(f"COPY {_quoted(table)} FROM STDIN", io.StringIO("\n".join(lines) + "\n"))
    from tenants import routing

    routing._hosts.clear()  # a host of a dropped regency must not route from this process's cache
    return found
