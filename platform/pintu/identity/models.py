"""One account per person, valid on every subdomain (public schema)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pintu.identity.nik import validate_nik


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Applicants, regency officers and ministry staff alike: roles live elsewhere."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    nik = models.CharField(
        _("NIK"), max_length=16, unique=True, null=True, blank=True, validators=[validate_nik]
    )
    phone = models.CharField(_("nomor telepon"), max_length=20, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_verified_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.email


class MinistryRole(models.Model):
    """A role in the central ministry's console (apex domain)."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Administrator kementerian")
        INSPECTOR = "inspector", _("Inspektur (laporan pungli)")
        ANALYST = "analyst", _("Analis pemantauan")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="ministry_roles")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="ministry_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


def user_reference(**options) -> models.ForeignKey:
    """A regency table's reference to a platform account, without a database constraint.

    One constraint per reference and regency would put two triggers each on this shared table
    (thousands at 514 regencies), re-read by PostgreSQL whenever a connection opens the table or a
    regency is provisioned; Django still applies `on_delete` (docs/engineering.md).
    """
    return models.ForeignKey(settings.AUTH_USER_MODEL, db_constraint=False, **options)
