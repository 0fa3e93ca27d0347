"""Backup of ONE regency and its restore into a FRESH database under a new subdomain.

pg_dump runs in its own process, so the data it reads is committed here
(outside the test transaction) and removed again at the end.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from pintu.access.models import Membership, Role

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "trenggalek/permohonan/2026/ktp-sari.pdf": b"%PDF-1.4 KTP pemohon\n" + bytes(range(256)) * 40,
    "trenggalek/permohonan/2026/denah.png": b"\x89PNG\r\n\x1a\n" + os.urandom(3000),
    "trenggalek/kop/logo.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
}


def _db_params() -> dict:
    from django.db import connection

    db = connection.settings_dict
    return {"host": db["HOST"] or (db.get("OPTIONS") or {}).get("host") or "127.0.0.1", "port": db["PORT"] or None, "user": db["USER"],
            "password": db.get("PASSWORD") or None}


def _url(dbname: str) -> str:
    from tests.deploy.conftest import database_url

    return database_url(dbname)


def _admin_sql(sql: str) -> None:
    conn = psycopg2.connect(dbname="postgres", **_db_params())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def _counts(dbname: str, schema: str) -> dict[str, int]:
    conn = psycopg2.connect(dbname=dbname, **_db_params())
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        conn.close()


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def committed_trenggalek(django_db_setup, django_db_blocker, settings, tmp_path):
    """Trenggalek with officers, memberships, audit entries and stored files, committed."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection

    from pintu.access.services import membership_grant
    from pintu.identity.models import User
    from tenants.models import Regency

    settings.MEDIA_ROOT = tmp_path / "media-source"
    with django_db_blocker.unblock():
        regency = Regency.objects.get(code="3503")
        run = uuid.uuid4().hex[:8]
        users = [
            User.objects.create_user(f"petugas{i}-{run}@trenggalek.contoh.id", "rahasia-uji-123",
                                     full_name=f"Petugas Uji {i}")
            for i in range(3)
        ]
        with schema_context(regency.schema_name):
            membership_grant(user=users[0], role=Role.VERIFIER)
            membership_grant(user=users[1], role=Role.FRONT_OFFICE)
            membership_grant(user=users[2], role=Role.TECHNICAL_TEAM, agency="Dinas PUPR")
        for key, data in FILES.items():
            assert default_storage.save(key, ContentFile(data)) == key
        yield regency, users
        with schema_context(regency.schema_name):
            Membership.objects.filter(user__in=users).delete()
        with connection.cursor() as cursor:  # plain SQL: no ORM cascade over every app's tables
            cursor.execute("DELETE FROM public.identity_user WHERE id = ANY(%s)", [[u.pk for u in users]])


def test_backup_of_trenggalek_restores_into_a_fresh_database_under_a_new_subdomain(
        committed_trenggalek, tmp_path, django_db_blocker):
    from django.db import connection

    regency, users = committed_trenggalek
    archive = tmp_path / "trenggalek.tar.gz"
    with django_db_blocker.unblock():
        source_counts = _counts(connection.settings_dict["NAME"], "trenggalek")
        call_command("regency_backup", "trenggalek", str(archive))

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        public = json.loads(tar.extractfile("public.json").read())
    assert manifest["schema"] == "trenggalek"
    assert manifest["row_counts"] == source_counts  # the dump's rows are the live rows
    assert manifest["row_counts"]["access_membership"] >= 4  # admin + three officers
    assert {k: v["sha256"] for k, v in manifest["files"].items()} == {
        k: hashlib.sha256(v).hexdigest() for k, v in FILES.items()}
    emails = {u["email"] for u in public["users"]}
    assert {u.email for u in users} <= emails
    assert all("nik" not in u for u in public["users"])

    fresh = f"{connection.settings_dict['NAME']}_restore"
    _admin_sql(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{fresh}"')
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PINTU_")}
        env.update(DATABASE_URL=_url(fresh), REDIS_URL=os.environ["REDIS_URL"],
                   MEDIA_ROOT=str(tmp_path / "media-restored"), DJANGO_SETTINGS_MODULE="pintu.settings")
        migrated = _manage(["migrate_schemas", "--shared", "-v", "0"], env)
        assert migrated.returncode == 0, migrated.stderr
        restored = _manage(["regency_restore", str(archive), "--subdomain", "trenggalek-pulih"], env)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "trenggalek-pulih.localhost" in restored.stdout

        counts = _counts(fresh, "trenggalek_pulih")
        assert _counts(fresh, "trenggalek") == {}  # renamed, not copied under the old name
        # Every table as backed up; the audit log gains exactly the restore entry.
        expected = dict(manifest["row_counts"])
        expected["audit_auditentry"] += 1
        assert counts == expected

        for key, data in FILES.items():
            restored_file = tmp_path / "media-restored" / "trenggalek_pulih" / key.split("/", 1)[1]
            assert hashlib.sha256(restored_file.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()

        # The restored regency answers on its new subdomain; its officers keep their roles and can sign in.
        probe = (
            "import django; django.setup()\n"
            "from django.test import Client\n"
            "c = Client(HTTP_HOST='trenggalek-pulih.localhost')\n"
            "home = c.get('/')\n"
            "print(home.status_code, 'Trenggalek' in home.content.decode())\n"
            "from pintu.identity.models import User\n"
            f"officer = User.objects.get(email='{users[0].email}')\n"
            "assert officer.check_password('rahasia-uji-123')  # the password hash came along\n"
            "c.force_login(officer, backend='django.contrib.auth.backends.ModelBackend')\n"
            "page = c.get('/')\n"
            "print(page.status_code, 'Verifikator' in page.content.decode())\n"
            "print(Client(HTTP_HOST='trenggalek.localhost').get('/').status_code)\n"
            "from pintu.audit.models import AuditEntry\n"
            "from django_tenants.utils import schema_context\n"
            "with schema_context('trenggalek_pulih'):\n"
            "    print(AuditEntry.objects.order_by('-seq').first().action)\n"
        )
        result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.strip().splitlines()[-4:]
        assert lines == ["200 True", "200 True", "404", "regency.restore"]
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def test_restore_over_an_existing_regency_is_refused_with_a_clear_message(committed_trenggalek, tmp_path,
                                                                           django_db_blocker):
    archive = tmp_path / "trenggalek.tar.gz"
    with django_db_blocker.unblock():
        call_command("regency_backup", "3503", str(archive))
        with pytest.raises(CommandError, match="Skema 'trenggalek' sudah ada"):
            call_command("regency_restore", str(archive))
        with pytest.raises(CommandError, match="Kode wilayah 3503 sudah ada"):
            call_command("regency_restore", str(archive), "--subdomain", "trenggalek-lain")


def test_a_damaged_archive_is_refused(tmp_path, db):
    broken = tmp_path / "rusak.tar.gz"
    broken.write_bytes(b"bukan arsip")
    with pytest.raises(CommandError, match="rusak atau bukan cadangan Pintu"):
        call_command("regency_restore", str(broken), "--subdomain", "apa-saja")
