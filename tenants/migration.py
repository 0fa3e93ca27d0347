"""Deploy-time migrations for 500+ regency schemas: only where something is pending, in parallel.

django-tenants' executors run a full `migrate` in every schema (~80 SQL
statements, the migration graph, post_migrate) even when nothing changed:
minutes for 514 regencies. PintuExecutor first asks, in one round trip
(a UNION ALL over every schema's `django_migrations`), which schemas lack a
migration that exists on disk, and migrates only those — in parallel worker
processes, with progress. It also keeps the `regency_template` schema, that
new regencies are cloned from, current (first, with the others).
"""
from __future__ import annotations

import functools
import multiprocessing
import sys
import time

from django.conf import settings
from django.db import connection, connections
from django_tenants.migration_executors import get_executor
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations

from tenants.clone import migrations_missing, q

# Options under which a schema with nothing pending may still be changed by migrate.
_OPTIONS_THAT_NEED_EVERY_SCHEMA = ("app_label", "migration_name", "fake", "fake_initial", "plan", "prune",
                                   "run_syncdb", "check_unapplied")
_UNION_CHUNK = 1000


def template_schema_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{settings.TENANT_BASE_SCHEMA}"')


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def schemas_pending(schemas: list[str]) -> dict[str, set[tuple[str, str]]]:
    """{schema: migrations on disk it has not applied}, for the schemas that have any.

    A schema without a `django_migrations` table (just created) lacks everything.
    """
    if not schemas:
        return {}
    applied: dict[str, set[tuple[str, str]]] = {schema: set() for schema in schemas}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = 'django_migrations' AND c.relkind IN ('r', 'p') AND n.nspname = ANY(%s)""",
            [list(schemas)],
        )
        with_table = sorted(row[0] for row in cursor.fetchall())
        for start in range(0, len(with_table), _UNION_CHUNK):
            chunk = with_table[start:start + _UNION_CHUNK]
            cursor.execute(" UNION ALL ".join(
                f"SELECT {_literal(schema)}, app, name FROM {q(schema)}.django_migrations" for schema in chunk
            ))
            for schema, app, name in cursor.fetchall():
                applied[schema].add((app, name))
    result = {}
    for schema in schemas:
        missing = migrations_missing(applied[schema])
        if missing:
            result[schema] = missing
    return result


def _migrate_one(args, options, codename, count, item):
    idx, schema = item
    run_migrations(args, options, codename, schema, allow_atomic=False, idx=idx, count=count)
    return schema


class PintuExecutor(MigrationExecutor):
    """Migrates the schemas that need it (template included), `processes` at a time."""

    codename = "pintu"

    def __init__(self, args, options):
        super().__init__(args, options)
        self.migrated: list[str] = []
        self.skipped = 0
        self.check_seconds = 0.0

    @property
    def processes(self) -> int:
        return max(1, int(getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)))

    def _filters(self) -> bool:
        return not any(self.options.get(option) for option in _OPTIONS_THAT_NEED_EVERY_SCHEMA)

    def _say(self, text: str) -> None:
        if int(self.options.get("verbosity", 1)) >= 1:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        all_regencies = not self.options.get("schema_name") and self.PUBLIC_SCHEMA_NAME not in tenants
        if all_regencies and settings.TENANT_BASE_SCHEMA not in tenants:
            template_schema_create()
            tenants.insert(0, settings.TENANT_BASE_SCHEMA)
        if self._filters():
            started = time.perf_counter()
            pending = schemas_pending(tenants)
            self.check_seconds = time.perf_counter() - started
            self.skipped = len(tenants) - len(pending)
            tenants = [schema for schema in tenants if schema in pending]
            if len(tenants) + self.skipped > 1 or not tenants:
                self._say(f"[pintu] {len(tenants) + self.skipped} schemas checked in {self.check_seconds:.2f} s: "
                          f"{len(tenants)} with pending migrations, {self.skipped} up to date")
        if self.PUBLIC_SCHEMA_NAME in tenants:
            tenants.remove(self.PUBLIC_SCHEMA_NAME)
            run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            self.migrated.append(self.PUBLIC_SCHEMA_NAME)
        if not tenants:
            return
        if len(tenants) == 1 or self.processes == 1 or connection.in_atomic_block:
            for idx, schema in enumerate(tenants):
                run_migrations(self.args, self.options, self.codename, schema, idx=idx, count=len(tenants))
                self.migrated.append(schema)
            return
        self._run_parallel(tenants)

    def _run_parallel(self, tenants: list[str]) -> None:
        from tqdm import tqdm

        # Forked workers inherit the app registry and settings; they must not share our connection.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        work = functools.partial(_migrate_one, self.args, self.options, self.codename, len(tenants))
        quiet = int(self.options.get("verbosity", 1)) < 1
        with context.Pool(processes=min(self.processes, len(tenants))) as pool, \
                tqdm(total=len(tenants), desc="Migrating regencies", unit="schema", file=sys.stderr,
                     disable=quiet or None) as bar:
            for schema in pool.imap_unordered(work, enumerate(tenants)):
                self.migrated.append(schema)
                bar.update(1)

    def run_multi_type_migrations(self, tenants):
        raise NotImplementedError("Pintu has one tenant type")


def executor_for(codename=None):
    if codename in (None, "", PintuExecutor.codename):
        return PintuExecutor
    return get_executor(codename)
