"""Pintu: the platform layer (settings, URLconfs, Celery app, identity, access, audit, web)."""
from pintu.celery import app as celery_app

__all__ = ["celery_app"]
