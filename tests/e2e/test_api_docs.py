"""The API documentation in Chromium: Swagger UI (/api/docs/) on the apex and on a regency lists that host's
operations, loads only the platform's own files and breaks no CSP rule."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import regency_url

CASES = [
    # (host label, subdomain or None, an operation of this host, an operation that must not be listed)
    ("apex", None, "/api/v1/regencies/", "/api/v1/catalog/permit-types/"),
    ("regency", "trenggalek", "/api/v1/catalog/permit-types/", "/api/v1/ministry/regencies/"),
]


def _watch(page) -> tuple[list[str], list[str]]:
    requests, problems = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return requests, problems


def _all_local(requests: list[str], origin: str) -> list[str]:
    host = urlsplit(origin).netloc
    return [url for url in requests if not (url.startswith(("data:", "blob:")) or urlsplit(url).netloc == host)]


@pytest.mark.parametrize("label,subdomain,listed,absent", CASES)
def test_swagger_ui_lists_the_hosts_operations_from_local_files(page, pintu_server, label, subdomain, listed,
                                                                absent):
    origin = pintu_server["apex"] if subdomain is None else regency_url(pintu_server, subdomain, "").rstrip("/")
    requests, problems = _watch(page)
    page.goto(origin + "/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(p.replace("\u200b", "") == listed for p in paths), paths[:10]
    assert not any(p.replace("\u200b", "") == absent for p in paths)
    assert len(paths) >= 10
    page.steps.shot(f"swagger-{label}")
    assert _all_local(requests, origin) == [], "requests left the platform"
    assert any("/static/drf_spectacular_sidecar/" in url for url in requests)
    assert problems == [], problems
