"""`make demo` says where a regency administrator invites officers (issue #15), and that address is the
officers' page of the regency's URLconf."""
from __future__ import annotations

import importlib.util
import os

from django.urls import resolve

from tests.services import ROOT


def _demo():
    spec = importlib.util.spec_from_file_location("pintu_demo", ROOT / "deploy" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    try:
        spec.loader.exec_module(module)  # it sets PUBLIC_URL_PORT and the working folder for the demo
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
    return module


def test_demo_prints_where_the_regency_administrator_invites_officers():
    lines = _demo().banner(domain="localhost", port="8000", mail_path="var/mail", oss_port="8741")
    [invite] = [line for line in lines if "Undang petugas" in line]
    assert "http://trenggalek.localhost:8000/pengaturan/petugas/" in invite
    assert "admin.trenggalek@demo.pintu.id" in invite
    assert resolve("/pengaturan/petugas/", urlconf="pintu.urls_tenant").url_name == "officers"
    assert resolve("/pengaturan/instansi/", urlconf="pintu.urls_tenant").url_name == "agencies"
    assert "  kota-mataram                : http://kota-mataram.localhost:8000/" in lines
