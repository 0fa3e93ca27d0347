"""Deploy-time migrations: only schemas with something pending are migrated, in parallel."""
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.management.commands.migrate_schemas import Command as MigrateSchemas

from tenants.clone import applied_migrations, migration_graph_nodes, schema_clone
from tenants.migration import PintuExecutor, schemas_pending

TEMPLATE = "regency_template"
# A leaf migration of a public-only app: in a regency schema, applying it only records it.
PROBE = ("sessions", "0001_initial")


def executor(*argv: str) -> PintuExecutor:
    options = vars(MigrateSchemas().create_parser("manage.py", "migrate_schemas").parse_args(
        ["--tenant", "--noinput", "-v", "0", *argv]))
    return PintuExecutor([], {**options, "skip_checks": True})


def _forget(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', list(PROBE))


def _history_ids(schema: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id FROM "{schema}".django_migrations ORDER BY id')
        return [row[0] for row in cursor.fetchall()]


def test_nothing_pending_checks_every_schema_in_one_round_trip_and_migrates_none(trenggalek, blitar):
    run = executor()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        run.run_migrations(tenants=[trenggalek.schema_name, blitar.schema_name])
    assert time.perf_counter() - started < 2
    assert run.migrated == [] and run.skipped == 3  # the template is checked too
    union = [q["sql"] for q in queries.captured_queries if "UNION ALL" in q["sql"]]
    assert len(union) == 1 and all(f'"{s}".django_migrations' in union[0] for s in (TEMPLATE, "trenggalek"))
    assert len(queries.captured_queries) <= 4


def test_nothing_pending_is_known_without_loading_the_migration_graph(trenggalek, blitar, monkeypatch):
    """Every migration module on disk applied: no MigrationLoader (it imports every migration file); one
    missing: the graph says exactly which."""
    from tenants import clone

    monkeypatch.setattr(clone, "_graph_nodes", None)
    assert schemas_pending([TEMPLATE, "trenggalek", "kota_blitar"]) == {}
    assert clone._graph_nodes is None
    _forget(blitar.schema_name)
    assert schemas_pending([TEMPLATE, "trenggalek", "kota_blitar"]) == {"kota_blitar": {PROBE}}
    assert clone._graph_nodes is not None and clone._graph_nodes <= clone.migration_names_on_disk()


def test_migrate_command_over_all_regencies_says_nothing_is_pending(trenggalek, blitar, capsys):
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1)
    out = capsys.readouterr().out
    assert "with pending migrations" in out and " 0 with pending migrations" in out


def test_a_migration_pending_in_some_schemas_is_applied_to_exactly_those(trenggalek, blitar):
    _forget(blitar.schema_name)
    _forget(TEMPLATE)
    untouched = _history_ids(trenggalek.schema_name)
    assert set(schemas_pending([TEMPLATE, "trenggalek", "kota_blitar"])) == {TEMPLATE, "kota_blitar"}

    run = executor()
    run.run_migrations(tenants=[trenggalek.schema_name, blitar.schema_name])

    assert run.migrated == [TEMPLATE, "kota_blitar"]
    for schema in (TEMPLATE, "kota_blitar", "trenggalek"):
        assert PROBE in applied_migrations(schema)
        assert not migration_graph_nodes() - applied_migrations(schema)
    assert _history_ids(trenggalek.schema_name) == untouched
    assert schemas_pending([TEMPLATE, "trenggalek", "kota_blitar"]) == {}


def test_a_schema_without_migration_history_counts_as_pending_everything(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA uji_kosong")
    assert schemas_pending(["uji_kosong", "trenggalek"]) == {"uji_kosong": migration_graph_nodes()}


@pytest.mark.slow
def test_pending_schemas_are_migrated_by_two_worker_processes(django_db_setup, django_db_blocker, settings):
    """Committed schemas (workers have their own connections), dropped afterwards."""
    settings.TENANT_MULTIPROCESSING_MAX_PROCESSES = 2
    names = ["uji_mig_a", "uji_mig_b", "uji_mig_c", "uji_mig_d"]
    with django_db_blocker.unblock():
        try:
            for name in names:
                schema_clone(source=TEMPLATE, target=name)
            for name in names[1:3]:
                _forget(name)
            untouched = {name: _history_ids(name) for name in (names[0], names[3])}

            run = executor("--executor", "pintu")
            run.run_migrations(tenants=names)

            assert sorted(run.migrated) == names[1:3]
            for name in names:
                assert PROBE in applied_migrations(name)
            for name, ids in untouched.items():
                assert _history_ids(name) == ids
        finally:
            connection.set_schema_to_public()
            with connection.cursor() as cursor:
                for name in names:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
