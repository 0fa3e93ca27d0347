"""The regency's public transparency page (no sign-in)."""
from django.urls import path

from permits.views import transparency

app_name = "transparency"

urlpatterns = [path("transparansi/", transparency.transparency, name="page")]
