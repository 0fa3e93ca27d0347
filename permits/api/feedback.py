"""/api/v1/ for the satisfaction survey and complaints on a regency subdomain.

- applicant: rate a decided application (once)
- heads and administrators: IKM for a period
- anyone (throttled): file a complaint, read it back with its code
- complaint handlers: counts and response times

Domain refusals become {"code", "message", ...} with a 4xx status.
"""
from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from permits.errors import ComplaintNotFound
from permits.models import PermitType
from permits.models.applications import Application
from permits.models.survey import ELEMENT_FIELDS
from permits.selectors.complaints import complaint_for_code, complaint_stats
from permits.selectors.survey import PERIOD_KINDS, IkmResult, ikm_for_period, period_containing, period_of
from permits.services.complaints import complaint_file
from permits.services.survey import survey_response_submit
from pintu.access.permissions import ANYONE, REGENCY_ROLE, SIGNED_IN
from pintu.access.roles import COMPLAINT_ROLES, IKM_ROLES
from pintu.access.selectors import is_own_application
from pintu.api import ApiView
from pintu.api_docs import extend_schema
from pintu.errors import NotFound


class FeedbackThrottle(SimpleRateThrottle):
    """Complaints and code lookups from one address, per regency (the cache key carries the schema)."""

    scope = "feedback"
    rate = "30/hour"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SurveyInput(serializers.Serializer):
    scores = serializers.DictField(child=serializers.IntegerField(), help_text="Nilai 1–4 untuk: "
                                   + ", ".join(ELEMENT_FIELDS))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SurveyResponseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    channel = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class ElementOutput(serializers.Serializer):
    element = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    nrr = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class IkmOutput(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    respondents = serializers.IntegerField()
    by_channel = serializers.DictField(child=serializers.IntegerField())
    elements = ElementOutput(many=True)
    ikm = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    grade = serializers.CharField(allow_blank=True)
    grade_label = serializers.CharField(allow_blank=True)


class ComplaintInput(serializers.Serializer):
    description = serializers.CharField(max_length=5000)
    registration_number = serializers.CharField(required=False, allow_blank=True, max_length=32)
    permit_type = serializers.SlugField(required=False, allow_blank=True, help_text="Kode jenis izin")
    contact = serializers.CharField(required=False, allow_blank=True, max_length=150)


class ComplaintFiledOutput(serializers.Serializer):
    code = serializers.CharField(help_text="Kode pengaduan; ditampilkan sekali ini saja.")
    status = serializers.CharField()
    due_at = serializers.DateTimeField()


class CodeInput(serializers.Serializer):
    code = serializers.CharField(max_length=40)


class ComplaintStatusOutput(serializers.Serializer):
    status = serializers.CharField()
    status_label = serializers.CharField()
    filed_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    is_late = serializers.BooleanField()
    description = serializers.CharField()
    answer = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class ComplaintStatsOutput(serializers.Serializer):
    filed = serializers.IntegerField()
    open = serializers.IntegerField()
    answered = serializers.IntegerField()
    closed = serializers.IntegerField()
    late = serializers.IntegerField()
    median_working_days_to_answer = serializers.FloatField(allow_null=True)
    answer_working_days = serializers.IntegerField()


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def ikm_payload(result: IkmResult, label: str) -> dict:
    return {
        "period": label, "start": result.start, "end": result.end, "respondents": result.respondents,
        "by_channel": result.by_channel, "ikm": result.ikm_display, "grade": result.grade,
        "grade_label": result.grade_label,
        "elements": [{"element": r.element.field, "label": str(r.element.label), "total": r.total,
                      "nrr": r.nrr_display if result.respondents else None} for r in result.elements],
    }


class SurveyResponseAPI(ApiView):
    """The applicant rates the service of their decided application (issued or rejected), once."""

    access = SIGNED_IN

    @extend_schema(request=SurveyInput, responses={201: SurveyResponseOutput})
    def post(self, request, pk: int):
        application = Application.objects.filter(pk=pk).first()
        if not is_own_application(user=request.user, application=application):
            raise NotFound(gettext("Permohonan tidak ditemukan."))
        data = _valid(SurveyInput, request.data)
        response = survey_response_submit(application=application, respondent=request.user, scores=data["scores"],
                                          comment=data.get("comment", ""))
        return Response(SurveyResponseOutput(response).data, status=status.HTTP_201_CREATED)


class IkmAPI(ApiView):
    access = REGENCY_ROLE
    required_roles = IKM_ROLES

    @extend_schema(
        parameters=[OpenApiParameter("period", str, enum=list(PERIOD_KINDS), description="month, quarter, year"),
                    OpenApiParameter("year", int), OpenApiParameter("number", int, description="bulan/triwulan ke-")],
        responses=IkmOutput)
    def get(self, request):
        kind = request.query_params.get("period", "month")
        if kind not in PERIOD_KINDS:
            raise serializers.ValidationError({"period": [gettext("Periode harus month, quarter, atau year.")]})
        current = period_containing(kind=kind)
        try:
            year = int(request.query_params.get("year", current.year))
            number = int(request.query_params.get("number", current.number))
            period = period_of(kind=kind, year=year, number=number)
            if not 2000 <= year <= 2100 or not 1 <= number <= {"month": 12, "quarter": 4, "year": 1}[kind]:
                raise ValueError
        except ValueError as exc:
            raise serializers.ValidationError({"number": [gettext("Tahun atau nomor periode tidak valid.")]}) from exc
        return Response(IkmOutput(ikm_payload(ikm_for_period(period), period.label)).data)


class ComplaintFileAPI(ApiView):
    access = ANYONE
    throttle_classes = [FeedbackThrottle]

    @extend_schema(request=ComplaintInput, responses={201: ComplaintFiledOutput})
    def post(self, request):
        data = _valid(ComplaintInput, request.data)
        permit_type = None
        if data.get("permit_type"):
            permit_type = PermitType.objects.filter(code=data["permit_type"], is_active=True).first()
            if permit_type is None:
                raise NotFound(gettext("Jenis izin tidak ditemukan di daerah ini."))
        complaint, code = complaint_file(description=data["description"],
                                         registration_number=data.get("registration_number", ""),
                                         permit_type=permit_type, contact=data.get("contact", ""),
                                         complainant=request.user)
        return Response({"code": code, "status": complaint.status, "due_at": complaint.due_at},
                        status=status.HTTP_201_CREATED)


class ComplaintStatusAPI(ApiView):
    """POST so the code stays out of URLs and logs."""

    access = ANYONE
    throttle_classes = [FeedbackThrottle]

    @extend_schema(request=CodeInput, responses=ComplaintStatusOutput)
    def post(self, request):
        complaint = complaint_for_code(_valid(CodeInput, request.data)["code"])
        if complaint is None:
            raise ComplaintNotFound()
        return Response(ComplaintStatusOutput({
            "status": complaint.status, "status_label": complaint.get_status_display(), "filed_at": complaint.filed_at,
            "due_at": complaint.due_at, "is_late": complaint.is_late, "description": complaint.description,
            "answer": complaint.answer, "answered_at": complaint.answered_at, "closed_at": complaint.closed_at,
        }).data)


class ComplaintStatsAPI(ApiView):
    access = REGENCY_ROLE
    required_roles = COMPLAINT_ROLES

    @extend_schema(responses=ComplaintStatsOutput)
    def get(self, request):
        return Response(ComplaintStatsOutput(complaint_stats()).data)
