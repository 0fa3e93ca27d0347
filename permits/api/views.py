"""Thin API views: parse, call one service or selector, shape the answer."""
from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response

from permits.api import serializers as s
from permits.errors import ConfigInvalid
from permits.models import LocalHoliday, PermitType, Sop
from permits.regency import regency_today
from permits.selectors.catalog import form_field_list, public_catalog, requirement_list
from permits.selectors.delegation import acting_official_list, delegation_list, delegation_resolve, position_list
from permits.selectors.workflow import sop_list, sop_validate
from permits.services import calendar as calendar_services
from permits.services import catalog as catalog_services
from permits.services import delegation as delegation_services
from permits.services import workflow as workflow_services
from pintu.access.permissions import PUBLIC, REGENCY_ROLE
from pintu.access.roles import ADMIN_ROLES, AUTHORITY_READ_ROLES
from pintu.api import ApiView
from pintu.api_docs import extend_schema

# --- Public catalog (no sign-in) ---------------------------------------------


class PublicCatalogListAPI(ApiView, ListAPIView):
    """The permit types this regency offers, with requirements, SLA, cost and whether it is online."""

    serializer_class = s.PublicPermitTypeSerializer
    access = PUBLIC

    def get_queryset(self):
        qs = public_catalog()
        if self.request.query_params.get("online") in ("1", "true"):
            qs = qs.filter(is_online=True)
        return qs


class PublicCatalogDetailAPI(ApiView, RetrieveAPIView):
    serializer_class = s.PublicPermitTypeSerializer
    access = PUBLIC
    lookup_field = "code"

    def get_queryset(self):
        return public_catalog()


# --- Configuration (regency administrators) ------------------------------------


class ServiceViewSet(ApiView, viewsets.ModelViewSet):
    """CRUD whose writes go through the services (which audit and check the rules)."""

    access = REGENCY_ROLE
    required_roles = ADMIN_ROLES

    create_service = update_service = delete_service = None
    instance_kwarg = "instance"

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(actor=self.request.user, **self.create_kwargs(serializer))

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("permit_type", None)  # a child stays with its permit type
        serializer.instance = type(self).update_service(
            actor=self.request.user, **{self.instance_kwarg: serializer.instance}, **data)

    def perform_destroy(self, instance):
        type(self).delete_service(actor=self.request.user, **{self.instance_kwarg: instance})

    def create_kwargs(self, serializer) -> dict:
        return dict(serializer.validated_data)


class PermitTypeViewSet(ServiceViewSet):
    serializer_class = s.PermitTypeSerializer
    create_service = staticmethod(catalog_services.permit_type_create)
    update_service = staticmethod(catalog_services.permit_type_update)
    delete_service = staticmethod(catalog_services.permit_type_delete)
    instance_kwarg = "permit_type"

    def get_queryset(self):
        return PermitType.objects.order_by("name")


class _ByPermitType:
    def get_queryset(self):
        qs = self.list_selector()
        code = self.request.query_params.get("permit_type")
        if code:
            qs = qs.filter(permit_type__code=code) if not code.isdigit() else qs.filter(permit_type_id=code)
        return qs


class RequirementViewSet(_ByPermitType, ServiceViewSet):
    serializer_class = s.RequirementSerializer
    list_selector = staticmethod(requirement_list)
    create_service = staticmethod(catalog_services.requirement_create)
    update_service = staticmethod(catalog_services.requirement_update)
    delete_service = staticmethod(catalog_services.requirement_delete)
    instance_kwarg = "requirement"


class FormFieldViewSet(_ByPermitType, ServiceViewSet):
    serializer_class = s.FormFieldSerializer
    list_selector = staticmethod(form_field_list)
    create_service = staticmethod(catalog_services.form_field_create)
    update_service = staticmethod(catalog_services.form_field_update)
    delete_service = staticmethod(catalog_services.form_field_delete)
    instance_kwarg = "field"


class SopViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                 viewsets.GenericViewSet):
    """SOP versions. POST makes (or returns) the draft; PUT on a published SOP edits a new draft version."""

    access = REGENCY_ROLE
    required_roles = ADMIN_ROLES
    serializer_class = s.SopSerializer

    def get_queryset(self):
        qs = sop_list()
        code = self.request.query_params.get("permit_type")
        return qs.filter(permit_type__code=code) if code else qs

    @extend_schema(request=s.SopWriteSerializer, responses={201: s.SopSerializer})
    def create(self, request):
        body = s.SopWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        permit_type = body.validated_data.get("permit_type")
        if permit_type is None:
            raise ConfigInvalid.one("permit_type", "required", gettext("Pilih jenis izin untuk SOP ini."))
        draft = workflow_services.sop_revise(permit_type=permit_type, actor=request.user,
                                             note=body.validated_data.get("note", ""))
        if "steps" in body.validated_data:
            draft = workflow_services.sop_steps_set(sop=draft, steps=body.validated_data["steps"], actor=request.user)
        return Response(self._out(draft), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SopWriteSerializer, responses={200: s.SopSerializer, 201: s.SopSerializer})
    def update(self, request, pk=None):
        sop = self.get_object()
        body = s.SopWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        draft = workflow_services.sop_steps_set(sop=sop, steps=body.validated_data.get("steps", []),
                                               note=body.validated_data.get("note"), actor=request.user)
        return Response(self._out(draft), status=status.HTTP_200_OK if draft.pk == sop.pk else status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        workflow_services.sop_draft_discard(sop=instance, actor=self.request.user)

    @action(detail=True, methods=["get"])
    def check(self, request, pk=None):
        """Errors (refuse publishing) and warnings (allowed) of this SOP."""
        return Response(sop_validate(self.get_object()).as_dict())

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        sop, report = workflow_services.sop_publish(sop=self.get_object(), actor=request.user)
        return Response({**self._out(sop), "warnings": report.as_dict()["warnings"]})

    def _out(self, sop: Sop) -> dict:
        return s.SopSerializer(Sop.objects.prefetch_related("steps").select_related("permit_type").get(pk=sop.pk)).data


class PositionViewSet(ServiceViewSet):
    serializer_class = s.PositionSerializer
    create_service = staticmethod(delegation_services.position_create)
    update_service = staticmethod(delegation_services.position_update)
    delete_service = staticmethod(delegation_services.position_delete)
    instance_kwarg = "position"

    def get_queryset(self):
        return position_list()


class DelegationViewSet(ServiceViewSet):
    serializer_class = s.DelegationSerializer
    create_service = staticmethod(delegation_services.delegation_create)
    update_service = staticmethod(delegation_services.delegation_update)
    delete_service = staticmethod(delegation_services.delegation_delete)
    instance_kwarg = "delegation"

    def get_queryset(self):
        return delegation_list()


class ActingOfficialViewSet(ServiceViewSet):
    serializer_class = s.ActingOfficialSerializer
    create_service = staticmethod(delegation_services.acting_official_create)
    update_service = staticmethod(delegation_services.acting_official_update)
    delete_service = staticmethod(delegation_services.acting_official_delete)
    instance_kwarg = "acting"

    def get_queryset(self):
        return acting_official_list()


class LocalHolidayViewSet(ServiceViewSet):
    serializer_class = s.LocalHolidaySerializer
    create_service = staticmethod(calendar_services.local_holiday_create)
    update_service = staticmethod(calendar_services.local_holiday_update)
    delete_service = staticmethod(calendar_services.local_holiday_delete)
    instance_kwarg = "holiday"

    def get_queryset(self):
        return LocalHoliday.objects.order_by("date")


class AuthorityAPI(ApiView):
    """Who may sign permit type X on date D (default: today in the regency), and the chain followed."""

    access = REGENCY_ROLE
    required_roles = AUTHORITY_READ_ROLES

    @extend_schema(parameters=[OpenApiParameter("permit_type", str, required=True),
                               OpenApiParameter("on", dt.date, required=False)], responses=dict)
    def get(self, request):
        code = request.query_params.get("permit_type", "")
        if not code:
            raise ConfigInvalid.one("permit_type", "required", gettext("Sebutkan kode jenis izin (permit_type)."))
        if "\x00" in code:  # PostgreSQL refuses NUL in a string: a 400, not a 500
            raise ConfigInvalid.one("permit_type", "invalid", gettext("Kode jenis izin tidak sah."))
        permit_type = PermitType.objects.filter(code=code).first()
        if permit_type is None:
            raise ConfigInvalid.one("permit_type", "not_found", gettext("Jenis izin '%(code)s' tidak ada di daerah ini.") % {"code": code})
        on_text = request.query_params.get("on")
        try:
            on = dt.date.fromisoformat(on_text) if on_text else regency_today()
        except ValueError:
            raise ConfigInvalid.one("on", "date", gettext("Tanggal harus berformat TTTT-BB-HH.")) from None
        authority = delegation_resolve(permit_type=permit_type, on=on)
        return Response({"permit_type": permit_type.code, "on": on.isoformat(), **authority.as_dict()})


# Keep names the URLconf and the OpenAPI schema use stable.
__all__ = [
    "ActingOfficialViewSet", "AuthorityAPI", "DelegationViewSet", "FormFieldViewSet", "LocalHolidayViewSet",
    "PermitTypeViewSet", "PositionViewSet", "PublicCatalogDetailAPI", "PublicCatalogListAPI", "RequirementViewSet",
    "SopViewSet",
]
