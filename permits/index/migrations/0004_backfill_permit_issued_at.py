"""Index rows written before 0003 have no permit_issued_at: the public register and open data sort and
filter by it, so those permits fell off the end. Copy it from each regency's own permit row."""
from django.db import migrations

SQL = """
UPDATE public.permits_index_applicationindex AS i
   SET permit_issued_at = p.issued_at
  FROM {schema}.permits_permit AS p
 WHERE i.regency_id = %s AND p.application_id = i.application_id
   AND i.permit_number <> '' AND i.permit_issued_at IS NULL
"""


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    if getattr(connection, "schema_name", "public") != "public":
        return  # django-tenants runs this module in every schema; the index is public
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT r.id, r.schema_name FROM public.tenants_regency r JOIN information_schema.tables t"
                       " ON t.table_schema = r.schema_name AND t.table_name = 'permits_permit'")
        for regency_id, schema in cursor.fetchall():
            cursor.execute(SQL.format(schema=quote(schema)), [regency_id])


class Migration(migrations.Migration):
    dependencies = [
        ("permits_index", "0003_index_permit_issued_at"),
        ("tenants", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
