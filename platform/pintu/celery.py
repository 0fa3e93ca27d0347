"""The Celery app. Tasks carry the regency's schema (tenant-schemas-celery).

Tasks modules take `shared_task` from here, not from `celery`: importing it creates and configures
this app first, so a task queued from a web or test process goes to the configured broker although
nothing imports the app at start-up (`pintu/__init__.py`).
"""
import os

from celery import shared_task
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")

app = CeleryApp("pintu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

__all__ = ["app", "shared_task"]
