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
    from tests.services import database_url
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


def _public_rows(dbname: str, schema: str) -> dict[str, list[tuple]]:
    """The regency's rows of every public table keyed by regency, comparable across databases:
    without their own id and the regency's id, accounts by e-mail, sorted."""
    from tenants.backup import _user_fields, public_regency_models

    conn = psycopg2.connect(dbname=dbname, **_db_params())
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT id FROM public.tenants_regency WHERE schema_name = %s", [schema])
            regency_id = cursor.fetchone()[0]
            cursor.execute("SELECT id, email FROM public.identity_user")
            emails = dict(cursor.fetchall())
            rows = {}
            for model, key in public_regency_models():
                users = {f.column for f in _user_fields(model)}
                cursor.execute(f'SELECT * FROM public."{model._meta.db_table}" WHERE "{key.column}" = %s',
                               [regency_id])
                names = [d.name for d in cursor.description]
                rows[model._meta.label_lower] = sorted(
                    tuple((n, json.dumps(emails.get(v) if n in users else v, default=str))
                          for n, v in zip(names, row) if n not in ("id", key.column))
                    for row in cursor.fetchall())
            return rows
    finally:
        conn.close()


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def _fresh_database(name: str, env: dict[str, str]) -> None:
    """`name` created as a new deployment's database: only the shared (public) migrations, as
    `migrate_schemas --shared` leaves it.

    That migrate runs in a child process (~9 CPU s, more on a loaded machine) and depends only on the sources,
    so its database is kept as a PostgreSQL template named after their digest (the one that names the test
    database's template, tests.services): the first run migrates, later runs with the same sources clone it
    (CREATE DATABASE ... TEMPLATE), and templates of older sources are dropped."""
    from django.db import connection

    from tests.services import _db_sources_digest

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = connection.settings_dict["NAME"]
    prefix = f"{base.removesuffix('_' + worker) if worker else base}_shared_tmpl_"  # one for every worker
    template = prefix + _db_sources_digest()
    conn = psycopg2.connect(dbname="postgres", **_db_params())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"])
            present = {row[0] for row in cursor.fetchall()}
            for old in present - {template}:
                try:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{old}"')
                except psycopg2.Error:
                    pass  # another run of the older sources is cloning it; it goes next time
            if template in present:
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return
            cursor.execute(f'CREATE DATABASE "{name}"')
            migrated = _manage(["migrate_schemas", "--shared", "-v", "0"], env)
            assert migrated.returncode == 0, migrated.stderr
            try:
                cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
            except psycopg2.errors.DuplicateDatabase:
                pass  # another process saved the same one first
    finally:
        conn.close()


def _public_rows_seed(regency, *, user, run: str, marker: str) -> list:
    """One or more rows of each public table keyed by regency, for `regency` (committed by the caller)."""
    import datetime as dt

    from django.utils import timezone

    from billing_free.models import MeterIdempotencyKey, Metric, PungliReport, Quota, QuotaAlert, UsageMeter
    from permits.index.models import ApplicationIndex
    from permits.oss.hub.models import OssCredential, OssHealth, OssHolderWaiting, OssInbound
    from pintu.console.models import RegencySnapshot
    from pintu.dashboards.models import RegencyDailyStats, RegencyTarget
    from pintu.notify.inbox.models import InboxMessage

    now = timezone.now()
    month = dt.date(2031, 1, 1)  # a month of its own: other tests' meters are in the present
    created = [
        ApplicationIndex.objects.create(regency=regency, application_id=900_000 + int(run, 16) % 1000,
                                        applicant=user, registration_number=f"{marker}/{run}",
                                        permit_type_name=f"Izin {marker}", channel="online", status="submitted",
                                        status_label="Diajukan", submitted_at=now, due_at=now, updated_at=now),
        UsageMeter.objects.create(regency=regency, month=month, metric=Metric.APPLICATIONS, value=41),
        MeterIdempotencyKey.objects.create(regency=regency, key=f"{marker}-{run}", metric=Metric.APPLICATIONS,
                                           amount=1),
        QuotaAlert.objects.create(regency=regency, month=month, metric=Metric.APPLICATIONS, level="warning",
                                  used=41, limit=50, recipients=[user.email]),
        RegencyDailyStats.objects.create(regency=regency, day=dt.date(2031, 1, 2), received_online=7,
                                         received_counter=2, decided=3, sla_met=2, sla_missed=1,
                                         decision_days={"2": 2, "5": 1}, backlog=11, ikm_grade="B"),
        InboxMessage.objects.create(regency=regency, user=user, key=f"{marker}-{run}", event="submitted",
                                    subject=f"Permohonan {marker}", body="Diterima.", created_at=now),
        PungliReport.objects.create(regency=regency, description=f"Rahasia {marker}",
                                    follow_code_hash=hashlib.sha256(f"{marker}{run}".encode()).hexdigest()),
        OssInbound.objects.create(regency=regency, received_at=now, method="receiveNIB", http_status=200,
                                  nib="9120000023757", keterangan=f"OSS {marker}"),
        OssHolderWaiting.objects.create(regency=regency, application_id=900_000 + len(run), id_izin=f"I-{run}",
                                        nik_digest=hashlib.sha256(f"{marker}{run}".encode()).hexdigest(),
                                        created_at=now),
    ]
    if not OssHealth.objects.filter(regency=regency).exists():
        created.append(OssHealth.objects.create(regency=regency, files_received=1, last_error=f"OSS {marker}"))
    if not OssCredential.objects.filter(regency=regency).exists():
        created.append(OssCredential.objects.create(regency=regency, key_digest=hashlib.sha256(
            f"{marker}{run}".encode()).hexdigest(), key_hint="abcd", rotated_at=now))
    if not Quota.objects.filter(regency=regency, metric=Metric.SMS).exists():
        created.append(Quota.objects.create(regency=regency, metric=Metric.SMS, limit=123, set_by=user))
    if not RegencyTarget.objects.filter(regency=regency).exists():
        created.append(RegencyTarget.objects.create(regency=regency, online_daily_target=9, updated_by=user))
    if not RegencySnapshot.objects.filter(regency=regency).exists():
        created.append(RegencySnapshot.objects.create(regency=regency, officers=4, applications=1, taken_at=now))
    return created


