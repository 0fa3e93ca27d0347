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

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

logger = logging.getLogger(__name__)

_graph_lock = threading.Lock()
_graph_nodes: set[tuple[str, str]] | None = None


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


def applied_migrations(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {q(schema)}.django_migrations")
        return set(cursor.fetchall())


# --- the catalog ------------------------------------------------------------


def schema_oid(cursor, name: str) -> int | None:
    cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [name])
    row = cursor.fetchone()
    return row[0] if row else None


def unsupported_objects(cursor, nsp: int) -> list[str]:
    """Objects in the template that the plain-DDL clone would not reproduce."""
    cursor.execute(
        """
        SELECT 'relation ' || relname || ' (kind ' || relkind::text || ')' FROM pg_class
         WHERE relnamespace = %(n)s AND relkind NOT IN ('r', 'i', 'S')
        UNION ALL
        SELECT 'table ' || relname || ' (partitioned/inherited/rls)' FROM pg_class
         WHERE relnamespace = %(n)s AND relkind = 'r' AND (relispartition OR relrowsecurity)
        UNION ALL
        SELECT 'inheritance ' || inhrelid::regclass::text FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relnamespace = %(n)s
        UNION ALL
        SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = %(n)s
        UNION ALL
        SELECT 'type ' || typname FROM pg_type t WHERE typnamespace = %(n)s AND typtype <> 'b'
           AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid)
        UNION ALL
        SELECT 'trigger ' || tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
         WHERE c.relnamespace = %(n)s AND NOT g.tgisinternal
        UNION ALL
        SELECT 'rule ' || rulename FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
         WHERE c.relnamespace = %(n)s
        UNION ALL
        SELECT 'sequence ' || s.relname || ' (not an identity)' FROM pg_class s
         WHERE s.relnamespace = %(n)s AND s.relkind = 'S' AND NOT EXISTS (
           SELECT 1 FROM pg_depend d WHERE d.objid = s.oid AND d.classid = 'pg_class'::regclass
              AND d.deptype = 'i')
        UNION ALL
        SELECT 'column default ' || c.relname || '.' || a.attname || ' uses a sequence'
          FROM pg_attrdef ad JOIN pg_class c ON c.oid = ad.adrelid
          JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
         WHERE c.relnamespace = %(n)s AND pg_get_expr(ad.adbin, ad.adrelid) LIKE '%%nextval(%%'
        """,
        {"n": nsp},
    )
    return [row[0] for row in cursor.fetchall()]


def _clone_plan(cursor, source: str, nsp: int) -> list[str] | None:
    """The statements that re-create `source`'s tables in the current search path.

    Generated with the search path set to `source` alone, so references to the
    template's own objects come out unqualified (and land in the new schema)
    while references to public stay qualified.
    """
    cursor.execute("SELECT set_config('search_path', %s, true)", [q(source)])
    cursor.execute(
        """
        SELECT c.oid, c.relname, obj_description(c.oid, 'pg_class'),
               (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '')
          FROM pg_class c WHERE c.relnamespace = %s AND c.relkind = 'r' ORDER BY c.relname
        """,
        [nsp],
    )
    tables = cursor.fetchall()
    create, copy, constraints, foreign, indexes = [], [], [], [], []
    for oid, name, comment, columns in tables:
        create.append(
            f"CREATE TABLE {q(name)} (LIKE {q(source)}.{q(name)} INCLUDING ALL EXCLUDING INDEXES)"
        )
        if comment:
            create.append(f"COMMENT ON TABLE {q(name)} IS " + _literal(comment))
        if columns:
            copy.append(
                f"INSERT INTO {q(name)} ({columns}) OVERRIDING SYSTEM VALUE "
                f"SELECT {columns} FROM {q(source)}.{q(name)}"
            )
    # CHECK and NOT NULL come with LIKE (names kept); the rest by name.
    cursor.execute(
        """
        SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid)
          FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
         WHERE c.relnamespace = %s AND c.relkind = 'r' AND k.contype IN ('p', 'u', 'f', 'x')
         ORDER BY c.relname, k.contype = 'f', k.conname
        """,
        [nsp],
    )
    for table, name, kind, definition in cursor.fetchall():
        target = foreign if kind == "f" else constraints
        target.append(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")
    cursor.execute(
        """
        SELECT pg_get_indexdef(i.indexrelid)
          FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
         WHERE c.relnamespace = %s AND c.relkind = 'r'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                                                          AND k.conrelid = i.indrelid)
         ORDER BY 1
        """,
        [nsp],
    )
    prefix = f" ON {q(source)}."
    bare_prefix = f" ON {source}."
    for (definition,) in cursor.fetchall():
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


def _sequence_values(cursor, source: str, nsp: int) -> list[tuple[str, str, str, int, bool]]:
    """(table, column, data type, last_value, is_called) for every identity column of the template."""
    cursor.execute(
        """
        SELECT t.relname, a.attname, s.relname, format_type(ps.seqtypid, NULL)
          FROM pg_class s
          JOIN pg_sequence ps ON ps.seqrelid = s.oid
          JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'i'
          JOIN pg_class t ON t.oid = d.refobjid
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
         WHERE s.relnamespace = %s AND s.relkind = 'S'
        """,
        [nsp],
    )
    rows = cursor.fetchall()
    result = []
    for table, column, sequence, data_type in rows:
        cursor.execute(f"SELECT last_value, is_called FROM {q(source)}.{q(sequence)}")
        last_value, is_called = cursor.fetchone()
        result.append((table, column, data_type, last_value, is_called))
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
        problems = unsupported_objects(cursor, nsp)
        plan = None if problems else _clone_plan(cursor, source, nsp)
        if plan is None:
            logger.info("cloning %s with pg-clone-schema: %s", source, "; ".join(problems) or "index definitions")
            _clone_with_function(cursor, source, target)
            return "pg-clone-schema"
        sequences = _sequence_values(cursor, source, nsp)
        # One round trip for the whole structure and the rows.
        cursor.execute(";\n".join([f"CREATE SCHEMA {q(target)}", f"SET LOCAL search_path = {q(target)}", *plan]))
        if sequences:
            cursor.execute(
                "SELECT pg_get_serial_sequence(t, c) FROM unnest(%s::text[], %s::text[]) AS s(t, c)",
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
    if migration_graph_nodes() - applied_migrations(schema_name):
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
