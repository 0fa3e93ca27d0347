"""API for the regency's agencies (OPD): read by officers' tools, written by regency administrators."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from rest_framework import serializers
from rest_framework.response import Response

from permits.services import agencies as agency_services
from pintu.access.models import Agency, Role
from pintu.access.permissions import REGENCY_ROLE, has_role
from pintu.access.roles import CONFIG_READ_ROLES
from pintu.access.selectors import agency_list
from pintu.api import ApiView
from pintu.api_docs import extend_schema
from pintu.errors import PermissionDenied


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name"]


class AgencyInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=120)


class _AgencyBase(ApiView):
    access = REGENCY_ROLE
    required_roles = CONFIG_READ_ROLES

    def _writer(self, request) -> None:
        if not has_role(request, Role.REGENCY_ADMIN):
            raise PermissionDenied(gettext("Hanya administrator instansi yang dapat mengubah instansi."))


class AgencyListAPI(_AgencyBase):
    @extend_schema(responses={200: AgencySerializer(many=True)}, operation_id="v1_agencies_list")
    def get(self, request):
        return Response(AgencySerializer(agency_list(), many=True).data)

    @extend_schema(request=AgencyInputSerializer, responses={201: AgencySerializer})
    def post(self, request):
        self._writer(request)
        data = AgencyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = agency_services.agency_create(actor=request.user, **data.validated_data)
        return Response(AgencySerializer(agency).data, status=201)


class AgencyDetailAPI(_AgencyBase):
    @extend_schema(responses={200: AgencySerializer})
    def get(self, request, pk: int):
        return Response(AgencySerializer(get_object_or_404(Agency, pk=pk)).data)

    @extend_schema(request=AgencyInputSerializer, responses={200: AgencySerializer})
    def put(self, request, pk: int):
        self._writer(request)
        agency = get_object_or_404(Agency, pk=pk)
        data = AgencyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = agency_services.agency_update(agency=agency, actor=request.user, **data.validated_data)
        return Response(AgencySerializer(agency).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        self._writer(request)
        agency_services.agency_delete(agency=get_object_or_404(Agency, pk=pk), actor=request.user)
        return Response(status=204)
