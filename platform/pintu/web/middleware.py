"""Middleware of the web pages: each regency's own time zone, NUL characters refused before any view,
conditional GET on the API, the chosen language, and the Content-Security-Policy header."""
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone


class RegencyTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = getattr(getattr(request, "tenant", None), "time_zone", None)
        if zone:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


NUL_MESSAGE = "Isian memuat karakter NUL (\\x00) yang tidak diizinkan. Hapus karakter itu lalu kirim ulang."


class RejectNulCharacterMiddleware:
    """A NUL character in a query or form parameter is refused with a 400 before any view runs.

    PostgreSQL cannot store NUL in text, so one reaching a model would be a 500; no person types it.
    Django's and DRF's form fields refuse it already; this covers views that read request.POST directly.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        params = [request.GET]
        if request.method == "POST" and request.content_type in self.FORM_TYPES:
            params.append(request.POST)
        for query in params:
            if any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists()):
                return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "nul_character", "message": NUL_MESSAGE}, status=400)
        return HttpResponseBadRequest(f"<!doctype html><html lang=\"id\"><meta charset=\"utf-8\"><title>Isian tidak valid"
                                      f"</title><p>{NUL_MESSAGE}</p></html>", content_type="text/html; charset=utf-8")


class ApiConditionalGetMiddleware:
    """`ETag` on every GET/HEAD answer under /api/ and `304 Not Modified` for a matching `If-None-Match`.

    Django's ConditionalGetMiddleware, limited to the API (pages keep their own caching): the tag is a hash
    of the body, so a client polling a list (worklist, inbox, register) downloads it again only when it
    changed. Streaming answers (CSV/XLSX exports) get no tag.
    """

    def __init__(self, get_response):
        from django.middleware.http import ConditionalGetMiddleware

        self.get_response = get_response
        self.conditional = ConditionalGetMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/") and response.status_code == 200:
            return self.conditional.process_response(request, response)
        return response


class ChosenLanguageMiddleware:
    """Pages speak Indonesian unless the person picked another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, so a phone set to English got
    Django's own messages ("This field is required.") and dates ("9 December 2026") in English inside
    Indonesian pages. Here only the language cookie, set by the switch (``set_language``), counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the site-wide policy built once per process.

    django-csp builds the header from the settings on every response (a deep copy of the directives,
    a dataclass turned into a dict, twice: ~12 % of the public tracking page's Python). A response no
    decorator changed and that used no nonce always gets the same header, so that one is built once
    (and again when the settings change, as tests do); every other response goes through django-csp.
    """

    _site: dict[bool, str] = {}

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
                getattr(response, name, None) is not None for name in _CSP_RESPONSE_ATTRIBUTES):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for report_only, header, exempt, setting in _CSP_HEADERS:
            policy = self._site.get(report_only)
            if policy is None:
                policy = self._site[report_only] = build_policy(report_only=report_only)
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if policy and header not in response and getattr(response, exempt, False) is False \
                    and not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


_CSP_RESPONSE_ATTRIBUTES = ("_csp_config", "_csp_update", "_csp_replace",
                            "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
_CSP_HEADERS = ((False, HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
                (True, HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"))


@receiver(setting_changed)
def _csp_settings_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        ContentSecurityPolicyMiddleware._site.clear()
