"""URL patterns served on the apex and on every regency subdomain alike."""
from django.contrib.auth.views import LogoutView
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from pintu.identity.api import TokenObtainAPI
from pintu.web import views


account_patterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", LogoutView.as_view(), name="logout"),
    path("daftar/", views.signup, name="signup"),
]
schema_patterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # API sign-in (email + password -> token), throttled; same on the apex and every subdomain.
    path("api/v1/auth/token/", TokenObtainAPI.as_view(), name="api-token"),
]
