"""The Celery app. Tasks carry the regency's schema (tenant-schemas-celery)."""
import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")

app = CeleryApp("pintu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
