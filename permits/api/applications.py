"""/api/v1/ for applications on a regency subdomain.

- applicant: create a draft, save the form, upload a requirement, submit/resubmit, list own, detail + tracking
- public (no sign-in): tracking by registration number + code, permit verification by code
- officers (a role here): worklist, claim, review a document, act on a step, download a document
- signing officials / heads: revoke a permit

Thin: each view parses input, calls one service or selector, and shapes the answer. Domain
refusals become {"code", "message", "detail"} with a 4xx status (pintu.api.exception_handler).
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from permits.actions import step_button_press
from permits.api import application_serializers as s
from permits.errors import SurveyScheduleInvalid
from permits.models import PermitType, Requirement
from permits.models.applications import Application, ApplicationDocument, Permit, StepTask
from permits.regency import regency_today
from permits.selectors.applications import (
    application_for_tracking,
    application_tracking,
    applications_of,
    permit_for_verification,
    permit_state,
    worklist,
    worklist_rows,
)
from permits.selectors.delegation import worklist_offers
from permits.selectors.office import surveyors_here
from permits.services.applications import (
    application_document_upload,
    application_draft_create,
    application_form_save,
    application_resubmit,
    application_submit,
)
from permits.services.issuance import permit_revoke
from permits.services.office_files import officer_document_open
from permits.services.processing import document_review, task_claim
from permits.services.site_survey import survey_schedule
from pintu.access.models import Role
from pintu.access.permissions import PUBLIC, REGENCY_ROLE, SIGNED_IN, has_role
from pintu.access.roles import OFFICE_ROLES, PROCESSING_ROLES, REVIEWING_ROLES, REVOKING_ROLES
from pintu.access.selectors import is_own_application
from pintu.api import ApiView
from pintu.api_docs import extend_schema
from pintu.errors import NotFound
from pintu.storage.services import document_response


class PublicLookupThrottle(SimpleRateThrottle):
    """Tracking codes and verification codes must not be guessable by brute force."""

    scope = "public_lookup"
    rate = "60/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _applicant_application(request, pk: int) -> Application:
    """The caller's own application; someone else's is 'not found' (never confirm it exists)."""
    application = Application.objects.select_related("permit_type").filter(pk=pk).first()
    if not is_own_application(user=request.user, application=application):
        raise NotFound(gettext("Permohonan tidak ditemukan."))
    return application


# --- applicant -----------------------------------------------------------------


class ApplicationListCreateAPI(ApiView, ListAPIView):
    """GET: my applications in this regency. POST: start a draft for a permit type offered online."""

    serializer_class = s.ApplicationListSerializer
    access = SIGNED_IN

    def get_queryset(self):
        return applications_of(applicant=self.request.user)

    @extend_schema(request=s.DraftCreateInput, responses={201: s.ApplicationDetailSerializer})
    def post(self, request):
        data = _valid(s.DraftCreateInput, request.data)
        permit_type = PermitType.objects.filter(code=data["permit_type"]).first()
        if permit_type is None:
            raise NotFound(gettext("Jenis izin tidak ditemukan di daerah ini."))
        renewal_of = None
        if data.get("renewal_of"):
            renewal_of = (Permit.objects.select_related("application")
                          .filter(number=data["renewal_of"], application__applicant=request.user).first())
            if renewal_of is None:
                raise NotFound(gettext("Izin yang akan diperpanjang tidak ditemukan di antara izin Anda."))
        if renewal_of is not None and renewal_of.application.permit_type_id == permit_type.pk:
            # One renewal rule for the page and the API: window, counter-only types, earlier documents.
            from permits.services.renewal import permit_renew_start

            application = permit_renew_start(permit=renewal_of, applicant=request.user)
        else:
            application = application_draft_create(permit_type=permit_type, applicant=request.user,
                                                   kind=data["kind"], renewal_of=renewal_of)
        return Response(s.ApplicationDetailSerializer(application).data, status=status.HTTP_201_CREATED)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ApplicationDetailAPI(ApiView):
    """One application with its documents, permit and tracking: the applicant's own, or any for officers here."""

    access = SIGNED_IN

    @extend_schema(responses=s.ApplicationDetailSerializer)
    def get(self, request, pk: int):
        application = Application.objects.select_related("permit_type").filter(pk=pk).first()
        if application is None or not (is_own_application(user=request.user, application=application)
                                       or has_role(request, *OFFICE_ROLES)):
            raise NotFound(gettext("Permohonan tidak ditemukan."))
        tracking = application_tracking(application) if application.submitted_at else None
        return Response(s.ApplicationDetailSerializer(application, context={"tracking": tracking}).data)


