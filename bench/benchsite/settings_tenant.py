"""Pintu's own settings (RegencyMiddleware, django-tenants backend), the bench view as URLconf."""
from pintu.settings import *  # noqa: F401,F403

DEBUG = False
ROOT_URLCONF = "benchsite.urls"
