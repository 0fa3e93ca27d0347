"""The ministry's API on the apex (/api/v1/ministry/): what the console pages show, as JSON.

Thin views over the console's, the dashboards', billing_free's and pintu.national's own selectors and
services — the same functions the pages call, so the API and the pages cannot disagree. Access is
`MINISTRY_ROLE` (`pintu.access.permissions`), the pages' rule: apex only, a ministry role to read, the administrator to write;
usage statements for administrators and analysts, pungli reports for inspectors only.
"""
from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from billing_free.errors import PungliReportNotFound
from billing_free.models import PungliReport
from billing_free.selectors import month_parse, pungli_report_list, pungli_statistics, quota_state, usage_overview
from billing_free.services.pungli import pungli_report_get
from pintu.access.permissions import MINISTRY_ROLE
from pintu.access.roles import PUNGLI_ROLES, PUNGLI_STATISTICS_ROLES, USAGE_READ_ROLES
from pintu.api import ApiView
from pintu.api_docs import example, extend_schema
from pintu.console import selectors, services
from pintu.console.models import Announcement, ProvisioningJob
from pintu.dashboards import selectors as dashboard_selectors
from pintu.dashboards.exports import csv_response, xlsx_response
from pintu.dashboards.views import NATIONAL_HEADER, _national_line
from pintu.errors import DomainError
from pintu.national.selectors import catalog_template_list, national_holiday_list
from pintu.national.services import national_holiday_remove, national_holiday_set
from tenants.models import Regency


class RequestInvalid(DomainError):
    code = "invalid"


class MinistryAPI(ApiView, GenericAPIView):
    access = MINISTRY_ROLE
    pagination_class = None


# --- Regencies ----------------------------------------------------------------


class SnapshotSerializer(serializers.Serializer):
    officers = serializers.IntegerField()
    permit_types = serializers.IntegerField()
    applications = serializers.IntegerField()
    stored_bytes = serializers.IntegerField()
    taken_at = serializers.DateTimeField()


class MinistryRegencySerializer(serializers.Serializer):
    code = serializers.CharField(source="official.code")
    name = serializers.CharField(source="official.name")
    province_code = serializers.CharField(source="official.province_code")
    province_name = serializers.CharField(source="official.province_name")
    state = serializers.CharField(help_text="platform state: active, suspended or not_yet (not on Pintu)")
    status_reason = serializers.SerializerMethodField()
    subdomain = serializers.SerializerMethodField()
    snapshot = SnapshotSerializer(allow_null=True)

    def get_status_reason(self, row) -> str:
        return getattr(row.regency, "status_reason", "") if row.regency is not None else ""

    def get_subdomain(self, row) -> str:
        if row.regency is None:
            return ""
        primary = next((d.domain for d in row.regency.domains.all() if d.is_primary), "")
        return primary.split(".", 1)[0]


REGENCY_EXAMPLE = {"code": "3503", "name": "Kab. Trenggalek", "province_code": "35", "province_name": "Jawa Timur",
                   "state": "active", "status_reason": "", "subdomain": "trenggalek",
                   "snapshot": {"officers": 12, "permit_types": 40, "applications": 1520, "stored_bytes": 734003200,
                                "taken_at": "2026-12-01T02:00:00+07:00"}}


class MinistryRegencyListAPI(MinistryAPI):
    """The 514 official regencies with their state on Pintu and figures, filtered as on the console page."""

    serializer_class = MinistryRegencySerializer

    @extend_schema(operation_id="ministry_regencies_list", parameters=[
        OpenApiParameter("province", str, description="province code, e.g. 35"),
        OpenApiParameter("state", str, enum=["platform", "active", "suspended", "not_yet"]),
        OpenApiParameter("q", str, description="code prefix or part of the name")],
        responses={200: MinistryRegencySerializer(many=True)}, examples=[example("Trenggalek", [REGENCY_EXAMPLE])])
    def get(self, request):
        rows = selectors.console_regency_rows(province=request.query_params.get("province", ""),
                                              state=request.query_params.get("state", ""),
                                              query=request.query_params.get("q", ""))
        return Response(self.get_serializer(rows, many=True).data)


def _row(code: str) -> selectors.RegencyRow:
    from tenants.regions import official_regency

    official = official_regency(code)
    if official is None:
        raise Http404
    return selectors.RegencyRow(official, selectors.console_regency_get(code=code))


class MinistryRegencyDetailAPI(MinistryAPI):
    serializer_class = MinistryRegencySerializer

    @extend_schema(operation_id="ministry_regency_retrieve", examples=[example("Trenggalek", REGENCY_EXAMPLE)])
    def get(self, request, code: str):
        return Response(self.get_serializer(_row(code)).data)


class StatusChangeSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["suspend", "reactivate"])
    reason = serializers.CharField(max_length=255, help_text="shown to the regency's visitors")


class MinistryRegencyStatusAPI(MinistryAPI):
    """Suspend or reactivate a regency on the platform (regency_status_change, as the console page)."""

    serializer_class = StatusChangeSerializer

    @extend_schema(operation_id="ministry_regency_status", request=StatusChangeSerializer,
                   responses={200: MinistryRegencySerializer})
    def post(self, request, code: str):
        row = _row(code)
        if row.regency is None:
            raise Http404
        body = StatusChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        status = Regency.Status.SUSPENDED if body.validated_data["action"] == "suspend" else Regency.Status.ACTIVE
        services.regency_status_change(actor=request.user, regency=row.regency, status=status,
                                       reason=body.validated_data["reason"])
        return Response(MinistryRegencySerializer(_row(code)).data)


# --- Provisioning jobs --------------------------------------------------------


class ProvisioningJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    is_finished = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProvisioningJob
        fields = ["id", "label", "status", "total", "done", "failed", "percent", "is_finished", "items", "messages",
                  "created_at", "started_at", "finished_at"]


class ProvisionRequestSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, allow_blank=True, default="", help_text="one regency, e.g. 3505")
    province = serializers.CharField(required=False, allow_blank=True, default="",
                                     help_text="or every missing regency of a province, e.g. 52")
    subdomain = serializers.CharField(required=False, allow_blank=True, default="")
    admin_email = serializers.EmailField(required=False, allow_blank=True, default="")


class ProvisioningJobListAPI(MinistryAPI):
    """Provisioning jobs, newest first; POST starts one (in the background) and answers 202 with its progress."""

    serializer_class = ProvisioningJobSerializer

    @extend_schema(operation_id="ministry_provisioning_jobs_list", responses={200: ProvisioningJobSerializer(many=True)})
    def get(self, request):
        return Response(self.get_serializer(selectors.provisioning_job_list(limit=100), many=True).data)

    @extend_schema(operation_id="ministry_provisioning_jobs_create", request=ProvisionRequestSerializer,
                   responses={202: ProvisioningJobSerializer})
    def post(self, request):
        body = ProvisionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        job = services.provisioning_job_start(actor=request.user, code=data["code"], province_code=data["province"],
                                              subdomain=data["subdomain"], admin_email=data["admin_email"])
        return Response(self.get_serializer(job).data, status=202, headers={"Location": f"{request.path}{job.pk}/"})


class ProvisioningJobDetailAPI(MinistryAPI):
    """A job's progress; each new administrator's initial password is in its item once, as on the page."""

    serializer_class = ProvisioningJobSerializer

    @extend_schema(operation_id="ministry_provisioning_job_retrieve")
    def get(self, request, job_id: int):
        job = get_object_or_404(ProvisioningJob, pk=job_id)
        passwords = services.provisioning_job_passwords_take(job=job, actor=request.user)
        data = self.get_serializer(job).data
        data["items"] = [{**item, "password": passwords.get(item.get("code"), "")} for item in job.items]
        return Response(data)


# --- National dashboard -------------------------------------------------------


class _CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else str(data).encode()


