"""The Content-Security-Policy header built once per process is django-csp's own, and follows changes."""
from csp.constants import HEADER
from csp.decorators import csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from pintu.web.middleware import ContentSecurityPolicyMiddleware


def _answer(view, path="/"):
    request = RequestFactory().get(path)
    middleware = ContentSecurityPolicyMiddleware(view)
    return middleware(request)


def test_the_site_policy_is_django_csps_and_follows_a_settings_change(settings):
    page = _answer(lambda request: HttpResponse("ok"))
    assert page[HEADER] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert _answer(lambda request: HttpResponse("ok"))[HEADER] == "default-src 'none'"


def test_a_view_that_changes_its_policy_or_uses_a_nonce_gets_its_own_header():
    @csp_update({"img-src": ["https://peta.example"]})
    def with_map(request):
        return HttpResponse("ok")

    assert "https://peta.example" in _answer(with_map)[HEADER]

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    request = RequestFactory().get("/")
    answer = ContentSecurityPolicyMiddleware(with_nonce)(request)
    assert answer[HEADER] == build_policy(nonce=answer.content.decode())  # django-csp's, with the nonce
    assert "peta.example" not in _answer(lambda request: HttpResponse("ok"))[HEADER]  # the site's again
