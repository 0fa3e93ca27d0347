"""The same, with no tenant routing: plain PostgreSQL backend, the regency's schema fixed per connection."""
import os

from pintu.settings import *  # noqa: F401,F403
from pintu.settings import DATABASES, MIDDLEWARE

DEBUG = False
ROOT_URLCONF = "benchsite.urls"
MIDDLEWARE = [m for m in MIDDLEWARE if m != "tenants.middleware.RegencyMiddleware"]
# DATABASE_ROUTERS stays: django_tenants (still installed) insists; it only matters to migrate.
_schema = os.environ["PINTU_BENCH_SCHEMA"]
DATABASES = {
    "default": {
        **DATABASES["default"],
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), "options": f"-c search_path={_schema},public"},
    }
}
