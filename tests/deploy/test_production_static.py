"""Static files and security headers in production, as the image builds it (collectstatic: compressed,
hashed files served by WhiteNoise).

Issue #16: hashed names in the pages and a year-long, immutable cache lifetime on them, so a phone on a
slow network fetches the stylesheet once, never revalidates it, and gets the new one the day it changes
(another name). And every page carries HSTS and the CSP.

One collectstatic and one production process answer for both tests (module fixture): each of them
used to collect every app's files and compress them again.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.deploy.test_observability import ROOT, _production_env

_ANSWERS = (
    "import django, json, re; django.setup();"
    "from django.test import Client;"
    "c = Client(HTTP_HOST='pintu.go.id');"
    "health = c.get('/healthz', secure=True);"
    "home = c.get('/', secure=True);"
    "css = re.search(r'href=\"(/static/pintu/pintu[^\"]*[.]css)\"', home.content.decode()).group(1);"
    "r = c.get(css, secure=True, HTTP_ACCEPT_ENCODING='gzip');"
    "plain = c.get('/static/pintu/pintu.css', secure=True);"
    "print(json.dumps({'health': health.status_code, 'hsts': home.headers.get('Strict-Transport-Security'),"
    " 'csp': home.headers.get('Content-Security-Policy'),"
    " 'css': css, 'status': r.status_code, 'cache': r.headers.get('Cache-Control'),"
    " 'encoding': r.headers.get('Content-Encoding'), 'plain_status': plain.status_code,"
    " 'plain_cache': plain.headers.get('Cache-Control')}))"
)


@pytest.fixture(scope="module")
def production(django_db_setup, tmp_path_factory):
    """What the image does at build time (collectstatic), then a production process's answers."""
    static = tmp_path_factory.mktemp("static")
    env = _production_env() | {"DJANGO_SETTINGS_MODULE": "pintu.settings", "STATIC_ROOT": str(static)}
    collect = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert collect.returncode == 0, collect.stderr
    result = subprocess.run([sys.executable, "-c", _ANSWERS], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return {"static": static, **json.loads(result.stdout.strip().splitlines()[-1])}


def test_production_collectstatic_then_pages_carry_hsts_and_csp(production):
    assert list((production["static"] / "pintu").glob("pintu.*.css.gz")), "no hashed, compressed CSS"
    assert production["health"] == 200
    assert "max-age=31536000" in production["hsts"] and "includeSubDomains" in production["hsts"]
    assert "default-src 'self'" in production["csp"] and "frame-ancestors 'none'" in production["csp"]


def test_pages_link_hashed_static_files_served_with_a_long_immutable_lifetime(production):
    seen = production
    assert re.fullmatch(r"/static/pintu/pintu\.[0-9a-f]{12}\.css", seen["css"]), seen  # a hashed name
    assert seen["status"] == 200 and seen["encoding"] == "gzip"
    assert "max-age=315360000" in seen["cache"] and "immutable" in seen["cache"], seen
    # The unhashed name (an old bookmark) still answers, with a short lifetime: it may change.
    assert seen["plain_status"] == 200 and "immutable" not in (seen["plain_cache"] or ""), seen
