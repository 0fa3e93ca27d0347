"""URL patterns served on the apex and on every regency subdomain alike."""
from django.contrib.auth.views import LogoutView
from django.urls import path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from pintu.identity.api import TokenObtainAPI
from pintu.web import views


account_patterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", LogoutView.as_view(), name="logout"),
    path("daftar/", views.signup, name="signup"),
    # A person's own tokens and sessions (security item 5), on the apex and every subdomain alike.
    path("akun/keamanan/", views.account_security, name="account-security"),
    path("akun/keamanan/token/<int:pk>/cabut/", views.account_token_revoke, name="account-token-revoke"),
    path("akun/keamanan/keluar-semua/", views.account_sign_out_everywhere, name="account-sign-out-everywhere"),
    # The language switch (footer): sets the language cookie; Indonesian until a person picks.
    path("bahasa/", set_language, name="set-language"),
    path("favicon.ico", views.favicon, name="favicon"),
]
schema_patterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # API sign-in (email + password -> token), throttled; same on the apex and every subdomain.
    path("api/v1/auth/token/", TokenObtainAPI.as_view(), name="api-token"),
]
