"""/api/v1/counter/ on a regency subdomain: the front office applies for a walk-in applicant.

The counter pages' services in the same order — start (NIK), form, scans, submit, receipt, hand over
to the applicant's own account — for front-office officers of *this* regency only. The hand-over rule
(which account may receive the file) is `application_hand_over`'s; this module does not repeat it.
"""
from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from permits.api import application_serializers as s
from permits.documents.receipt import counter_receipt_pdf
from permits.errors import ConfigInvalid
from permits.models import PermitType, Requirement
from permits.models.applications import Application, Permit
from permits.selectors.applications import application_tracking
from permits.selectors.office import counter_applications
from permits.services.applications import (
    application_document_upload,
    application_draft_create,
    application_form_save,
    application_submit,
)
from permits.services.counter import application_hand_over
from permits.services.renewal import permit_counter_renew_start
from pintu.access.permissions import REGENCY_ROLE
from pintu.access.roles import COUNTER_ROLES
from pintu.api import ApiView
from pintu.api_docs import extend_schema
from pintu.errors import NotFound


class CounterStartInput(serializers.Serializer):
    permit_type = serializers.SlugField(help_text="permit type code (counter-only types included)")
    applicant_name = serializers.CharField(max_length=150)
    applicant_nik = serializers.CharField(max_length=16, help_text="16 digits")
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    applicant_email = serializers.EmailField(required=False, allow_blank=True, default="")


class CounterRenewalInput(serializers.Serializer):
    permit_number = serializers.CharField(max_length=80, help_text="the earlier permit's number, as printed")
    applicant_nik = serializers.CharField(max_length=16, required=False, allow_blank=True, default="",
                                          help_text="from the KTP; used only when the earlier file has none")


class HandOverInput(serializers.Serializer):
    email = serializers.EmailField(help_text="the applicant's own Pintu account")


class CounterAPI(ApiView):
    access = REGENCY_ROLE
    required_roles = COUNTER_ROLES


def _counter_application(pk: int) -> Application:
    application = (Application.objects.select_related("permit_type", "created_by")
                   .filter(pk=pk, channel=Application.Channel.COUNTER).first())
    if application is None:
        raise NotFound(gettext("Permohonan loket tidak ditemukan."))
    return application


def _detail(application: Application, code: int = status.HTTP_200_OK) -> Response:
    tracking = application_tracking(application) if application.submitted_at else None
    return Response(s.ApplicationDetailSerializer(application, context={"tracking": tracking}).data, status=code)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CounterApplicationsAPI(CounterAPI):
    """The regency's recent counter applications; POST starts one for a walk-in applicant (by NIK)."""

    @extend_schema(operation_id="counter_applications_list", responses={200: s.ApplicationListSerializer(many=True)})
    def get(self, request):
        return Response(s.ApplicationListSerializer(counter_applications(), many=True).data)

    @extend_schema(operation_id="counter_applications_create", request=CounterStartInput,
                   responses={201: s.ApplicationDetailSerializer})
    def post(self, request):
        data = _valid(CounterStartInput, request.data)
        permit_type = PermitType.objects.filter(code=data.pop("permit_type"), is_active=True).first()
        if permit_type is None:
            raise ConfigInvalid.one("permit_type", "not_found", gettext("Jenis izin ini tidak ditawarkan di daerah ini."))
        application = application_draft_create(permit_type=permit_type, channel=Application.Channel.COUNTER,
                                               created_by=request.user, **data)
        return _detail(application, status.HTTP_201_CREATED)


class CounterApplicationAPI(CounterAPI):
    @extend_schema(operation_id="counter_application_retrieve", responses=s.ApplicationDetailSerializer)
    def get(self, request, pk: int):
        return _detail(_counter_application(pk))


class CounterFormAPI(CounterAPI):
    @extend_schema(operation_id="counter_application_form", request=s.FormSaveInput,
                   responses=s.ApplicationDetailSerializer)
    def post(self, request, pk: int):
        data = _valid(s.FormSaveInput, request.data)
        application = application_form_save(application=_counter_application(pk), actor=request.user,
                                            data=data["data"])
        return _detail(application)


class CounterDocumentAPI(CounterAPI):
    """Upload a scanned requirement (checked by content and size, as online uploads)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="counter_application_document", request={"multipart/form-data": s.DocumentUploadInput},
                   responses={201: s.DocumentSerializer})
    def post(self, request, pk: int):
        application = _counter_application(pk)
        data = _valid(s.DocumentUploadInput, request.data)
        requirement = Requirement.objects.filter(pk=data["requirement"], permit_type=application.permit_type).first()
        if requirement is None:
            raise NotFound(gettext("Persyaratan ini bukan milik jenis izin permohonan ini."))
        document = application_document_upload(application=application, requirement=requirement, file=data["file"],
                                               filename=data["file"].name, actor=request.user)
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class CounterSubmitAPI(CounterAPI):
    @extend_schema(operation_id="counter_application_submit", request=None, responses=s.ApplicationDetailSerializer)
    def post(self, request, pk: int):
        return _detail(application_submit(application=_counter_application(pk), actor=request.user))


class CounterReceiptAPI(CounterAPI):
    """The receipt PDF with the tracking QR (after submission), as printed at the counter."""

    @extend_schema(operation_id="counter_application_receipt",
                   responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, pk: int):
        application = _counter_application(pk)
        if not application.registration_number:
            raise ConfigInvalid.one("status", "not_submitted", gettext("Tanda terima tersedia setelah permohonan diajukan."))
        response = HttpResponse(counter_receipt_pdf(application=application, officer_name=request.user.full_name),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="tanda-terima-{application.registration_number}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class CounterHandOverAPI(CounterAPI):
    """Hand the file over to the applicant's own account (application_hand_over decides who may receive it)."""

    @extend_schema(operation_id="counter_application_hand_over", request=HandOverInput,
                   responses=s.ApplicationDetailSerializer)
    def post(self, request, pk: int):
        data = _valid(HandOverInput, request.data)
        application = application_hand_over(application=_counter_application(pk), email=data["email"],
                                            actor=request.user)
        return _detail(application)


class CounterRenewalsAPI(CounterAPI):
    """Start renewing a permit for its holder at the counter (permit_counter_renew_start: the window, a renewal
    already started online, and the earlier form, permit and documents carried over)."""

    @extend_schema(operation_id="counter_renewals_create", request=CounterRenewalInput,
                   responses={201: s.ApplicationDetailSerializer})
    def post(self, request):
        data = _valid(CounterRenewalInput, request.data)
        permit = (Permit.objects.select_related("application__permit_type")
                  .filter(number__iexact=data["permit_number"].strip()).first())
        if permit is None:
            raise NotFound(gettext("Izin dengan nomor ini tidak ditemukan di daerah ini."))
        application = permit_counter_renew_start(permit=permit, actor=request.user,
                                                 applicant_nik=data["applicant_nik"])
        return _detail(application, status.HTTP_201_CREATED)
