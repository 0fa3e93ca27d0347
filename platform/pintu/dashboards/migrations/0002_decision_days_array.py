"""Each day's histogram of working days to decision becomes an integer array (element n + 1 = files decided
in n working days) that the national aggregate sums in SQL; the rows already rolled up are converted."""

from django.db import migrations

import pintu.dashboards.models

TABLE = "dashboards_regencydailystats"  # written out in the SQL below

FORWARD = """
ALTER TABLE dashboards_regencydailystats ADD COLUMN decision_days_array integer[] NOT NULL DEFAULT '{}';
UPDATE dashboards_regencydailystats SET decision_days_array = ARRAY(
    SELECT coalesce((decision_days ->> n::text)::integer, 0)
    FROM generate_series(0, (SELECT max(k::integer) FROM jsonb_object_keys(decision_days) k)) n ORDER BY n)
WHERE decision_days <> '{}'::jsonb;
ALTER TABLE dashboards_regencydailystats DROP COLUMN decision_days;
ALTER TABLE dashboards_regencydailystats RENAME COLUMN decision_days_array TO decision_days;
ALTER TABLE dashboards_regencydailystats ALTER COLUMN decision_days DROP DEFAULT;
"""

BACKWARD = """
ALTER TABLE dashboards_regencydailystats ADD COLUMN decision_days_object jsonb NOT NULL DEFAULT '{}';
UPDATE dashboards_regencydailystats SET decision_days_object = (
    SELECT jsonb_object_agg((u.n - 1)::text, u.files) FROM unnest(decision_days) WITH ORDINALITY u(files, n)
    WHERE u.files <> 0)
WHERE decision_days <> '{}' AND EXISTS (SELECT 1 FROM unnest(decision_days) files WHERE files <> 0);
ALTER TABLE dashboards_regencydailystats DROP COLUMN decision_days;
ALTER TABLE dashboards_regencydailystats RENAME COLUMN decision_days_object TO decision_days;
ALTER TABLE dashboards_regencydailystats ALTER COLUMN decision_days DROP DEFAULT;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("dashboards", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(FORWARD, BACKWARD)],
            state_operations=[
                migrations.AlterField(
                    model_name="regencydailystats",
                    name="decision_days",
                    field=pintu.dashboards.models.WorkingDaysHistogram(default=dict),
                ),
            ],
        ),
    ]