class ApplicationFormAPI(ApiView):
    access = SIGNED_IN

    @extend_schema(request=s.FormSaveInput, responses=s.ApplicationDetailSerializer)
    def post(self, request, pk: int):
        application = _applicant_application(request, pk)
        data = _valid(s.FormSaveInput, request.data)
        application = application_form_save(application=application, data=data["data"], actor=request.user)
        return Response(s.ApplicationDetailSerializer(application).data)


class ApplicationDocumentAPI(ApiView):
    access = SIGNED_IN
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": s.DocumentUploadInput}, responses={201: s.DocumentSerializer})
    def post(self, request, pk: int):
        application = _applicant_application(request, pk)
        data = _valid(s.DocumentUploadInput, request.data)
        requirement = Requirement.objects.filter(pk=data["requirement"], permit_type=application.permit_type).first()
        if requirement is None:
            raise NotFound(gettext("Persyaratan ini bukan milik jenis izin permohonan ini."))
        document = application_document_upload(application=application, requirement=requirement, file=data["file"],
                                               filename=data["file"].name, actor=request.user)
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class ApplicationSubmitAPI(ApiView):
    """Submit a draft, or resubmit a returned application (the SLA clock resumes)."""

    access = SIGNED_IN
    resubmit = False

    @extend_schema(request=None, responses=s.ApplicationDetailSerializer)
    def post(self, request, pk: int):
        application = _applicant_application(request, pk)
        service = application_resubmit if self.resubmit else application_submit
        application = service(application=application, actor=request.user)
        tracking = application_tracking(application)
        return Response(s.ApplicationDetailSerializer(application, context={"tracking": tracking}).data)


# --- public ------------------------------------------------------------------------


class TrackingAPI(ApiView):
    """Track without signing in: registration number + tracking code; a mismatch is a plain 404."""

    access = PUBLIC
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(parameters=[OpenApiParameter("registration_number", str, required=True),
                               OpenApiParameter("tracking_code", str, required=True)],
                   responses={200: dict})
    def get(self, request):
        application = application_for_tracking(registration_number=request.query_params.get("registration_number", ""),
                                               tracking_code=request.query_params.get("tracking_code", ""))
        if application is None:
            raise NotFound(gettext("Nomor registrasi atau kode pelacakan tidak cocok."))
        return Response(s.tracking_data(application_tracking(application)))


class VerificationAPI(ApiView):
    """What the permit's QR code proves, without personal data: status, number, dates, document hash."""

    access = PUBLIC
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(responses={200: dict})
    def get(self, request, code: str):
        permit = permit_for_verification(code)
        if permit is None:
            raise NotFound(gettext("Izin dengan kode verifikasi ini tidak ditemukan."))
        state = permit_state(permit)
        labels = {"valid": "Asli dan berlaku", "revoked": "Dicabut", "expired": "Masa berlaku habis"}
        return Response({
            "state": state, "state_label": labels[state], "number": permit.number,
            "permit_type_name": permit.application.permit_type.name,
            "issued_at": s.RegencyDateTimeField().to_representation(permit.issued_at),
            "valid_from": permit.valid_from, "valid_until": permit.valid_until,
            "sha256": permit.sha256, "is_fiktif_positif": permit.is_fiktif_positif,
            "revoked_at": s.RegencyDateTimeField().to_representation(permit.revoked_at),
            "revoked_reason": permit.revoked_reason,
        })


# --- officers ------------------------------------------------------------------------


class OfficerAPI(ApiView):
    access = REGENCY_ROLE
    required_roles = PROCESSING_ROLES


class WorklistAPI(ApiView, ListAPIView):
    """Open steps I may act on here: scope=mine (claimed by me or unclaimed), due_soon, late."""

    serializer_class = s.TaskSerializer
    access = REGENCY_ROLE
    required_roles = PROCESSING_ROLES

    @extend_schema(parameters=[OpenApiParameter("scope", str, enum=["mine", "due_soon", "late"])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        scope = self.request.query_params.get("scope", "mine")
        if scope not in ("mine", "due_soon", "late"):
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"scope": [gettext("Pilih salah satu: mine, due_soon, late.")]})
        return worklist(officer=self.request.user, scope=scope)

    def paginate_queryset(self, queryset):
        """Count and page the ids from the indexes, then load only that page's rows in full."""
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True))
        if ids is None:
            return None
        rows = worklist_rows(ids)
        # Who signs each decision row today and what each card offers, as the worklist page says it
        # (three queries, whatever the rows).
        self.offers = worklist_offers(rows, user=self.request.user, on=regency_today())
        return rows

    def get_serializer_context(self):
        offers = getattr(self, "offers", {})
        return {**super().get_serializer_context(), "now": timezone.now(), "offers": offers,
                "authorities": {pk: offer.authority for pk, offer in offers.items() if offer.authority is not None}}


