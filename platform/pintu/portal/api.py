"""The applicant's API on the apex (/api/v1/me/): every file in every regency, permits, profile.

The portal page's selectors and service, as JSON; each answer holds only the signed-in person's rows
(the index is filtered by applicant explicitly), and the apex alone serves it.
"""
from __future__ import annotations

from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from pintu.access.permissions import SIGNED_IN_ON_APEX
from pintu.api import ApiView
from pintu.api_docs import example, extend_schema
from pintu.portal import selectors, services
from tenants.selectors import regency_url


def _base(request, regency) -> str:
    port = request.get_port()
    return regency_url(regency, scheme="https" if request.is_secure() else "http",
                       port="" if port in ("80", "443") else port).rstrip("/")


class MyApplicationSerializer(serializers.Serializer):
    regency = serializers.CharField(source="regency.code")
    regency_name = serializers.CharField(source="regency.name")
    application_id = serializers.IntegerField()
    registration_number = serializers.CharField()
    permit_type_name = serializers.CharField()
    channel = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    next_action = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="the file's page on its regency's subdomain")

    def get_url(self, entry) -> str:
        return f"{_base(self.context['request'], entry.regency)}/permohonan/{entry.application_id}/"


class MyPermitSerializer(serializers.Serializer):
    regency = serializers.CharField(source="regency.code")
    regency_name = serializers.CharField(source="regency.name")
    application_id = serializers.IntegerField()
    permit_type_name = serializers.CharField()
    permit_number = serializers.CharField()
    permit_status = serializers.CharField()
    permit_valid_until = serializers.DateField(allow_null=True)
    verification_code = serializers.CharField()
    verification_url = serializers.SerializerMethodField()

    def get_verification_url(self, entry) -> str:
        return f"{_base(self.context['request'], entry.regency)}/verifikasi/{entry.verification_code}/"


class ProfileSerializer(serializers.Serializer):
    nik = serializers.CharField(required=False, allow_blank=True, max_length=16)
    nib = serializers.CharField(required=False, allow_blank=True, max_length=13)
    business_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    full_name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)


class MeAPI(ApiView, GenericAPIView):
    access = SIGNED_IN_ON_APEX
    pagination_class = None


class MyApplicationsAPI(MeAPI):
    """My applications in every regency, newest change first (from the public index)."""

    serializer_class = MyApplicationSerializer

    @extend_schema(operation_id="me_applications", responses={200: MyApplicationSerializer(many=True)}, examples=[example("One file", [{
        "regency": "3503", "regency_name": "Kab. Trenggalek", "application_id": 41,
        "registration_number": "3503/2026/000041", "permit_type_name": "Izin Usaha Mikro", "channel": "online",
        "status": "in_review", "status_label": "Diperiksa", "next_action": "", "submitted_at": "2026-11-30T09:12:00+07:00",
        "due_at": "2026-12-07T16:00:00+07:00", "updated_at": "2026-12-01T10:00:00+07:00",
        "url": "https://trenggalek.pintu.go.id/permohonan/41/"}])])
    def get(self, request):
        return Response(self.get_serializer(selectors.portal_applications(applicant=request.user), many=True).data)


class MyPermitsAPI(MeAPI):
    """My issued permits in every regency, with their public verification page."""

    serializer_class = MyPermitSerializer

    @extend_schema(operation_id="me_permits", responses={200: MyPermitSerializer(many=True)})
    def get(self, request):
        entries = selectors.portal_applications(applicant=request.user)
        return Response(self.get_serializer(selectors.portal_permits(entries=entries), many=True).data)


def _profile_data(user) -> dict:
    current = selectors.applicant_profile(user=user)
    return {"nik": user.nik or "", "nib": current.nib if current else "",
            "business_name": current.business_name if current else "", "phone": current.phone if current else "",
            "full_name": user.full_name, "email": user.email}


class MyProfileAPI(MeAPI):
    """My NIK, NIB, business name and phone, kept once for every regency; PATCH changes them."""

    serializer_class = ProfileSerializer

    @extend_schema(operation_id="me_profile")
    def get(self, request):
        return Response(_profile_data(request.user))

    @extend_schema(operation_id="me_profile_update")
    def patch(self, request):
        body = ProfileSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = {k: v for k, v in _profile_data(request.user).items() if k in ("nik", "nib", "business_name", "phone")}
        values.update({k: v.strip() for k, v in body.validated_data.items()})
        services.applicant_profile_update(user=request.user, **values)
        request.user.refresh_from_db()
        return Response(_profile_data(request.user))
