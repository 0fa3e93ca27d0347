"""Open data: the public register of issued permits, as JSON (paginated) or CSV, per regency and nationally.

Only what the transparency page already shows — number, permit type, issue and validity dates, status —
and never a NIK, a name or an address: the selectors read no applicant field at all. No sign-in; the
CSV carries the whole filtered register (streamed), the JSON one page at a time.
"""
from __future__ import annotations

import csv
import datetime as dt

from django.http import StreamingHttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer

from permits.errors import ConfigInvalid
from permits.regency import regency_today
from permits.selectors.stats import national_permit_register, permit_register, register_status_label
from pintu.access.permissions import PUBLIC
from pintu.api import ApiView
from pintu.api_docs import extend_schema


class CsvRenderer(BaseRenderer):
    """Accepts `Accept: text/csv` (or `?format=csv`); the views stream the CSV themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else str(data).encode()


class _Echo:
    def write(self, value):
        return value


def _csv(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel reads UTF-8 with a BOM
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _date(request, name: str) -> dt.date | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigInvalid.one(name, "date", gettext("Tanggal harus berformat TTTT-BB-HH.")) from None


DATE_FILTERS = [OpenApiParameter("issued_from", dt.date, description="issued on or after (regency's date)"),
                OpenApiParameter("issued_until", dt.date, description="issued on or before")]
CSV_RESPONSE = {(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="the whole filtered register")}


class RegisterEntrySerializer(serializers.Serializer):
    number = serializers.CharField()
    permit_type = serializers.CharField(source="application__permit_type__code")
    permit_type_name = serializers.CharField(source="application__permit_type__name")
    issued_at = serializers.DateTimeField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True, help_text="null: valid without end")
    status = serializers.CharField()
    status_label = serializers.CharField()


class _OpenData(ApiView, ListAPIView):
    access = PUBLIC
    renderer_classes = [JSONRenderer, CsvRenderer]

    def list(self, request, *args, **kwargs):
        rows = self.get_queryset()
        if request.accepted_renderer.format == "csv":
            return _csv(self.csv_filename(), self.csv_header, (self.csv_line(r) for r in rows.iterator()))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(self.shape(page), many=True).data)


class RegencyRegisterAPI(_OpenData):
    """This regency's register of issued permits (as on /transparansi/); filter by permit type and issue date."""

    serializer_class = RegisterEntrySerializer
    csv_header = ["Nomor izin", "Kode jenis izin", "Jenis izin", "Tanggal terbit", "Berlaku mulai", "Berlaku sampai",
                  "Status"]

    def get_queryset(self):
        return permit_register(permit_type_code=self.request.query_params.get("permit_type", ""),
                               issued_from=_date(self.request, "issued_from"),
                               issued_until=_date(self.request, "issued_until"))

    def shape(self, rows):
        today = regency_today()
        return [{**row, "status_label": register_status_label(row, today=today)} for row in rows]

    def csv_filename(self) -> str:
        return f"register-izin-{self.request.tenant.schema_name}.csv"

    def csv_line(self, row) -> list:
        today = getattr(self, "_today", None) or regency_today()
        self._today = today
        return [row["number"], row["application__permit_type__code"], row["application__permit_type__name"],
                row["issued_at"].date().isoformat() if row["issued_at"] else "", row["valid_from"] or "",
                row["valid_until"] or "", register_status_label(row, today=today)]

    @extend_schema(operation_id="open_data_permits", parameters=[
        OpenApiParameter("permit_type", str, description="permit type code"), *DATE_FILTERS],
        responses={200: RegisterEntrySerializer(many=True), **CSV_RESPONSE})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NationalRegisterEntrySerializer(serializers.Serializer):
    regency = serializers.CharField(source="regency__code")
    regency_name = serializers.CharField(source="regency__name")
    number = serializers.CharField(source="permit_number")
    permit_type_name = serializers.CharField()
    issued_at = serializers.DateTimeField(source="permit_issued_at", allow_null=True)
    valid_until = serializers.DateField(source="permit_valid_until", allow_null=True)
    status = serializers.CharField(source="permit_status")


class NationalRegisterAPI(_OpenData):
    """Every regency's issued permits (from the public index); filter by regency, permit type name, issue date."""

    serializer_class = NationalRegisterEntrySerializer
    csv_header = ["Kode daerah", "Daerah", "Nomor izin", "Jenis izin", "Tanggal terbit", "Berlaku sampai", "Status"]

    def get_queryset(self):
        return national_permit_register(regency_code=self.request.query_params.get("regency", ""),
                                        permit_type_name=self.request.query_params.get("permit_type_name", ""),
                                        issued_from=_date(self.request, "issued_from"),
                                        issued_until=_date(self.request, "issued_until"))

    def shape(self, rows):
        return rows

    def csv_filename(self) -> str:
        return "register-izin-nasional.csv"

    def csv_line(self, row) -> list:
        return [row["regency__code"], row["regency__name"], row["permit_number"], row["permit_type_name"],
                row["permit_issued_at"].isoformat() if row["permit_issued_at"] else "",
                row["permit_valid_until"] or "", row["permit_status"]]

    @extend_schema(operation_id="open_data_national_permits", parameters=[
        OpenApiParameter("regency", str, description="regency code, e.g. 3503"),
        OpenApiParameter("permit_type_name", str, description="exact permit type name (any case)"), *DATE_FILTERS],
        responses={200: NationalRegisterEntrySerializer(many=True), **CSV_RESPONSE})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
