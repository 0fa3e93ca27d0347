"""A client generated from each host's OpenAPI document (openapi-python-client, offline, in a temp dir)
lists the regencies on the apex and the catalog of a regency, through the real WSGI application."""
from __future__ import annotations

import contextlib
import importlib
import json
import subprocess
import sys
from pathlib import Path

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@contextlib.contextmanager
def wsgi_transport():
    """The real application behind httpx; the test's transaction must survive each request's end (as Django's
    test client does, which is why the documents are fetched before, not inside, this block)."""
    import httpx
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from pintu.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield httpx.WSGITransport(app=application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _generate(tmp_path: Path, document: dict, package: str):
    """Write the document, generate a package from it (no network: post hooks off) and import it."""
    (tmp_path / "openapi.json").write_text(json.dumps(document))
    (tmp_path / "config.yaml").write_text(f"post_hooks: []\npackage_name_override: {package}\n")
    result = subprocess.run([str(GENERATOR), "generate", "--path", "openapi.json", "--config", "config.yaml",
                             "--meta", "none", "--output-path", package], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, env={"PATH": str(GENERATOR.parent), "HOME": str(tmp_path),
                                                         "NO_PROXY": "*", "http_proxy": "http://0.0.0.0:9",
                                                         "https_proxy": "http://0.0.0.0:9"})
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(tmp_path))


def _document(client_for, regency) -> dict:
    response = client_for(regency).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_a_client_generated_from_the_apex_document_lists_the_regencies(tmp_path, client_for, trenggalek, blitar):
    package = _generate(tmp_path, _document(client_for, None), "pintu_apex_client")
    regencies_list = importlib.import_module("pintu_apex_client.api.v1.v1_regencies_list")
    with wsgi_transport() as transport:
        client = package.AuthenticatedClient(base_url="http://localhost", token="", prefix="",
                                             httpx_args={"transport": transport})
        regencies = regencies_list.sync(client=client)
    assert {"3503", "3572"} <= {r.code for r in regencies}
    assert next(r for r in regencies if r.code == "3503").subdomain == "trenggalek"


def test_a_client_generated_from_a_regency_document_lists_its_catalog(tmp_path, client_for, trenggalek,
                                                                     trenggalek_office):
    office = trenggalek_office
    package = _generate(tmp_path, _document(client_for, trenggalek), "pintu_regency_client")
    catalog_list = importlib.import_module("pintu_regency_client.api.v1.v1_catalog_permit_types_list")
    with wsgi_transport() as transport:
        client = package.AuthenticatedClient(base_url="http://trenggalek.localhost", token="", prefix="",
                                             httpx_args={"transport": transport})
        page = catalog_list.sync(client=client)
    assert page.count >= 1
    assert office.permit_type.code in {p.code for p in page.results}
    # The apex's package knows no catalog, the regency's no regency list: each follows its own document.
    assert not Path(tmp_path, "pintu_regency_client", "api", "v1", "v1_regencies_list.py").exists()
