"""One account per person, valid on every subdomain (public schema)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
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
    # Bumped by "Keluar dari semua perangkat" (services.user_sign_out_everywhere): every session's
    # auth hash includes it, so each session on the apex and every subdomain stops verifying at once.
    session_epoch = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.email

    def _get_session_auth_hash(self, secret=None):
        if not self.session_epoch:  # never signed out everywhere: Django's own hash (no session lost on deploy)
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac("pintu.identity.User.session_auth_hash", f"{self.password}:{self.session_epoch}",
                           secret=secret, algorithm="sha256").hexdigest()


class ApiToken(models.Model):
    """An API token: for one regency (the schema it was issued on), one kind, until it expires.

    Only the key's SHA-256 is stored. On every request the token's roles are checked against the
    person's live, active memberships there (pintu.identity.authentication), so deactivating a
    membership stops the token without touching it."""

    class Kind(models.TextChoices):
        READ = "read", _("Hanya baca")
        OFFICER = "officer", _("Atas nama saya")
        INTEGRATION = "integration", _("Integrasi sistem")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("awalan"), max_length=8)
    schema_name = models.CharField(_("daerah (skema)"), max_length=63)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.OFFICER)
    roles = models.JSONField(_("peran saat dibuat"), default=list, blank=True)
    name = models.CharField(_("nama"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live")]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.schema_name})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


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
