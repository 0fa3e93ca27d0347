"""Creating a regency's schema: cloned from the template, fast at any scale.

django-tenants' clone path costs ~0.5 s per regency and grows with the
catalog: it re-creates a ~4,600-line PL/pgSQL function (pg-clone-schema) on
every call, that function scans the whole catalog, and then
`migrate_schemas --fake` loads the migration graph and runs post_migrate for
a schema whose `django_migrations` was already copied with the data.

Here the template is read from the catalog with queries filtered by its
namespace, and re-created with plain DDL: `CREATE TABLE ... (LIKE ...)`
for columns, defaults, identities, CHECKs and comments; constraints and
indexes under their original names (later migrations drop and rename them
by name); rows copied; every sequence set to the template's value. The
migration history comes with the rows, so no migrate runs unless the
template is behind the code (then the missing migrations really run).

Objects this does not reproduce (views, functions, triggers, policies,
partitions, own types, non-identity sequences used as defaults elsewhere)
make it fall back to django-tenants' function, installed once per database
and re-installed only when its text changes.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

logger = logging.getLogger(__name__)

_graph_lock = threading.Lock()
_graph_nodes: set[tuple[str, str]] | None = None
_disk_names: frozenset[tuple[str, str]] | None = None


class CloneError(RuntimeError):
    pass


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


# --- what the code on disk expects ------------------------------------------


def migration_graph_nodes() -> set[tuple[str, str]]:
    """Every migration on disk (squashes resolved), loaded once per process."""
    global _graph_nodes
    with _graph_lock:
        if _graph_nodes is None:
            from django.db.migrations.loader import MigrationLoader

            loader = MigrationLoader(None, ignore_no_migrations=True)
            _graph_nodes = set(loader.graph.nodes)
        return _graph_nodes


def migration_names_on_disk() -> frozenset[tuple[str, str]] | None:
    """(app label, name) of every migration module in the apps' migrations packages, found as Django's
    MigrationLoader finds them but without importing them: the graph's nodes are among these (a squash
    removes the migrations it replaces, never adds one). None when a migrations package cannot be
    imported (the loader then says why). Listed once per process."""
    global _disk_names
    with _graph_lock:
        if _disk_names is None:
            import pkgutil
            from importlib import import_module

            from django.apps import apps
            from django.db.migrations.loader import MigrationLoader

            names: set[tuple[str, str]] = set()
            for app_config in apps.get_app_configs():
                module_name, explicit = MigrationLoader.migrations_module(app_config.label)
                if module_name is None:
                    continue
                try:
                    module = import_module(module_name)
                except ModuleNotFoundError as exc:
                    if explicit or "migrations" in (exc.name or "").split("."):
                        continue  # an app without migrations (the loader's words: unmigrated)
                    return None
                except ImportError:
                    return None
                names.update((app_config.label, name) for _, name, is_pkg in pkgutil.iter_modules(
                    getattr(module, "__path__", [])) if not is_pkg and name[0] not in "_~")
            _disk_names = frozenset(names)
        return _disk_names


def migrations_missing(applied: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The migrations of the graph that `applied` lacks. When every migration module on disk is applied
    (a deploy with nothing to do) that is none, and the graph is not loaded: MigrationLoader imports every
    migration file (~0.1 s of each `migrate`, issue #19)."""
    on_disk = migration_names_on_disk()
    if on_disk is not None and on_disk <= applied:
        return set()
    return migration_graph_nodes() - applied


def applied_migrations(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {q(schema)}.django_migrations")
        return set(cursor.fetchall())


# --- the catalog ------------------------------------------------------------


def schema_oid(cursor, name: str) -> int | None:
    cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [name])
    row = cursor.fetchone()
    return row[0] if row else None


