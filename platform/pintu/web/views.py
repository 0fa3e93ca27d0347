"""Pages on the apex (landing, sign-up) and on each regency's subdomain (home)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from pintu.access.models import Role
from pintu.access.permissions import role_required
from pintu.access.roles import CONFIG_READ_ROLES
from pintu.access.selectors import membership_roles, officer_list
from pintu.errors import errors_onto
from pintu.identity import sso
from pintu.identity.models import ApiToken, User
from pintu.identity.selectors import api_tokens_of
from pintu.identity.services import api_token_revoke, user_register, user_sign_out_everywhere
from pintu.web.forms import SignInForm, SignUpForm
from tenants.selectors import regency_host_known, regency_names, regency_search, regency_url


def landing(request):
    """The apex: every regency on the platform, with a link to its subdomain."""
    port = request.get_port()
    port = "" if port in ("80", "443") else port
    scheme = "https" if request.is_secure() else "http"
    query = request.GET.get("q", "").strip()
    regencies = [(r, regency_url(r, scheme=scheme, port=port)) for r in regency_search(query=query)]
    return render(request, "web/landing.html", {"regencies": regencies, "query": query})


def regency_home(request):
    roles = membership_roles(user=request.user)
    role_names = [label for value, label in Role.choices if value in roles]
    return render(request, "web/regency_home.html", {"role_names": role_names})


class SignInView(LoginView):
    """Sign-in. On a regency subdomain a visitor who is not signed in there is sent
    through the apex (single sign-on); the form still accepts a direct POST."""

    form_class = SignInForm
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_public and not request.user.is_authenticated:
            back = request.build_absolute_uri(self.get_redirect_url() or "/")
            state = sso.state_begin(request.session)  # this browser's proof, checked when the ticket comes back
            return redirect(f"{_apex_url(request)}/sso/?{urlencode({'next': back, 'state': state})}")
        return super().get(request, *args, **kwargs)


def _apex_url(request) -> str:
    port = request.get_port()
    port = "" if port in ("80", "443") else f":{port}"
    return f"{request.scheme}://{settings.PINTU_DOMAIN}{port}"


def sso_start(request):
    """Apex: hand a signed one-time ticket to the regency subdomain named in `next`.

    `next` must name an exact regency host of the Domain table with the apex's scheme and port
    (pintu.identity.sso.target_parse); the ticket is bound to that host and to the state the
    subdomain gave this browser."""
    target = sso.target_parse(request.GET.get("next", ""), scheme=request.scheme, port=request.get_port())
    if target is None or not regency_host_known(target.hostname):
        return redirect("web:home")
    state = request.GET.get("state", "")
    if not sso.state_is_wellformed(state):
        # No browser state (an old bookmark, a hand-made link): let the subdomain start a proper hop.
        return redirect(f"{target.origin}/masuk/?{urlencode({'next': target.path})}")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    ticket = sso.ticket_issue(user_id=request.user.pk, host=target.hostname, state=state)
    return redirect(sso.accept_url(target, ticket))


def sso_accept(request):
    """Regency subdomain: redeem the apex's ticket and sign the person in here too.

    Only a ticket this browser asked for (its state is in this host's session) signs anyone in,
    and a person already signed in here as someone else is never silently switched."""
    redeemed = sso.ticket_redeem(ticket=request.GET.get("ticket", ""), host=request.get_host().split(":")[0])
    next_path = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_path, allowed_hosts=None):
        next_path = "/"
    if redeemed is None or not sso.state_take(request.session, redeemed.state):
        messages.error(request, gettext("Tautan masuk sudah kedaluwarsa atau tidak dibuat untuk peramban ini. "
                                        "Silakan masuk kembali."))
        return redirect("web:home")
    user = User.objects.filter(pk=redeemed.user_id, is_active=True).first()
    if user is None:
        messages.error(request, gettext("Akun ini tidak aktif."))
        return redirect("web:home")
    if request.user.is_authenticated:
        if request.user.pk != user.pk:
            messages.warning(request, gettext("Anda sedang masuk sebagai %(email)s. Keluar dahulu bila ingin masuk dengan akun lain.")
                                      % {"email": request.user.email})
        return redirect(next_path)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_path)


@require_http_methods(["GET", "POST"])
def signup(request):
    """Instant registration: the account works at once, on every regency's subdomain."""
    form = SignUpForm(request.POST or None)
    # Where the person was (the permit they wanted, or the apex's SSO hop back to their regency).
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = user_register(**form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            from pintu.web.accounts import send_verification

            send_verification(request, user)  # a reminder to confirm the address, not a gate
            if next_url:
                messages.success(request, gettext("Akun Anda sudah aktif. Silakan lanjutkan permohonan Anda."))
                return redirect(next_url)
            messages.success(request, gettext("Akun Anda sudah aktif. Silakan ajukan izin di daerah mana pun."))
            return redirect("web:home")
    return render(request, "web/signup.html", {"form": form, "next": next_url})


@role_required(*CONFIG_READ_ROLES)
def officers(request):
    memberships = list(officer_list())
    users = User.objects.in_bulk([m.user_id for m in memberships])
    rows = [(m, users.get(m.user_id)) for m in memberships]
    return render(request, "web/officers.html", {"rows": rows})


@login_required
def account_security(request):
    """A person's tokens (every regency) and sessions: revoke one token, or sign out everywhere."""
    tokens = list(api_tokens_of(user=request.user))
    names = regency_names(schema_names={t.schema_name for t in tokens})
    rows = [(t, names.get(t.schema_name, "Portal (apex)")) for t in tokens]
    return render(request, "web/account_security.html", {"rows": rows})


@require_POST
@login_required
def account_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another person's token: 404
    api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Token {token.prefix}… dicabut.")
    return redirect("web:account-security")


@require_POST
@login_required
def account_sign_out_everywhere(request):
    revoked = user_sign_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, gettext("Anda telah keluar dari semua perangkat; %(revoked)s token API dicabut.") % {"revoked": revoked})
    return redirect("web:login")


def unknown_host(request, *args, **kwargs):
    return render(request, "web/unknown_host.html", {"host": request.META.get("HTTP_HOST", "")}, status=404)


_FAVICON = (Path(__file__).parent / "static" / "pintu" / "favicon.ico").read_bytes()


def favicon(request):
    """/favicon.ico, which browsers ask for on every first visit (it was a 16 KB 404 page): 807 bytes."""
    response = HttpResponse(_FAVICON, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
