"""Shapes of the permits API. Validation of rules happens in the services; these only check shape."""
from __future__ import annotations

from rest_framework import serializers

from permits.models import (
    ActingOfficial,
    Delegation,
    FormField,
    LocalHoliday,
    PermitType,
    Position,
    Requirement,
    Sop,
    SopStep,
)
from permits.selectors.workflow import sop_total_working_days
from pintu.access.selectors import officer_users


class RequirementSerializer(serializers.ModelSerializer):
    allowed_types = serializers.ListField(child=serializers.CharField(max_length=8), allow_empty=True)

    class Meta:
        model = Requirement
        fields = ["id", "permit_type", "order", "name", "help_text", "allowed_types", "max_size_kb", "is_mandatory",
                  "applies_to", "is_obtainable_from_agency", "accepts_photo_as_pdf"]
        validators = []  # uniqueness is the service's to say (with its own code)


class FormFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormField
        fields = ["id", "permit_type", "order", "key", "label", "kind", "choices", "is_required", "help_text"]
        validators = []


class SopStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = SopStep
        fields = ["order", "name", "role", "agency", "sla_working_days", "allowed_actions", "checklist",
                  "parallel_group"]


class SopSerializer(serializers.ModelSerializer):
    steps = SopStepSerializer(many=True, read_only=True)
    permit_type_code = serializers.CharField(source="permit_type.code", read_only=True)

    class Meta:
        model = Sop
        fields = ["id", "permit_type", "permit_type_code", "version", "status", "note", "created_at", "published_at",
                  "retired_at", "steps"]
        read_only_fields = ["version", "status", "created_at", "published_at", "retired_at"]


class SopWriteSerializer(serializers.Serializer):
    permit_type = serializers.PrimaryKeyRelatedField(queryset=PermitType.objects.all(), required=False)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)
    steps = serializers.ListField(child=serializers.DictField(), required=False)


class PermitTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PermitType
        fields = ["id", "code", "name", "description", "legal_basis", "is_active", "is_online", "sla_working_days",
                  "validity_months", "is_renewable", "levy_amount", "levy_regulation_number", "levy_regulation_year",
                  "levy_regulation_article", "number_format", "number_counter_key", "is_fiktif_positif",
                  "letter_title", "letter_body", "letter_signature_block", "adopted_from", "created_at",
                  "updated_at"]
        read_only_fields = ["adopted_from", "created_at", "updated_at"]
        extra_kwargs = {"code": {"validators": []}}


class PublicRequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Requirement
        fields = ["name", "help_text", "allowed_types", "max_size_kb", "is_mandatory", "applies_to",
                  "is_obtainable_from_agency", "accepts_photo_as_pdf"]


class PublicFormFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormField
        fields = ["key", "label", "kind", "choices", "is_required", "help_text"]


class PublicPermitTypeSerializer(serializers.ModelSerializer):
    """What an applicant needs before applying: requirements, time, cost and channel."""

    requirements = PublicRequirementSerializer(many=True, read_only=True)
    form_fields = PublicFormFieldSerializer(many=True, read_only=True)
    cost = serializers.SerializerMethodField()
    procedure = serializers.SerializerMethodField()

    class Meta:
        model = PermitType
        fields = ["code", "name", "description", "legal_basis", "is_online", "sla_working_days", "validity_months",
                  "is_renewable", "is_fiktif_positif", "cost", "requirements", "form_fields", "procedure"]

    def get_cost(self, obj) -> dict:
        if obj.is_free:
            return {"is_free": True, "amount": "0.00", "note": "Gratis, tanpa biaya apa pun."}
        return {"is_free": False, "amount": f"{obj.levy_amount:.2f}",
                "regulation": {"number": obj.levy_regulation_number, "year": obj.levy_regulation_year,
                               "article": obj.levy_regulation_article},
                "note": "Retribusi dibayar ke kas daerah sesuai peraturan daerah, tidak kepada petugas."}

    def get_procedure(self, obj) -> dict | None:
        sops = getattr(obj, "sops_in_force", None)
        sop = sops[0] if sops else None
        if sop is None:
            return None
        steps = sorted(sop.steps.all(), key=lambda s: s.order)
        return {"version": sop.version, "total_working_days": sop_total_working_days(steps),
                "steps": [{"order": s.order, "name": s.name, "sla_working_days": s.sla_working_days,
                           "parallel_group": s.parallel_group} for s in steps]}


# A holder or acting official is named by e-mail among this regency's active officers only: an unknown
# e-mail and another regency's person get the same answer (no platform-wide lookup, no oracle).
_NOT_AN_OFFICER = {"does_not_exist": "Pilih petugas aktif yang terdaftar di daerah ini.",
                   "invalid": "Pilih petugas aktif yang terdaftar di daerah ini."}


class PositionSerializer(serializers.ModelSerializer):
    holder = serializers.SlugRelatedField(slug_field="email", queryset=officer_users(), allow_null=True,
                                          required=False, error_messages=_NOT_AN_OFFICER)

    class Meta:
        model = Position
        fields = ["id", "code", "name", "kind", "holder", "official_name", "official_nip", "official_title"]
        validators = []
        extra_kwargs = {"code": {"validators": []}}


class DelegationSerializer(serializers.ModelSerializer):
    permit_types = serializers.PrimaryKeyRelatedField(queryset=PermitType.objects.all(), many=True, required=False)

    class Meta:
        model = Delegation
        fields = ["id", "from_position", "to_position", "applies_to_all", "permit_types", "legal_basis_number",
                  "legal_basis_date", "legal_basis_file", "valid_from", "valid_until"]
        extra_kwargs = {"legal_basis_file": {"required": False}}


class ActingOfficialSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="email", queryset=officer_users(), error_messages=_NOT_AN_OFFICER)

    class Meta:
        model = ActingOfficial
        fields = ["id", "position", "user", "kind", "decree_number", "nip", "valid_from", "valid_until"]


class LocalHolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = LocalHoliday
        fields = ["id", "date", "name"]
        extra_kwargs = {"date": {"validators": []}}
