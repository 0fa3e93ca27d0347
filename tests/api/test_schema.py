"""Each host serves its own OpenAPI document and browsable docs from the platform's own files."""
from __future__ import annotations

import re

import pytest


def _schema(client) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_apex_document_lists_the_apex_endpoints_only(client_for, db):
    paths = _schema(client_for(None))["paths"]
    assert "/api/v1/regencies/" in paths
    assert not any(p.startswith("/api/v1/catalog/") or p.startswith("/api/v1/config/") for p in paths)


def test_a_regency_document_lists_the_regency_endpoints(client_for, trenggalek):
    paths = _schema(client_for(trenggalek))["paths"]
    assert "/api/v1/catalog/permit-types/" in paths and "/api/v1/regency/" in paths
    assert "/api/v1/regencies/" not in paths


def test_every_operation_says_its_permission_and_error_shape(client_for, trenggalek):
    document = _schema(client_for(trenggalek))
    assert {"Error", "ValidationError"} <= set(document["components"]["schemas"])
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            assert operation["x-permission"], (method, path)
            assert "**Permission:**" in operation["description"]
            assert operation["responses"]["429"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    config = document["paths"]["/api/v1/config/permit-types/"]["post"]
    assert "regency_admin" in config["x-permission"] and "403" in config["responses"]
    catalog = document["paths"]["/api/v1/catalog/permit-types/"]["get"]
    assert catalog["x-permission"] == "anyone, no sign-in" and "403" not in catalog["responses"]


def test_the_versioned_document_is_the_same(client_for, db):
    client = client_for(None)
    assert _schema(client) == client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


@pytest.mark.parametrize("page", ["/api/docs/"])
@pytest.mark.parametrize("on_regency", [False, True])
def test_the_docs_pages_load_only_the_platforms_own_files(page, on_regency, client_for, trenggalek):
    client = client_for(trenggalek if on_regency else None)
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "<script>" not in html  # the CSP allows no inline script
    for source in sources:
        if source.startswith("/static/"):
            assert client.get(source.split("?")[0]).status_code == 200, source
    if page == "/api/docs/":
        script = client.get("/api/docs/?script=")
        assert script.status_code == 200 and "/api/schema/" in script.content.decode()


def test_each_document_is_generated_once_per_process_and_language(client_for, trenggalek, monkeypatch):
    """Generating a document costs 0.5-1.5 CPU s: anyone may ask for it, so the server keeps each one it made
    (by URLconf, version and language) instead of making it again for every request."""
    from drf_spectacular.generators import SchemaGenerator

    from pintu import api_schema

    generated = []
    original = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        generated.append((self.urlconf, kwargs.get("public")))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    monkeypatch.setattr(api_schema, "_documents", {})
    regency, apex = client_for(trenggalek), client_for(None)
    first = _schema(regency)
    assert _schema(regency) == first and _schema(client_for(trenggalek)) == first
    assert generated == [("pintu.urls_tenant", True)]
    _schema(apex)  # the apex has a document of its own
    assert generated[-1] == ("pintu.urls_public", True) and len(generated) == 2
    english = regency.get("/api/schema/", {"lang": "en"}, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert english.status_code == 200 and len(generated) == 3  # each language its own
    assert regency.get("/api/schema/", {"lang": "en"}, HTTP_ACCEPT="application/vnd.oai.openapi+json").json() \
        == english.json() and len(generated) == 3


def test_invented_languages_do_not_grow_the_kept_documents(client_for, trenggalek, monkeypatch):
    from pintu import api_schema

    monkeypatch.setattr(api_schema, "_documents", {})
    client = client_for(trenggalek)
    default = _schema(client)
    for invented in ("xx", "zz-top", "id-ID", "en-gb", "klingon"):
        response = client.get("/api/schema/", {"lang": invented}, HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert response.status_code == 200
    assert len(api_schema._documents) <= 2  # Indonesian (the default, and every unknown one) and English
    assert client.get("/api/schema/", {"lang": "xx"}, HTTP_ACCEPT="application/vnd.oai.openapi+json").json() == default
