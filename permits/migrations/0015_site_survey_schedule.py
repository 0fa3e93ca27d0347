"""Issue #14.7: a site visit is scheduled (date and time, officer, note) before its step closes.

The visit date becomes a date and time: earlier dates (entered only when closing) are kept as
midnight UTC of that day, which is the same calendar day in every Indonesian zone (07.00-09.00).
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('permits', '0014_requirement_accepts_photo_as_pdf'),
    ]

    operations = [
        migrations.RenameField(model_name='steptask', old_name='survey_on', new_name='survey_at'),
        migrations.AlterField(
            model_name='steptask',
            name='survey_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='jadwal survei'),
        ),
        migrations.AddField(
            model_name='steptask',
            name='survey_officer',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='petugas survei'),
        ),
        migrations.AddField(
            model_name='steptask',
            name='survey_note',
            field=models.TextField(blank=True, verbose_name='catatan jadwal survei'),
        ),
    ]
