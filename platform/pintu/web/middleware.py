"""Middleware of the web pages: each regency's own time zone, and NUL characters refused before any view."""
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
