"""Writes for the satisfaction survey (SKM): one response per application, nine scores 1–4."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from permits.errors import RegistrationNumberUnknown, SurveyAlreadyAnswered, SurveyInvalid, SurveyNotOpen
from permits.models.applications import Application
from permits.models.survey import ELEMENT_FIELDS, ELEMENTS, SurveyResponse
from pintu.access.selectors import is_own_application
from pintu.audit.services import audit_record
from pintu.errors import NotFound

if TYPE_CHECKING:
    from pintu.identity.models import User

COMMENT_MAX = 2000
DECIDED = (Application.Status.ISSUED, Application.Status.REJECTED)


def scores_clean(scores: dict) -> dict[str, int]:
    """The nine scores as integers 1–4, or SurveyInvalid naming every bad element."""
    clean, fields = {}, {}
    for element in ELEMENTS:
        raw = (scores or {}).get(element.field)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 4:
            fields[element.field] = [{"code": "required" if raw in (None, "") else "out_of_range",
                                      "message": gettext("Pilih nilai untuk unsur %(label)s.") % {"label": element.label}}]
        clean[element.field] = value
    unknown = set(scores or {}) - set(ELEMENT_FIELDS)
    if unknown:
        fields[sorted(unknown)[0]] = [{"code": "unknown_field", "message": gettext("Unsur survei tidak dikenal.")}]
    if fields:
        raise SurveyInvalid(fields=fields)
    return clean


def _create(*, application: Application | None, channel: str, respondent: User | None, scores: dict,
            comment: str) -> SurveyResponse:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise SurveyInvalid(gettext("Saran dan masukan paling panjang %(COMMENT_MAX)s karakter.") % {"COMMENT_MAX": COMMENT_MAX},
                            fields={"comment": [{"code": "too_long", "message": gettext("Saran terlalu panjang.")}]})
    if application is not None and SurveyResponse.objects.filter(application=application).exists():
        raise SurveyAlreadyAnswered()
    clean = scores_clean(scores)
    try:
        with transaction.atomic():  # a savepoint: two tabs submitting at once meet the unique constraint
            response = SurveyResponse.objects.create(
                application=application, channel=channel, submitted_at=timezone.now(), comment=comment,
                respondent=respondent if getattr(respondent, "pk", None) else None, **clean)
    except IntegrityError as exc:
        raise SurveyAlreadyAnswered() from exc
    audit_record(actor=respondent if getattr(respondent, "pk", None) else None, action="survey.respond",
                 target=response, detail={"channel": channel, "application": getattr(application, "pk", None)})
    return response


@transaction.atomic
def survey_response_submit(*, application: Application, respondent: User, scores: dict,
                           comment: str = "") -> SurveyResponse:
    """The applicant rates the service once their application is decided (issued or rejected), once."""
    if not is_own_application(user=respondent, application=application):
        raise NotFound(gettext("Permohonan tidak ditemukan."))
    if application.status not in DECIDED:
        raise SurveyNotOpen()
    return _create(application=application, channel=SurveyResponse.Channel.ONLINE, respondent=respondent,
                   scores=scores, comment=comment)


@transaction.atomic
def survey_counter_response_submit(*, scores: dict, registration_number: str = "", tracking_code: str = "",
                                   comment: str = "") -> SurveyResponse:
    """A respondent at the counter's tablet; a registration number, if given, must be of a decided
    application here and come with its tracking code (so nobody rates, and closes, another's file)."""
    from django.utils.crypto import constant_time_compare

    application = None
    number = (registration_number or "").strip().upper()
    if number:
        application = Application.objects.filter(registration_number=number).first()
        code = (tracking_code or "").strip().upper()
        if application is None or not code or not constant_time_compare(application.tracking_code, code):
            raise RegistrationNumberUnknown(fields={"registration_number": [
                {"code": "unknown", "message": str(RegistrationNumberUnknown.message)}]})
        if application.status not in DECIDED:
            raise SurveyNotOpen(fields={"registration_number": [
                {"code": "not_decided", "message": str(SurveyNotOpen.message)}]})
    return _create(application=application, channel=SurveyResponse.Channel.COUNTER, respondent=None,
                   scores=scores, comment=comment)
