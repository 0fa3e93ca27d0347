"""URL patterns served on the apex and on every regency subdomain alike."""
from django.contrib.auth.views import LogoutView
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from pintu.api_docs import schema_view
from pintu.identity.api import TokenObtainAPI
from pintu.web import accounts, views

account_patterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", LogoutView.as_view(), name="logout"),
    path("daftar/", views.signup, name="signup"),
    # A person's own tokens and sessions (security item 5), on the apex and every subdomain alike.
    path("akun/keamanan/", views.account_security, name="account-security"),
    path("akun/keamanan/token/<int:pk>/cabut/", views.account_token_revoke, name="account-token-revoke"),
    path("akun/keamanan/keluar-semua/", views.account_sign_out_everywhere, name="account-sign-out-everywhere"),
    # Account lifecycle (issue #15): forgotten password, change password, e-mail confirmation.
    path("lupa-sandi/", accounts.PasswordResetView.as_view(), name="password-reset"),
    path("lupa-sandi/terkirim/", accounts.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("atur-sandi/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("atur-sandi/selesai/", accounts.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("ubah-sandi/", accounts.PasswordChangeView.as_view(), name="password-change"),
    path("ubah-sandi/selesai/", accounts.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path("konfirmasi-email/<str:token>/", accounts.verify, name="email-verify"),
    path("konfirmasi-email/", accounts.verification_resend, name="email-verify-resend"),
    # The language switch (footer): sets the language cookie; Indonesian until a person picks. No CSRF
    # token: choosing a language changes nothing of anyone's data, and a token in the footer made every
    # public page personal (a cached page carried its first visitor's token, so the next visitor, who
    # got no cookie with it, had the switch refused with a 403).
    path("bahasa/", csrf_exempt(set_language), name="set-language"),
    path("favicon.ico", views.favicon, name="favicon"),
]


def schema_patterns_for(urlconf: str) -> list:
    """The host's own OpenAPI document (generated from `urlconf`, the host's URLconf) and its browsable docs.

    `/api/schema/` and `/api/v1/schema/` serve the document; `/api/docs/` Swagger UI from the sidecar's static
    files (no CDN; the page's script is a separate file for the CSP). No Redoc: its page fetches its logo from
    cdn.redoc.ly whatever its settings (tests/e2e/test_api_docs.py caught it). drf-spectacular's views load on
    their first request (`pintu.api_docs.schema_view`), not at start-up.
    """
    return [
        path("api/schema/", schema_view("SpectacularAPIView", urlconf=urlconf), name="schema"),
        path("api/v1/schema/", schema_view("SpectacularAPIView", urlconf=urlconf), name="schema-v1"),
        path("api/docs/", schema_view("SpectacularSwaggerSplitView", url_name="schema"), name="api-docs"),
        # API sign-in (email + password -> token), throttled; same on the apex and every subdomain.
        path("api/v1/auth/token/", TokenObtainAPI.as_view(), name="api-token"),
    ]
