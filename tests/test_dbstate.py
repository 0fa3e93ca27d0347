"""tests.dbstate: what a committing test leaves behind is seen, named and put back."""
from __future__ import annotations

from django.db import connection
from django_tenants.utils import schema_context

from tests import dbstate


def test_committed_rows_a_changed_row_and_a_new_schema_are_named_and_put_back(django_db_setup, django_db_blocker,
                                                                               database_restored):
    from pintu.access.models import Agency

    with django_db_blocker.unblock():
        dbstate.baseline_take()
        assert dbstate.changes() == []
        with schema_context("trenggalek"):
            Agency.objects.create(name="Dinas Uji Tertinggal", code="uji-tertinggal")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE tenants_regency SET name = name || ' (diubah)' WHERE schema_name = 'kota_blitar'")
            cursor.execute("CREATE SCHEMA uji_tertinggal")
            cursor.execute("CREATE TABLE uji_tertinggal.t (x int)")
        found = dbstate.changes()
        assert [line.split(" [")[0] for line in found] == [
            "schema uji_tertinggal created",
            "public.tenants_regency: 1 rows added or changed, 1 removed",
            "trenggalek.access_agency: 1 rows added or changed, 0 removed"], found
        assert "(diubah)" in found[1] and "Dinas Uji Tertinggal" in found[2]  # the rows themselves, to find who
        assert dbstate.restore() == found
        assert dbstate.changes() == []
        with schema_context("trenggalek"):
            assert not Agency.objects.filter(code="uji-tertinggal").exists()
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM tenants_regency WHERE schema_name = 'kota_blitar'")
            assert "(diubah)" not in cursor.fetchone()[0]
            cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'uji_tertinggal'")
            assert cursor.fetchone() is None
