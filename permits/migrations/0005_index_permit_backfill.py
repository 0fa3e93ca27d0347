"""Copy each issued permit's number, verification code, end date and status into the public index row."""

from django.db import migrations

BACKFILL = """
UPDATE public.permits_index_applicationindex AS i
   SET permit_number = p.number, verification_code = p.verification_code,
       permit_valid_until = p.valid_until, permit_status = p.status
  FROM permits_permit AS p, public.tenants_regency AS r
 WHERE r.schema_name = current_schema() AND i.regency_id = r.id AND i.application_id = p.application_id
"""


class Migration(migrations.Migration):

    dependencies = [
        ("permits", "0004_survey_complaints"),
        ("permits_index", "0002_permit_verification"),
    ]

    operations = [migrations.RunSQL(BACKFILL, migrations.RunSQL.noop)]
