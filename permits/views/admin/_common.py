"""What every administrator's page shares: who may see and who may change, and domain refusals as field errors."""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from permits.models import PermitType
from pintu.access.models import Role
from pintu.access.permissions import has_role, role_required
from pintu.access.roles import CONFIG_READ_ROLES
from pintu.errors import DomainError, errors_onto


def admin_view(view):
    """GET for administrators, auditors and the head; anything that changes data for administrators only."""

    @role_required(*CONFIG_READ_ROLES)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") and not has_role(request, Role.REGENCY_ADMIN):
            raise PermissionDenied(gettext("Hanya administrator instansi yang dapat mengubah pengaturan."))
        return view(request, *args, **kwargs)

    return wrapped


def can_edit(request) -> bool:
    return has_role(request, Role.REGENCY_ADMIN)


def page(request, template: str, context: dict):
    return render(request, f"permits/admin/{template}", {"can_edit": can_edit(request), **context})


def attempt(form, call, *, rename: dict[str, str] | None = None):
    """Run `call()` (one service); on a refusal put its messages on `form` and return None."""
    try:
        return call()
    except DomainError as exc:
        errors_onto(form, exc, rename=rename)
        return None


def permit_type_of(code: str) -> PermitType:
    return get_object_or_404(PermitType, code=code)


def form_page(request, form, save, *, saved_message, to, template: str, context=None):
    """A page with one form: a valid POST calls `save()` (one service) -> message and redirect; else the page.

    `saved_message` and `to` may be functions of the saved record; `context` a function, read only to render.
    """
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, save)
        if saved is not None:
            messages.success(request, saved_message(saved) if callable(saved_message) else saved_message)
            return redirect(to(saved) if callable(to) else to)
    return page(request, template, {"form": form, **((context() if callable(context) else context) or {})})


def edit_page(request, form, save, *, title: str, back: str, multipart: bool = False, saved_message):
    """The shared edit page of a record listed on `back` (simple_edit.html)."""
    return form_page(request, form, save, saved_message=saved_message, to=back, template="simple_edit.html",
                     context={"title": title, "back": back, "multipart": multipart})


def post_action(request, call, *, to: str, done_message: str = ""):
    """A POST-only change through one service (delete, move); a refusal becomes the error message."""
    try:
        call()
        if done_message:
            messages.success(request, done_message)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(to)
