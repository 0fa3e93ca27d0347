"""Dashboard URLs: `national_patterns` on the apex under /kementerian/dasbor/, `regency_patterns` on subdomains."""
from django.urls import path

from pintu.dashboards import views

national_patterns = [path("", views.national, name="national")]
regency_patterns = [path("", views.regency, name="regency")]
