"""The anonymous tracking page answered by `TrackingPageCacheMiddleware` before the rest of the stack.

What the cached answer must still carry: the headers of the layers above it (security, CSP, request
id) fresh on every answer, the metrics' URL name, a working language switch for the visitor who got
the cached bytes, and none of it for a signed-in visitor or one with pending messages.
"""
from django.conf import settings
from django.core.cache import caches

from pintu import metrics
from tests.factories import submitted_application


def _track(client, application, **extra):
    return client.get("/lacak/", {"nomor": application.registration_number, "kode": application.tracking_code},
                      **extra)


def test_a_cached_answer_keeps_the_headers_of_the_layers_above_and_a_fresh_request_id(
        office, applicant, trenggalek, client_for):
    application = submitted_application(office, applicant)
    first = _track(client_for(trenggalek), application)
    again = _track(client_for(trenggalek), application)
    assert first.templates and again.templates == []  # the second visitor's page came from the cache
    assert again.content == first.content and again.status_code == 200
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                   "Content-Language", "Content-Type"):
        assert again[header] == first[header], header
    assert again["X-Request-ID"] != first["X-Request-ID"]
    assert not again.cookies  # nothing of the first visitor (no CSRF token, no session)


def test_a_visitor_served_from_the_cache_can_still_switch_the_language(office, applicant, trenggalek, client_for):
    application = submitted_application(office, applicant)
    _track(client_for(trenggalek), application)  # the first visitor fills the cache
    visitor = client_for(trenggalek)
    visitor.handler.enforce_csrf_checks = True  # as a browser meets it
    page = _track(visitor, application)
    assert page.templates == [] and "csrfmiddlewaretoken" not in page.content.decode()
    switched = visitor.post("/bahasa/", {"language": "en", "next": "/lacak/"})
    assert switched.status_code == 302 and visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = _track(visitor, application)  # another key: the language is part of it
    assert english["Content-Language"] == "en" and english.templates


def test_the_metrics_name_the_tracking_page_for_cached_answers(office, applicant, trenggalek, client_for):
    application = submitted_application(office, applicant)
    _track(client_for(trenggalek), application)
    before = metrics.REQUEST_SECONDS.labels("permits:track", "GET", "200")._sum.get()
    cached = _track(client_for(trenggalek), application)
    assert cached.templates == []
    assert metrics.REQUEST_SECONDS.labels("permits:track", "GET", "200")._sum.get() > before


def test_signed_in_visitors_and_pending_messages_never_get_the_cached_page(office, applicant, trenggalek,
                                                                         client_for):
    application = submitted_application(office, applicant)
    _track(client_for(trenggalek), application)
    signed_in = _track(client_for(trenggalek, applicant), application)
    assert signed_in.templates and "Keluar" in signed_in.content.decode()
    with_messages = client_for(trenggalek)
    with_messages.cookies["messages"] = "anything"
    assert _track(with_messages, application).templates


def test_the_process_cache_answers_when_redis_lost_the_page(office, applicant, trenggalek, client_for):
    application = submitted_application(office, applicant)
    first = _track(client_for(trenggalek), application)
    caches["default"].clear()  # Redis evicted it (or restarted): this process still has it
    again = _track(client_for(trenggalek), application)
    assert again.templates == [] and again.content == first.content
    caches["local"].clear()  # neither has it: rendered again, and stored again
    assert _track(client_for(trenggalek), application).templates
