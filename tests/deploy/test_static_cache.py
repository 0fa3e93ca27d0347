"""Static files in production (issue #16): hashed names in the pages and a year-long, immutable cache
lifetime on them, so a phone on a slow network fetches the stylesheet once, never revalidates it,
and gets the new one the day it changes (another name). What the image builds: collectstatic."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.deploy.test_observability import ROOT, _production_env


def test_pages_link_hashed_static_files_served_with_a_long_immutable_lifetime(db, tmp_path):
    env = _production_env() | {"DJANGO_SETTINGS_MODULE": "pintu.settings", "STATIC_ROOT": str(tmp_path / "static")}
    collect = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert collect.returncode == 0, collect.stderr
    code = (
        "import django, json, re; django.setup();"
        "from django.test import Client;"
        "c = Client(HTTP_HOST='pintu.go.id');"
        "page = c.get('/', secure=True).content.decode();"
        "css = re.search(r'href=\"(/static/pintu/pintu[^\"]*[.]css)\"', page).group(1);"
        "r = c.get(css, secure=True, HTTP_ACCEPT_ENCODING='gzip');"
        "plain = c.get('/static/pintu/pintu.css', secure=True);"
        "print(json.dumps({'css': css, 'status': r.status_code, 'cache': r.headers.get('Cache-Control'),"
        " 'encoding': r.headers.get('Content-Encoding'), 'plain_status': plain.status_code,"
        " 'plain_cache': plain.headers.get('Cache-Control')}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert re.fullmatch(r"/static/pintu/pintu\.[0-9a-f]{12}\.css", seen["css"]), seen  # a hashed name
    assert seen["status"] == 200 and seen["encoding"] == "gzip"
    assert "max-age=315360000" in seen["cache"] and "immutable" in seen["cache"], seen
    # The unhashed name (an old bookmark) still answers, with a short lifetime: it may change.
    assert seen["plain_status"] == 200 and "immutable" not in (seen["plain_cache"] or ""), seen