class _XlsxRenderer(_CsvRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class DashboardRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    province_name = serializers.CharField()
    received_online = serializers.IntegerField()
    received_counter = serializers.IntegerField()
    received = serializers.IntegerField()
    decided = serializers.IntegerField()
    sla_met = serializers.IntegerField()
    sla_missed = serializers.IntegerField()
    sla_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    median_working_days = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    backlog = serializers.IntegerField()
    late = serializers.IntegerField()
    respondents = serializers.IntegerField()
    ikm = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    ikm_grade = serializers.CharField(allow_blank=True)
    complaints_open = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    first = serializers.DateField()
    last = serializers.DateField()
    province = serializers.CharField(allow_blank=True)
    rows = DashboardRowSerializer(many=True)


FIELDS = [f for f in DashboardRowSerializer().fields]


class NationalDashboardAPI(MinistryAPI):
    """The national dashboard's figures per regency, with the page's filters; CSV or XLSX by `Accept`.

    Filters as on /kementerian/dasbor/: `dari`/`sampai` (dates) or `hari` (last N days), `provinsi`.
    """

    renderer_classes = [JSONRenderer, _CsvRenderer, _XlsxRenderer]
    content_negotiation_class = DefaultContentNegotiation

    @extend_schema(operation_id="ministry_dashboard", parameters=[
        OpenApiParameter("dari", dt.date), OpenApiParameter("sampai", dt.date),
        OpenApiParameter("hari", int), OpenApiParameter("provinsi", str)],
        responses={(200, "application/json"): DashboardSerializer,
                   (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
                   (200, _XlsxRenderer.media_type): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request):
        period = dashboard_selectors.day_range_parse(
            first=request.query_params.get("dari", ""), last=request.query_params.get("sampai", ""),
            days=request.query_params.get("hari", ""), today=dashboard_selectors.latest_today())
        province = request.query_params.get("provinsi", "")
        rows = dashboard_selectors.national_rows(period=period, province=province)
        lines = [_national_line(r) for r in rows]
        stem = f"dasbor-nasional-{period.first}-{period.last}"
        media = request.accepted_renderer.media_type
        if media == "text/csv":
            return csv_response(filename=f"{stem}.csv", header=NATIONAL_HEADER, rows=iter(lines))
        if media == _XlsxRenderer.media_type:
            return xlsx_response(filename=f"{stem}.xlsx", title="Dasbor nasional", header=NATIONAL_HEADER,
                                 rows=iter(lines))
        return Response({"first": period.first, "last": period.last, "province": province,
                         "rows": DashboardRowSerializer([dict(zip(FIELDS, line, strict=True)) for line in lines], many=True).data})


# --- Usage statements ---------------------------------------------------------

class QuotaLineSerializer(serializers.Serializer):
    metric = serializers.CharField()
    label = serializers.CharField()
    used = serializers.IntegerField()
    limit = serializers.IntegerField()
    percent = serializers.FloatField()
    state = serializers.CharField()
    cost = serializers.DecimalField(max_digits=12, decimal_places=0, help_text="always Rp 0")


class UsageRowSerializer(serializers.Serializer):
    code = serializers.CharField(source="regency.code")
    name = serializers.CharField(source="regency.name")
    state = serializers.CharField()
    lines = QuotaLineSerializer(many=True)


def _month(request, regency):
    value = request.query_params.get("bulan")
    if not value:
        return timezone.localdate().replace(day=1)
    return month_parse(value, regency=regency)


class UsageOverviewAPI(MinistryAPI):
    """Every regency's fair-use state for a month (`bulan=YYYY-MM`), as /kementerian/pemakaian/."""

    read_roles = USAGE_READ_ROLES
    serializer_class = UsageRowSerializer

    @extend_schema(operation_id="ministry_usage_list", parameters=[OpenApiParameter("bulan", str)],
                   responses={200: UsageRowSerializer(many=True)})
    def get(self, request):
        return Response(self.get_serializer(usage_overview(month=_month(request, None)), many=True).data)


class UsageStatementAPI(MinistryAPI):
    """One regency's statement for a month, as /kementerian/pemakaian/<code>/."""

    read_roles = USAGE_READ_ROLES
    serializer_class = QuotaLineSerializer

    @extend_schema(operation_id="ministry_usage_retrieve", parameters=[OpenApiParameter("bulan", str)],
                   responses={200: QuotaLineSerializer(many=True)})
    def get(self, request, code: str):
        regency = Regency.objects.filter(code=code).exclude(schema_name="public").first()
        if regency is None:
            raise Http404
        return Response(self.get_serializer(quota_state(regency, _month(request, regency)), many=True).data)


# --- Announcements ------------------------------------------------------------


class AnnouncementSerializer(serializers.ModelSerializer):
    regencies = serializers.SlugRelatedField(slug_field="code", many=True, required=False,
                                             queryset=Regency.objects.exclude(code=None))

    class Meta:
        model = Announcement
        fields = ["id", "title", "body", "audience", "regencies", "published_from", "published_until", "created_at"]
        read_only_fields = ["id", "created_at"]


class AnnouncementListAPI(MinistryAPI):
    """Announcements to regency officers; POST publishes one (announcement_save, as the console page)."""

    serializer_class = AnnouncementSerializer

    @extend_schema(operation_id="ministry_announcements_list", responses={200: AnnouncementSerializer(many=True)})
    def get(self, request):
        return Response(self.get_serializer(selectors.announcement_list(), many=True).data)

    @extend_schema(operation_id="ministry_announcements_create", responses={201: AnnouncementSerializer})
    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        saved = services.announcement_save(actor=request.user, title=data["title"], body=data["body"],
                                           audience=data.get("audience", Announcement.Audience.ALL),
                                           regencies=data.get("regencies", []),
                                           published_from=data["published_from"],
                                           published_until=data.get("published_until"))
        return Response(self.get_serializer(saved).data, status=201)


class AnnouncementDetailAPI(MinistryAPI):
    serializer_class = AnnouncementSerializer

    @extend_schema(operation_id="ministry_announcement_retrieve")
    def get(self, request, pk: int):
        return Response(self.get_serializer(get_object_or_404(Announcement, pk=pk)).data)

    @extend_schema(operation_id="ministry_announcement_destroy", responses={204: None})
    def delete(self, request, pk: int):
        services.announcement_delete(actor=request.user, announcement=get_object_or_404(Announcement, pk=pk))
        return Response(status=204)


# --- National calendar and catalog templates -----------------------------------


class NationalHolidaySerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField(max_length=200)
    kind = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.CharField(read_only=True)


class NationalHolidayListAPI(MinistryAPI):
    """The national holidays of a year (`year`); POST sets one, as the console's calendar page."""

    serializer_class = NationalHolidaySerializer

    @extend_schema(operation_id="ministry_holidays_list", parameters=[OpenApiParameter("year", int)],
                   responses={200: NationalHolidaySerializer(many=True)})
    def get(self, request):
        year = request.query_params.get("year") or str(timezone.localdate().year)
        if not year.isdigit() or not 2000 <= int(year) <= 2100:
            raise RequestInvalid(gettext("Tahun harus antara 2000 dan 2100."), field="year")
        return Response(self.get_serializer(national_holiday_list(year=int(year)), many=True).data)

    @extend_schema(operation_id="ministry_holidays_set", responses={201: NationalHolidaySerializer})
    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        holiday = national_holiday_set(date=data["date"], name=data["name"], kind=data["kind"], actor=request.user)
        return Response(self.get_serializer(holiday).data, status=201)


class NationalHolidayDetailAPI(MinistryAPI):
    serializer_class = NationalHolidaySerializer

    @extend_schema(operation_id="ministry_holiday_destroy", responses={204: None})
    def delete(self, request, date: str):
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise RequestInvalid(gettext("Tanggal harus berformat TTTT-BB-HH."), field="date") from None
        if not national_holiday_remove(date=day, actor=request.user):
            raise Http404
        return Response(status=204)


class CatalogTemplateSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    version = serializers.IntegerField()
    is_published = serializers.BooleanField()
    data = serializers.JSONField()


class CatalogTemplateListAPI(MinistryAPI):
    """National catalog templates (published and withdrawn), as the console's national page."""

    serializer_class = CatalogTemplateSerializer

    @extend_schema(operation_id="ministry_templates_list", responses={200: CatalogTemplateSerializer(many=True)})
    def get(self, request):
        return Response(self.get_serializer(catalog_template_list(published_only=False), many=True).data)


# --- Pungli reports (inspectors only) ---------------------------------------------


class PungliReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    regency = serializers.CharField(source="regency.code")
    registration_number = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    inspector_notes = serializers.CharField()
    has_file = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_has_file(self, report) -> bool:
        return bool(report.file_key)


class PungliStatisticsSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.IntegerField()


class PungliReportListAPI(MinistryAPI, ListAPIView):
    """Confidential illegal-fee reports: inspectors only (not the ministry administrator), paginated."""

    read_roles = write_roles = PUNGLI_ROLES
    serializer_class = PungliReportSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self):
        status = self.request.query_params.get("status", "")
        return pungli_report_list(status=status if status in PungliReport.Status.values else "",
                                  regency_code=self.request.query_params.get("regency", ""))

    @extend_schema(operation_id="ministry_pungli_list", parameters=[
        OpenApiParameter("status", str, enum=PungliReport.Status.values),
        OpenApiParameter("regency", str, description="regency code")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PungliReportDetailAPI(MinistryAPI):
    read_roles = write_roles = PUNGLI_ROLES
    serializer_class = PungliReportSerializer

    @extend_schema(operation_id="ministry_pungli_retrieve")
    def get(self, request, pk: int):
        try:
            report = pungli_report_get(inspector=request.user, pk=pk)
        except PungliReportNotFound:
            raise Http404 from None
        return Response(self.get_serializer(report).data)


class PungliStatisticsAPI(MinistryAPI):
    """Counts per regency, without content or identity: inspectors and the ministry administrator."""

    read_roles = PUNGLI_STATISTICS_ROLES
    serializer_class = PungliStatisticsSerializer

    @extend_schema(operation_id="ministry_pungli_statistics", responses={200: PungliStatisticsSerializer(many=True)})
    def get(self, request):
        return Response(pungli_statistics())
