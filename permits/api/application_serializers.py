"""Shapes of applications, steps and permits in the API (output), and the small inputs it takes."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from permits.models.applications import Application, ApplicationDocument, ApplicationEvent, Permit, StepTask
from permits.models.workflow import Action
from permits.regency import regency_now


class RegencyDateTimeField(serializers.DateTimeField):
    """ISO 8601 in the regency's own time zone (+07:00 WIB, +08:00 WITA, +09:00 WIT)."""

    def to_representation(self, value):
        return regency_now(at=value).isoformat() if value else None


class EventSerializer(serializers.ModelSerializer):
    at = RegencyDateTimeField()

    class Meta:
        model = ApplicationEvent
        fields = ["at", "kind", "step_name", "role", "message"]


class DocumentSerializer(serializers.ModelSerializer):
    requirement_name = serializers.CharField(source="requirement.name")
    reviewed_at = RegencyDateTimeField()
    uploaded_at = RegencyDateTimeField()

    class Meta:
        model = ApplicationDocument
        fields = ["id", "requirement", "requirement_name", "display_name", "content_type", "size", "sha256",
                  "review", "review_reason", "reviewed_at", "uploaded_at"]


class PermitSummarySerializer(serializers.ModelSerializer):
    issued_at = RegencyDateTimeField()

    class Meta:
        model = Permit
        fields = ["id", "number", "status", "issued_at", "valid_from", "valid_until", "verification_code",
                  "revoked_reason"]


class ApplicationListSerializer(serializers.ModelSerializer):
    permit_type = serializers.CharField(source="permit_type.code")
    permit_type_name = serializers.CharField(source="permit_type.name")
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = RegencyDateTimeField()
    due_at = RegencyDateTimeField()
    created_at = RegencyDateTimeField()

    class Meta:
        model = Application
        fields = ["id", "registration_number", "tracking_code", "permit_type", "permit_type_name", "kind", "channel",
                  "status", "status_label", "created_at", "submitted_at", "due_at"]


def tracking_data(tracking) -> dict:
    application = tracking.application
    return {
        "registration_number": application.registration_number,
        "permit_type_name": application.permit_type.name,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "submitted_at": regency_now(at=application.submitted_at).isoformat() if application.submitted_at else None,
        "due_at": tracking.due_at.isoformat() if tracking.due_at else None,
        "held_by": tracking.holders,
        "history": EventSerializer(tracking.events, many=True).data,
    }


class ApplicationDetailSerializer(ApplicationListSerializer):
    form_data = serializers.JSONField()
    documents = serializers.SerializerMethodField()
    permit = serializers.SerializerMethodField()
    tracking = serializers.SerializerMethodField()

    class Meta(ApplicationListSerializer.Meta):
        fields = ApplicationListSerializer.Meta.fields + ["applicant_name", "form_data", "documents", "permit",
                                                          "tracking"]

    def get_documents(self, obj) -> list[dict]:
        documents = obj.documents.filter(is_current=True).select_related("requirement")
        return DocumentSerializer(documents, many=True).data

    def get_permit(self, obj) -> dict | None:
        permit = Permit.objects.filter(application=obj).first()
        return PermitSummarySerializer(permit).data if permit else None

    def get_tracking(self, obj) -> dict | None:
        tracking = self.context.get("tracking")
        return tracking_data(tracking) if tracking else None


class SigningOfficialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class SigningSerializer(serializers.Serializer):
    official = SigningOfficialSerializer(allow_null=True, help_text="Yang menandatangani hari ini; null bila belum ada.")
    signs_as = serializers.CharField(help_text="mis. 'Dewi Lestari (Plh. Kepala DPMPTSP)'.")
    position = serializers.CharField()
    acting = serializers.ChoiceField(choices=["plh", "plt"], allow_null=True)
    can_sign = serializers.BooleanField()


class TaskSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id")
    registration_number = serializers.CharField(source="application.registration_number")
    permit_type_name = serializers.CharField(source="application.permit_type.name")
    step_name = serializers.CharField(source="step.name")
    allowed_actions = serializers.ListField(source="step.allowed_actions", child=serializers.CharField())
    checklist = serializers.ListField(source="step.checklist", child=serializers.CharField())
    claimed_by = serializers.SerializerMethodField()
    opened_at = RegencyDateTimeField()
    due_at = RegencyDateTimeField()
    is_late = serializers.SerializerMethodField()
    signing = serializers.SerializerMethodField(
        help_text="Langkah keputusan: siapa yang memegang wewenang tanda tangan hari ini (Plh/Plt bila pejabat "
                  "berhalangan); null untuk langkah lain.")
    may_decide = serializers.SerializerMethodField(
        help_text="Apakah Anda dapat menyetujui/menolak langkah ini (hanya pemegang wewenang hari ini).")

    class Meta:
        model = StepTask
        fields = ["id", "application", "registration_number", "permit_type_name", "step_name", "stage", "role",
                  "agency", "status", "allowed_actions", "checklist", "claimed_by", "opened_at", "due_at", "is_late",
                  "signing", "may_decide"]

    def get_claimed_by(self, obj) -> dict | None:
        user = obj.claimed_by
        return {"id": user.pk, "full_name": user.full_name} if user else None

    def get_is_late(self, obj) -> bool:
        return obj.status == StepTask.Status.OPEN and obj.due_at < self.context["now"]

    def _authority(self, obj):
        """Who signs `obj` today: from the context's `authorities` (a worklist page, resolved at once),
        else resolved for this step alone (no query when it decides nothing)."""
        from permits.regency import regency_today
        from permits.selectors.delegation import signing_authorities

        known = self.context.setdefault("authorities", {})
        if obj.pk not in known:
            known.update(signing_authorities([obj], on=regency_today()))
        return known.get(obj.pk)

    @extend_schema_field(SigningSerializer(allow_null=True))
    def get_signing(self, obj) -> dict | None:
        authority = self._authority(obj)
        if authority is None:
            return None
        official = authority.official
        return {"official": {"id": official.pk, "full_name": official.full_name} if official else None,
                "signs_as": authority.signs_as, "position": authority.position.name if authority.position else "",
                "acting": authority.acting.kind if authority.acting else None, "can_sign": authority.can_sign}

    def get_may_decide(self, obj) -> bool:
        """The worklist's card rule (`step_offer`): from the context's `offers` (a worklist page), else
        for this step alone."""
        from permits.selectors.delegation import step_offer

        offer = self.context.get("offers", {}).get(obj.pk)
        if offer is None:
            request = self.context.get("request")
            offer = step_offer(self._authority(obj), getattr(request, "user", None), claimed_by_id=obj.claimed_by_id)
        return offer.may_decide


# --- inputs ------------------------------------------------------------------


class DraftCreateInput(serializers.Serializer):
    permit_type = serializers.SlugField(help_text="Kode jenis izin, mis. 'sip-bidan'.")
    kind = serializers.ChoiceField(choices=Application.Kind.choices, default=Application.Kind.NEW)
    renewal_of = serializers.CharField(required=False, allow_blank=True,
                                       help_text="Nomor izin yang diperpanjang (untuk perpanjangan).")


class FormSaveInput(serializers.Serializer):
    data = serializers.DictField(help_text="Isian formulir: kunci isian → nilai.")


class DocumentUploadInput(serializers.Serializer):
    requirement = serializers.IntegerField()
    file = serializers.FileField()


class DocumentReviewInput(serializers.Serializer):
    accepted = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class TaskActInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    checklist = serializers.DictField(child=serializers.BooleanField(), required=False, default=dict)
    report = serializers.FileField(required=False, allow_null=True, default=None,
                                   help_text="Laporan survei (PDF/JPG/PNG), multipart; wajib untuk menyelesaikan "
                                             "langkah survei (setelah kunjungan dijadwalkan).")


class SurveyScheduleInput(serializers.Serializer):
    at = serializers.DateTimeField(help_text="Tanggal dan jam kunjungan (ISO 8601 dengan zona waktu).")
    officer = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text="Petugas survei yang berkunjung (id akun); kosong: saya.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class SurveyScheduleSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="pk")
    survey_at = RegencyDateTimeField()
    survey_officer = serializers.SerializerMethodField()

    class Meta:
        model = StepTask
        fields = ["task", "survey_at", "survey_officer", "survey_note"]

    def get_survey_officer(self, obj) -> dict | None:
        user = obj.survey_officer
        return {"id": user.pk, "full_name": user.full_name} if user else None


class RevokeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
