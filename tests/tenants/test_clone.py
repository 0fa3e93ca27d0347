"""The fast clone (tenants.clone): a new regency's schema is the template, to the last index."""
import pytest
from django.db import connection
from django_tenants.utils import schema_context

from pintu.access.models import Membership, Role
from pintu.audit.models import AuditEntry
from pintu.audit.services import audit_record
from tenants.clone import (
    applied_migrations,
    clone_function_ensure,
    migration_graph_nodes,
    regency_schema_create,
    schema_clone,
)
from tenants.services import regency_provision

TEMPLATE = "regency_template"


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(tuple(str(v) for v in row) for row in cursor.fetchall())


def catalog_of(schema: str) -> dict[str, list]:
    """Everything that defines a schema, with its own name taken out so two schemas compare."""
    def norm(rows):
        return sorted(tuple(v.replace(f"{schema}.", "<s>.") for v in row) for row in rows)

    return {
        "columns": norm(_rows(
            """SELECT table_name, column_name, data_type, character_maximum_length,
                      is_nullable, coalesce(column_default, ''), is_identity, coalesce(identity_generation, ''),
                      is_generated
                 FROM information_schema.columns WHERE table_schema = %s""", [schema])),
        # the order of columns, not their numbers (a dropped column leaves a gap in the template)
        "column_order": norm(_rows(
            """SELECT table_name, string_agg(column_name, ',' ORDER BY ordinal_position)
                 FROM information_schema.columns WHERE table_schema = %s GROUP BY table_name""", [schema])),
        "indexes": norm(_rows(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s", [schema])),
        "constraints": norm(_rows(
            """SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid, true),
                      k.condeferrable, k.condeferred
                 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s""", [schema])),
        "sequences": norm(_rows(
            """SELECT sequencename, data_type, start_value, min_value, max_value, increment_by, cycle,
                      coalesce(last_value, 0)
                 FROM pg_sequences WHERE schemaname = %s""", [schema])),
        "relations": norm(_rows(
            """SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = %s""", [schema])),
    }


def row_counts(schema: str) -> dict[str, int]:
    tables = [t for (t,) in _rows("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])]
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def test_cloned_schema_matches_the_template_table_by_table_index_by_index(db):
    assert schema_clone(source=TEMPLATE, target="klon_satu") == "ddl"
    template, clone = catalog_of(TEMPLATE), catalog_of("klon_satu")
    assert template["columns"]  # a real schema, not two empty ones
    assert any(kind == "f" for _, _, kind, *_ in template["constraints"])
    for part in template:
        assert clone[part] == template[part], part
    # rows (migration history, content types) come along
    assert row_counts("klon_satu") == row_counts(TEMPLATE)
    assert applied_migrations("klon_satu") == applied_migrations(TEMPLATE)
    # foreign keys inside the regency point into the clone, not back into the template
    refs = _rows(
        """SELECT k.confrelid::regclass::text FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'klon_satu' AND k.contype = 'f'""", [])
    assert refs and not any(TEMPLATE in ref for (ref,) in refs)


def test_provisioned_regency_is_complete_and_up_to_date_without_a_migrate(db, django_assert_max_num_queries):
    result = regency_provision(code="3471", welcome=False)  # Kota Yogyakarta
    schema = result.regency.schema_name
    assert catalog_of(schema)["indexes"] == catalog_of(TEMPLATE)["indexes"]
    assert not migration_graph_nodes() - applied_migrations(schema)
    with schema_context(schema):
        assert Membership.objects.filter(role=Role.REGENCY_ADMIN, user=result.admin).exists()
        assert AuditEntry.objects.filter(action="regency.provision").count() == 1


def test_sequences_of_a_new_regency_start_from_the_template_and_move_on_their_own(db, trenggalek):
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value, is_called FROM regency_template.audit_auditentry_id_seq")
        template_seq = cursor.fetchone()
        cursor.execute(f'SELECT last_value FROM "{trenggalek.schema_name}".audit_auditentry_id_seq')
        trenggalek_seq = cursor.fetchone()[0]
    regency_schema_create("klon_dua")
    with schema_context("klon_dua"):
        first = audit_record(actor=None, action="uji.satu")
        second = audit_record(actor=None, action="uji.dua")
        assert (first.seq, second.seq) == (1, 2)
        assert second.pk == first.pk + 1
        # a content type row inserted in the clone takes the next id after the copied ones
        from django.contrib.contenttypes.models import ContentType

        copied = ContentType.objects.count()
        ContentType.objects.create(app_label="uji", model="barang")
        assert ContentType.objects.count() == copied + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value, is_called FROM regency_template.audit_auditentry_id_seq")
        assert cursor.fetchone() == template_seq
        cursor.execute(f'SELECT last_value FROM "{trenggalek.schema_name}".audit_auditentry_id_seq')
        assert cursor.fetchone()[0] == trenggalek_seq
        cursor.execute("SELECT count(*) FROM regency_template.audit_auditentry")
        assert cursor.fetchone()[0] == 0


def test_clone_into_an_existing_schema_is_refused_and_leaves_it_alone(db, trenggalek):
    from tenants.clone import CloneError

    before = row_counts(trenggalek.schema_name)
    with pytest.raises(CloneError):
        schema_clone(source=TEMPLATE, target=trenggalek.schema_name.upper())
    assert row_counts(trenggalek.schema_name) == before


def test_migrations_the_template_lacks_are_really_applied_to_the_new_schema(db):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM regency_template.django_migrations WHERE app = 'sessions'")
    regency_schema_create("klon_tiga")
    assert not migration_graph_nodes() - applied_migrations("klon_tiga")
    assert ("sessions", "0001_initial") in applied_migrations("klon_tiga")


def test_template_with_a_view_falls_back_to_the_clone_function_installed_once(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA tpl_pandang")
        cursor.execute("CREATE TABLE tpl_pandang.barang (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                       " nama text NOT NULL)")
        cursor.execute("INSERT INTO tpl_pandang.barang (nama) VALUES ('a'), ('b')")
        cursor.execute("CREATE VIEW tpl_pandang.daftar AS SELECT nama FROM tpl_pandang.barang")
        clone_function_ensure(cursor)
    assert schema_clone(source="tpl_pandang", target="klon_pandang") == "pg-clone-schema"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM klon_pandang.daftar")
        assert cursor.fetchone()[0] == 2
        assert clone_function_ensure(cursor) is False  # already there, same version: not re-created
