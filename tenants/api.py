"""Public facts about regencies: the list on the apex, one regency on its subdomain."""
from __future__ import annotations

from django.db import connection
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from pintu.access.permissions import ANYONE
from pintu.api import ApiView
from tenants.models import Regency
from tenants.selectors import regency_list


class RegencySerializer(serializers.ModelSerializer):
    subdomain = serializers.SerializerMethodField()

    class Meta:
        model = Regency
        fields = ["code", "name", "kind", "province_code", "province_name", "time_zone", "status", "subdomain",
                  "office_name", "office_address", "office_phone", "office_email"]

    def get_subdomain(self, obj) -> str:
        primary = next((d.domain for d in obj.domains.all() if d.is_primary), "")
        return primary.split(".", 1)[0]


class RegencyListAPI(ApiView, ListAPIView):
    serializer_class = RegencySerializer
    access = ANYONE
    pagination_class = None

    def get_queryset(self):
        return regency_list()


class RegencyDetailAPI(ApiView, RetrieveAPIView):
    """The regency this subdomain belongs to."""

    serializer_class = RegencySerializer
    access = ANYONE

    def get_object(self):
        return Regency.objects.prefetch_related("domains").get(pk=connection.tenant.pk)
