"""Applications and what happens to them: uploads, SOP step tasks, history, decision, permit."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from permits.models.catalog import PermitType, Requirement
from permits.models.delegation import ActingOfficial, Delegation, Position
from permits.models.workflow import Action, Sop, SopStep
from pintu.access.models import Role
from pintu.identity.models import user_reference


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        IN_PROCESS = "in_process", _("Sedang diproses")
        RETURNED = "returned", _("Dikembalikan untuk perbaikan")
        REJECTED = "rejected", _("Ditolak")
        ISSUED = "issued", _("Izin terbit")
        WITHDRAWN = "withdrawn", _("Dibatalkan pemohon")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Daring")
        COUNTER = "counter", _("Loket")
        IMPORTED = "imported", _("Register lama (diterbitkan di luar Pintu)")

    class Kind(models.TextChoices):
        NEW = "new", _("Izin baru")
        RENEWAL = "renewal", _("Perpanjangan")

    OPEN_STATUSES = (Status.SUBMITTED, Status.IN_PROCESS, Status.RETURNED)

    registration_number = models.CharField(_("nomor registrasi"), max_length=32, unique=True, null=True, blank=True)
    tracking_code = models.CharField(_("kode pelacakan"), max_length=12)
    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT, related_name="applications")
    sop = models.ForeignKey(Sop, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
                            help_text=_("Versi SOP yang berlaku saat diajukan."))
    kind = models.CharField(_("jenis permohonan"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    renewal_of = models.ForeignKey("Permit", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals")
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    applicant = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("akun pemohon"))
    applicant_name = models.CharField(_("nama pemohon"), max_length=150)
    applicant_nik = models.CharField(_("NIK pemohon"), max_length=16, blank=True)
    applicant_email = models.EmailField(_("email pemohon"), blank=True)
    applicant_phone = models.CharField(_("telepon pemohon"), max_length=20, blank=True)
    form_data = models.JSONField(_("isian formulir"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text=_("Petugas loket yang memasukkan permohonan."))
    levy_amount = models.DecimalField(_("retribusi saat diajukan (Rp)"), max_digits=14, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The SLA clock: due at the end of a working day in the regency's zone; paused while returned.
    due_at = models.DateTimeField(_("batas waktu"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]), models.Index(fields=["applicant", "-created_at"]),
            # The few applications in process among a regency's history (worklists join it, index only).
            models.Index(fields=["id"], condition=models.Q(status="in_process"), name="permits_app_in_process_idx"),
        ]

    def __str__(self) -> str:
        return self.registration_number or f"draf #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_editable(self) -> bool:
        """The applicant (or the counter) may change the form and the documents: a draft, or returned to them."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ApplicationDocument(models.Model):
    """One uploaded file for one requirement; a re-upload supersedes the previous one."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Belum diperiksa")
        ACCEPTED = "accepted", _("Sesuai")
        REJECTED = "rejected", _("Perlu diperbaiki")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=60)
    display_name = models.CharField(max_length=200, blank=True)
    is_current = models.BooleanField(default=True)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PENDING)
    review_reason = models.CharField(_("alasan"), max_length=500, blank=True)
    reviewed_by = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    #: Not stored: what was done to a phone photo on this upload ("foto diperkecil ke 0,8 MB"), said once.
    fit_note: str = ""

    class Meta:
        verbose_name = _("berkas persyaratan")
        ordering = ["requirement__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "requirement"], condition=models.Q(is_current=True),
                                               name="one_current_document_per_requirement")]


class StepTask(models.Model):
    """The work of one SOP step on one application; parallel steps are open together."""

    class Status(models.TextChoices):
        OPEN = "open", _("Menunggu")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="tasks")
    step = models.ForeignKey(SopStep, on_delete=models.PROTECT, related_name="+")
    stage = models.PositiveSmallIntegerField(help_text=_("Urutan tahap; langkah paralel berbagi satu tahap."))
    role = models.CharField(max_length=32, choices=Role.choices)
    agency = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    claimed_by = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    checklist_result = models.JSONField(default=dict, blank=True)
    # A site-survey step (issue #14.7): the visit is scheduled (and may be moved) before the step closes
    # with its report; the applicant is told each date.
    survey_at = models.DateTimeField(_("jadwal survei"), null=True, blank=True)
    survey_officer = user_reference(on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("petugas survei"))
    survey_note = models.TextField(_("catatan jadwal survei"), blank=True)
    report_key = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("tugas langkah SOP")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["status", "role", "due_at"]),
            # Worklists: open steps in due order, with what their filters read, so counts and a page's
            # ids come from this index alone however many finished steps the regency holds.
            models.Index(fields=["due_at", "id"], include=["role", "agency", "claimed_by", "application"],
                         condition=models.Q(status="open"), name="permits_task_open_due_idx"),
            # One role's open steps in due order (an officer of one role; a technical team filters its agency
            # from the index): a page or a capped count reads them, however many open steps other roles hold.
            models.Index(fields=["role", "due_at", "id"], include=["agency", "claimed_by", "application"],
                         condition=models.Q(status="open"), name="permits_task_open_role_idx"),
        ]


class ApplicationEvent(models.Model):
    """The history an applicant sees when tracking: dates, step, who holds it (a role, not a name)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=32)
    step_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=32, blank=True)
    message = models.TextField()  # whole: an officer's note or reason is never cut for the applicant

    class Meta:
        ordering = ["at", "pk"]


class Decision(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    official = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rule = models.ForeignKey(Delegation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text=_("Pelimpahan wewenang yang dipakai; kosong: wewenang kepala daerah sendiri."))
    acting = models.ForeignKey(ActingOfficial, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    authority_chain = models.JSONField(default=list)
    reason = models.TextField(_("alasan"), blank=True)
    is_fiktif_positif = models.BooleanField(default=False)
    decided_at = models.DateTimeField()


class Permit(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Berlaku")
        REVOKED = "revoked", _("Dicabut")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="permit")
    number = models.CharField(_("nomor izin"), max_length=120, unique=True)
    verification_code = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField()
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    pdf_key = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    signer_name = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    revoked_reason = models.TextField(blank=True)
    is_fiktif_positif = models.BooleanField(default=False)
    # Issued before the regency used Pintu, brought in from its old register: no PDF, no QR signature.
    is_imported = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("izin")
        verbose_name_plural = _("izin")
        ordering = ["-issued_at"]


class RegistrationCounter(models.Model):
    """Yearly sequence of registration numbers in this regency."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)