@pytest.fixture
def committed_trenggalek(django_db_setup, django_db_blocker, database_restored, settings, tmp_path):
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
        blitar = Regency.objects.get(code="3572")
        outsider = User.objects.create_user(f"pemohon-blitar-{run}@contoh.id", "rahasia-uji-123")
        public_rows = (_public_rows_seed(regency, user=users[0], run=run, marker="TRENGGALEK")
                       + _public_rows_seed(blitar, user=outsider, run=run, marker="BLITAR"))
        yield regency, users
        for row in reversed(public_rows):
            type(row)._base_manager.filter(pk=row.pk).delete()
        users = [*users, outsider]
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
        source_public = _public_rows(connection.settings_dict["NAME"], "trenggalek")
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
    assert manifest["public_rows"] == {label: len(rows) for label, rows in source_public.items()}
    assert manifest["public_rows"]["permits_index.applicationindex"] >= 1
    assert manifest["public_rows"]["dashboards.regencydailystats"] >= 1

    fresh = f"{connection.settings_dict['NAME']}_restore"
    _admin_sql(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PINTU_")}
        env.update(DATABASE_URL=_url(fresh), REDIS_URL=os.environ["REDIS_URL"],
                   MEDIA_ROOT=str(tmp_path / "media-restored"), DJANGO_SETTINGS_MODULE="pintu.settings",
                   PINTU_TEST_FAST_HASHER="1")  # the officers' hashes were made with the suite's MD5
        _fresh_database(fresh, env)
        restored = _manage(["regency_restore", str(archive), "--subdomain", "trenggalek-pulih"], env)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "trenggalek-pulih.localhost" in restored.stdout

        counts = _counts(fresh, "trenggalek_pulih")
        # Its public rows (index, meters, quotas, rollups, target, inbox, ...) came back, re-keyed to the
        # restored regency and its accounts, timestamps as they were.
        assert _public_rows(fresh, "trenggalek_pulih") == source_public
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


def test_a_backup_of_trenggalek_holds_no_row_of_blitar(committed_trenggalek, tmp_path, django_db_blocker):
    from tenants.backup import PUBLIC_ROWS_EXCLUDED, public_regency_models
    from tenants.models import Regency

    regency, users = committed_trenggalek
    archive = tmp_path / "trenggalek.tar.gz"
    with django_db_blocker.unblock():
        blitar = Regency.objects.get(code="3572")
        call_command("regency_backup", "trenggalek", str(archive))
        keyed = {model._meta.label_lower: key.name for model, key in public_regency_models()}
    with tarfile.open(archive) as tar:
        public = json.loads(tar.extractfile("public.json").read())
        text = tar.extractfile("public.json").read().decode()
    assert set(public["rows"]) == set(keyed)  # every public table keyed by regency, none left out silently
    assert {"permits_index.applicationindex", "billing_free.usagemeter",
            "dashboards.regencydailystats"} <= set(keyed)
    assert "billing_free.punglireport" in PUBLIC_ROWS_EXCLUDED and "Rahasia" not in text
    for label, rows in public["rows"].items():
        assert rows, label  # the seed gave each table at least one row of Trenggalek
        assert {row["fields"][keyed[label]] for row in rows} == {regency.pk}, label
    assert "BLITAR" not in text and "pemohon-blitar" not in text
    assert blitar.pk != regency.pk


def test_every_public_table_keyed_by_regency_is_backed_up_or_excluded_with_a_reason():
    from django.apps import apps

    from tenants.backup import PUBLIC_ROWS_EXCLUDED, public_regency_models
    from tenants.models import Regency

    keyed = {model._meta.label_lower for model in apps.get_models(include_auto_created=True)
             if any(f.is_relation and f.related_model is Regency for f in model._meta.concrete_fields)}
    backed_up = {model._meta.label_lower for model, _ in public_regency_models()}
    assert keyed == backed_up | set(PUBLIC_ROWS_EXCLUDED)
    assert not backed_up & set(PUBLIC_ROWS_EXCLUDED)
    # Nothing in public points at a backed-up row by id (restored rows get new ids).
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation:
                assert f.related_model._meta.label_lower not in backed_up, (model, f.name)


def test_a_copy_restored_beside_trenggalek_gets_its_own_public_rows_and_leaves_trenggalek_s_alone(
        committed_trenggalek, tmp_path, django_db_blocker):
    from django.db import connection

    from tenants.models import Regency

    regency, users = committed_trenggalek
    archive = tmp_path / "trenggalek.tar.gz"
    dbname = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        call_command("regency_backup", "trenggalek", str(archive))
        before = _public_rows(dbname, "trenggalek")
        call_command("regency_restore", str(archive), "--subdomain", "trenggalek-salinan", "--copy")
        try:
            copy = Regency.objects.get(schema_name="trenggalek_salinan")
            assert copy.pk != regency.pk and copy.code is None
            # The copy holds the same rows, keyed to itself; Trenggalek's own rows did not move or double.
            assert _public_rows(dbname, "trenggalek_salinan") == before
            assert _public_rows(dbname, "trenggalek") == before
        finally:
            with connection.cursor() as cursor:
                cursor.execute('DROP SCHEMA IF EXISTS "trenggalek_salinan" CASCADE')
            Regency.objects.filter(schema_name="trenggalek_salinan").delete()  # its public rows cascade


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


def test_a_restore_re_anchors_the_audit_chain_and_says_so_in_it(committed_trenggalek, tmp_path, django_db_blocker):
    """A schema restored from an older backup carries a shorter chain than the ministry's anchor of that
    schema (its earlier life grew past the backup): the restore re-anchors it, so verification does not
    report a truncation forever, and the chain's own restore entry records the rewind."""
    from django.db import connection

    from pintu.audit.anchors.models import AuditAnchor
    from pintu.audit.models import AuditEntry
    from pintu.audit.services import audit_verify
    from tenants.models import Regency

    archive = tmp_path / "trenggalek.tar.gz"
    with django_db_blocker.unblock():
        call_command("regency_backup", "trenggalek", str(archive))
        AuditAnchor.objects.update_or_create(schema_name="trenggalek_lama",  # the schema's earlier life
                                             defaults={"seq": 100_000, "hash": "f" * 64})
        try:
            call_command("regency_restore", str(archive), "--subdomain", "trenggalek-lama", "--copy")
            with schema_context("trenggalek_lama"):
                assert audit_verify() == []
                restore = AuditEntry.objects.order_by("-seq").first()
                assert restore.action == "regency.restore"
                assert restore.detail["anchor_seq_before"] == 100_000
                assert restore.detail["anchor_seq_after"] == restore.seq - 1
            anchor = AuditAnchor.objects.get(schema_name="trenggalek_lama")
            assert (anchor.seq, anchor.hash) == (restore.seq, restore.hash)
        finally:
            with connection.cursor() as cursor:
                cursor.execute('DROP SCHEMA IF EXISTS "trenggalek_lama" CASCADE')
            Regency.objects.filter(schema_name="trenggalek_lama").delete()
            AuditAnchor.objects.filter(schema_name="trenggalek_lama").delete()