def _task(pk: int) -> StepTask:
    task = StepTask.objects.select_related("application", "application__permit_type", "step", "claimed_by") \
        .filter(pk=pk).first()
    if task is None:
        raise NotFound(gettext("Langkah tidak ditemukan."))
    return task


class TaskClaimAPI(OfficerAPI):
    @extend_schema(request=None, responses=s.TaskSerializer)
    def post(self, request, pk: int):
        task = task_claim(task=_task(pk), officer=request.user)
        return Response(s.TaskSerializer(_task(task.pk), context={"now": timezone.now(), "request": request}).data)


class TaskActAPI(OfficerAPI):
    """Do what the step allows; a second officer acting on the same step gets 409 step_already_acted."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=s.TaskActInput, responses=s.ApplicationDetailSerializer)
    def post(self, request, pk: int):
        task = _task(pk)
        data = _valid(s.TaskActInput, request.data)
        application = step_button_press(task=task, officer=request.user, action=data["action"], note=data["note"],
                                         checklist=data["checklist"], report=data.get("report"))
        tracking = application_tracking(application)
        return Response(s.ApplicationDetailSerializer(application, context={"tracking": tracking}).data)


class TaskSurveyScheduleAPI(OfficerAPI):
    """Set or move the site visit of a survey step (survey_schedule); the applicant is told the date."""

    required_roles = (Role.SURVEYOR,)

    @extend_schema(request=s.SurveyScheduleInput, responses=s.SurveyScheduleSerializer)
    def post(self, request, pk: int):
        data = _valid(s.SurveyScheduleInput, request.data)
        surveyor = request.user
        if data["officer"]:
            surveyor = next((u for u in surveyors_here() if u.pk == data["officer"]), None)
            if surveyor is None:
                raise SurveyScheduleInvalid.one("officer", "not_a_surveyor", gettext("Pilih petugas survei lapangan dari daerah ini."))
        task = survey_schedule(task=_task(pk), officer=request.user, at=data["at"], surveyor=surveyor,
                               note=data["note"])
        return Response(s.SurveyScheduleSerializer(task).data)


def _document(pk: int) -> ApplicationDocument:
    document = ApplicationDocument.objects.select_related("application", "requirement").filter(pk=pk).first()
    if document is None:
        raise NotFound(gettext("Berkas tidak ditemukan."))
    return document


class DocumentReviewAPI(OfficerAPI):
    required_roles = REVIEWING_ROLES

    @extend_schema(request=s.DocumentReviewInput, responses=s.DocumentSerializer)
    def post(self, request, pk: int):
        data = _valid(s.DocumentReviewInput, request.data)
        document = document_review(document=_document(pk), officer=request.user, accepted=data["accepted"],
                                   reason=data["reason"])
        return Response(s.DocumentSerializer(document).data)


class DocumentDownloadAPI(OfficerAPI):
    """Stream a requirement file to an officer of this regency (audited as document.download)."""

    required_roles = ()  # any role here

    # A scan is served with its own type (uploads are PDF or photos; anything older as octet-stream).
    @extend_schema(responses={(200, kind): bytes for kind in (
        "application/pdf", "image/jpeg", "image/png", "application/octet-stream")})
    def get(self, request, pk: int):
        document = _document(pk)
        key = officer_document_open(document=document, officer=request.user)
        return document_response(key, download_name=document.display_name or key.rsplit("/", 1)[-1])


class PermitRevokeAPI(OfficerAPI):
    required_roles = REVOKING_ROLES

    @extend_schema(request=s.RevokeInput, responses=s.PermitSummarySerializer)
    def post(self, request, pk: int):
        data = _valid(s.RevokeInput, request.data)
        permit = get_object_or_404(Permit, pk=pk)
        permit = permit_revoke(permit=permit, actor=request.user, reason=data["reason"])
        return Response(s.PermitSummarySerializer(permit).data)


class PermitRenewAPI(ApiView):
    """Start renewing my permit (of application `pk`): a new draft with the old permit attached (permit_renew_start).

    Only the permit's holder; the window and the other rules are the renewal service's (409 with its code).
    """

    access = SIGNED_IN

    @extend_schema(request=None, responses={201: s.ApplicationDetailSerializer})
    def post(self, request, pk: int):
        from permits.services.renewal import permit_renew_start

        permit = Permit.objects.select_related("application").filter(application_id=pk).first()
        if permit is None or not is_own_application(user=request.user, application=permit.application):
            raise NotFound(gettext("Izin tidak ditemukan."))
        application = permit_renew_start(permit=permit, applicant=request.user)
        return Response(s.ApplicationDetailSerializer(application, context={"tracking": None}).data,
                        status=status.HTTP_201_CREATED)