@dataclass
class Template:
    """What the catalog says about the template schema.

    pg_class is scanned once (it has no index on the namespace, and holds
    ~47,000 rows at 514 regencies); everything else is looked up by the oids
    found there, through the catalog's indexes.
    """

    name: str
    tables: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # oid -> (name, comment)
    sequences: dict[int, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    columns: dict[int, list[tuple[int, str, bool]]] = field(default_factory=dict)  # oid -> (attnum, name, generated)


def template_read(cursor, source: str, nsp: int) -> Template:
    template = Template(source)
    cursor.execute(
        """SELECT oid, relname, relkind::text, relispartition OR relrowsecurity, obj_description(oid, 'pg_class')
             FROM pg_class WHERE relnamespace = %s""",
        [nsp],
    )
    for oid, name, kind, special, comment in cursor.fetchall():
        if kind == "r" and not special:
            template.tables[oid] = (name, comment)
        elif kind == "S":
            template.sequences[oid] = name
        elif kind != "i":
            template.problems.append(f"relation {name} (kind {kind}{', partition/RLS' if special else ''})")
    tables, sequences = list(template.tables), list(template.sequences)
    cursor.execute(
        """SELECT a.attrelid, a.attnum, a.attname, a.attgenerated <> '', t.typnamespace = %s
             FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = ANY(%s::oid[]) AND a.attnum > 0 AND NOT a.attisdropped""",
        [nsp, tables],
    )
    for relid, attnum, name, generated, own_type in cursor.fetchall():
        template.columns.setdefault(relid, []).append((attnum, name, generated))
        if own_type:
            template.problems.append(f"column {template.tables[relid][0]}.{name} has a type of the template")
    for columns in template.columns.values():
        columns.sort()
    cursor.execute(
        """SELECT 'inherits ' || inhrelid::regclass::text FROM pg_inherits WHERE inhrelid = ANY(%(t)s::oid[])
           UNION ALL
           SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgrelid = ANY(%(t)s::oid[]) AND NOT tgisinternal
           UNION ALL
           SELECT 'rule ' || rulename FROM pg_rewrite WHERE ev_class = ANY(%(t)s::oid[])
           UNION ALL
           SELECT 'default ' || adrelid::regclass::text || ' uses a sequence' FROM pg_attrdef
            WHERE adrelid = ANY(%(t)s::oid[]) AND pg_get_expr(adbin, adrelid) LIKE '%%nextval(%%'
           UNION ALL
           SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = %(n)s
           UNION ALL
           SELECT 'sequence ' || c.relname || ' (not an identity)' FROM pg_class c
            WHERE c.oid = ANY(%(s)s::oid[]) AND NOT EXISTS (
              SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                 AND d.deptype = 'i')""",
        {"t": tables, "s": sequences, "n": nsp},
    )
    template.problems += [row[0] for row in cursor.fetchall()]
    return template


def unsupported_objects(cursor, nsp: int) -> list[str]:
    """Objects in the template that the plain-DDL clone would not reproduce."""
    cursor.execute("SELECT nspname FROM pg_namespace WHERE oid = %s", [nsp])
    return template_read(cursor, cursor.fetchone()[0], nsp).problems


def _clone_plan(cursor, template: Template) -> list[str] | None:
    """The statements that re-create the template's tables in the current search path.

    Generated with the search path set to the template alone, so references to
    its own objects come out unqualified (and land in the new schema) while
    references to public stay qualified.
    """
    source, tables = template.name, list(template.tables)
    cursor.execute("SELECT set_config('search_path', %s, true)", [q(source)])
    create, copy, constraints, foreign, indexes = [], [], [], [], []
    for oid, (name, comment) in sorted(template.tables.items(), key=lambda item: item[1][0]):
        create.append(
            f"CREATE TABLE {q(name)} (LIKE {q(source)}.{q(name)} INCLUDING ALL EXCLUDING INDEXES)"
        )
        if comment:
            create.append(f"COMMENT ON TABLE {q(name)} IS " + _literal(comment))
        columns = ", ".join(q(column) for _, column, generated in template.columns.get(oid, []) if not generated)
        if columns:
            copy.append(
                f"INSERT INTO {q(name)} ({columns}) OVERRIDING SYSTEM VALUE "
                f"SELECT {columns} FROM {q(source)}.{q(name)}"
            )
    # CHECK and NOT NULL come with LIKE (names kept); the rest by name.
    cursor.execute(
        """SELECT conrelid, conname, contype::text, conindid, pg_get_constraintdef(oid)
             FROM pg_constraint WHERE conrelid = ANY(%s::oid[]) AND contype IN ('p', 'u', 'f', 'x')""",
        [tables],
    )
    backing = set()
    for relid, name, kind, index_oid, definition in sorted(cursor.fetchall(), key=lambda r: (r[2] == "f", r[1])):
        target = foreign if kind == "f" else constraints
        target.append(f"ALTER TABLE {q(template.tables[relid][0])} ADD CONSTRAINT {q(name)} {definition}")
        if kind != "f":
            backing.add(index_oid)
    cursor.execute(
        "SELECT indexrelid, pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = ANY(%s::oid[])", [tables]
    )
    prefix, bare_prefix = f" ON {q(source)}.", f" ON {source}."
    for index_oid, definition in sorted(cursor.fetchall(), key=lambda r: r[1]):
        if index_oid in backing:
            continue
        if prefix in definition:
            definition = definition.replace(prefix, " ON ", 1)
        elif bare_prefix in definition:
            definition = definition.replace(bare_prefix, " ON ", 1)
        else:
            return None
        indexes.append(definition)
    return create + copy + constraints + indexes + foreign


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sequence_values(cursor, template: Template) -> list[tuple[str, str, str, int, bool]]:
    """(table, column, data type, last_value, is_called) for every identity column of the template."""
    if not template.sequences:
        return []
    cursor.execute(
        """SELECT d.objid, d.refobjid, d.refobjsubid, format_type(s.seqtypid, NULL)
             FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid
            WHERE d.classid = 'pg_class'::regclass AND d.objid = ANY(%s::oid[]) AND d.deptype = 'i'""",
        [list(template.sequences)],
    )
    owners = cursor.fetchall()
    if not owners:
        return []
    cursor.execute(" UNION ALL ".join(
        f"SELECT {int(seq)}::oid, last_value, is_called FROM {q(template.name)}.{q(template.sequences[seq])}"
        for seq, *_ in owners
    ))
    values = {oid: (last_value, is_called) for oid, last_value, is_called in cursor.fetchall()}
    result = []
    for seq, relid, attnum, data_type in owners:
        column = next(name for num, name, _ in template.columns[relid] if num == attnum)
        result.append((template.tables[relid][0], column, data_type, *values[seq]))
    return result


# --- cloning ----------------------------------------------------------------


def schema_clone(*, source: str, target: str) -> str:
    """Create schema `target` as a copy of `source` (structure, rows, sequence values).

    Returns the method used: "ddl" (fast path) or "pg-clone-schema" (fallback).
    Runs in one transaction: on any error nothing is left behind.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        nsp = schema_oid(cursor, source)
        if nsp is None:
            raise CloneError(f"template schema {source!r} does not exist")
        cursor.execute("SELECT 1 FROM pg_namespace WHERE lower(nspname) = lower(%s)", [target])
        if cursor.fetchone():
            raise CloneError(f"schema {target!r} already exists")
        template = template_read(cursor, source, nsp)
        plan = None if template.problems else _clone_plan(cursor, template)
        if plan is None:
            logger.info("cloning %s with pg-clone-schema: %s", source,
                        "; ".join(template.problems) or "index definitions")
            _clone_with_function(cursor, source, target)
            return "pg-clone-schema"
        sequences = _sequence_values(cursor, template)
        # One round trip for the whole structure and the rows.
        cursor.execute(";\n".join([f"CREATE SCHEMA {q(target)}", f"SET LOCAL search_path = {q(target)}", *plan]))
        if sequences:
            cursor.execute(
                "SELECT pg_get_serial_sequence(t, c) FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS s(t, c, i)"
                " ORDER BY i",
                [[f"{q(target)}.{q(table)}" for table, *_ in sequences], [column for _, column, *_ in sequences]],
            )
            names = [row[0] for row in cursor.fetchall()]
            statements = []
            for name, (_, _, data_type, last_value, is_called) in zip(names, sequences):
                # LIKE ... INCLUDING IDENTITY makes every identity sequence bigint; keep the template's type.
                if data_type != "bigint":
                    statements.append(f"ALTER SEQUENCE {name} AS {data_type}")
                statements.append(f"SELECT setval({_literal(name)}, {int(last_value)}, {bool(is_called)})")
            cursor.execute(";\n".join(statements))
        # Django's own tracking of the search path is per connection; make it re-issue its SET.
        connection.search_path_set_schemas = None
    return "ddl"


def _function_fingerprint() -> tuple[str, str]:
    from django_tenants.clone import CLONE_SCHEMA_FUNCTION

    db_user = settings.DATABASES["default"].get("USER", None) or "postgres"
    text = CLONE_SCHEMA_FUNCTION.format(db_user=db_user)
    return text, "pintu-clone:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def clone_function_ensure(cursor) -> bool:
    """Install django-tenants' clone function unless this exact version is there. True if installed now."""
    text, mark = _function_fingerprint()
    cursor.execute(
        "SELECT obj_description(p.oid, 'pg_proc') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = 'public' AND p.proname = 'clone_schema'"
    )
    if mark in {row[0] for row in cursor.fetchall()}:
        return False
    cursor.execute(text)
    cursor.execute(f"COMMENT ON FUNCTION public.clone_schema(text, text, public.cloneparms[]) IS {_literal(mark)}")
    return True


def _clone_with_function(cursor, source: str, target: str) -> None:
    clone_function_ensure(cursor)
    cursor.execute("SELECT public.clone_schema(%s, %s, 'DATA')", [source, target])
    connection.search_path_set_schemas = None


# --- creating a regency schema ------------------------------------------------


def regency_schema_create(schema_name: str, *, verbosity: int = 0, sync_schema: bool = True) -> str:
    """Create a regency's schema from the template; "migrate" when there is no template.

    After the clone, the migrations the template lacks (a deploy that has not
    migrated yet) are really applied to the new schema, never faked.
    """
    base = settings.TENANT_BASE_SCHEMA
    if not sync_schema:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {q(schema_name)}")
        return "empty"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{q(base)}.django_migrations"])
        has_template = cursor.fetchone()[0]
    if not has_template:
        schema_create_by_migrations(schema_name, verbosity=verbosity)
        return "migrate"
    method = schema_clone(source=base, target=schema_name)
    if migrations_missing(applied_migrations(schema_name)):
        _migrate(schema_name, verbosity=verbosity)
    connection.set_schema_to_public()
    return method


def schema_create_by_migrations(schema_name: str, *, verbosity: int = 0) -> None:
    """The slow path, for comparison and for a database without a template."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {q(schema_name)}")
    _migrate(schema_name, verbosity=verbosity)
    connection.set_schema_to_public()


def _migrate(schema_name: str, *, verbosity: int) -> None:
    call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False,
                 verbosity=verbosity, executor="standard")
