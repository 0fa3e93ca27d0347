"""Backup and restore of ONE regency: its schema, its public rows, its stored files.

An archive (``.tar.gz``) holds:

- ``schema-pre.sql``, ``schema-data.sql``, ``schema-post.sql``: ``pg_dump`` of the
  regency's schema only (plain SQL, in pg_dump's three sections, so user ids
  can be remapped between data and constraints),
- ``public.json``: the Regency row, its domains, its rows in the public tables
  keyed by regency (application index, usage meters, quotas, daily rollups,
  inbox, ... — every public model with a foreign key to Regency, filtered by
  this regency, except those in ``PUBLIC_ROWS_EXCLUDED``) and the accounts its
  schema and those rows refer to (e-mail, name, password hash, active flag —
  no NIK, no phone),
- ``files/<key>``: every stored file under the regency's storage prefix
  (``<schema>/`` in MEDIA_ROOT or the S3 bucket),
- ``manifest.json``: row count of every table, sha256 and size of every file
  and of the SQL sections, row count of every public table.

A restore goes into the current database (a fresh one, or the same) under the
same or a new subdomain (the public rows re-keyed to the restored Regency and
its accounts); the schema is renamed in the same transaction as the
load, and the restore checks its own row counts and file checksums against the
manifest before it reports success.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from pintu.audit.services import audit_anchor_restore, audit_record
from pintu.errors import DomainError
from pintu.identity.models import User
from tenants.models import Domain, Regency

FORMAT = 2  # 2: public rows keyed by regency; format 1 archives (without them) still restore
READABLE_FORMATS = (1, 2)
SECTIONS = ("pre-data", "data", "post-data")
_SECTION_FILES = {"pre-data": "schema-pre.sql", "data": "schema-data.sql", "post-data": "schema-post.sql"}
_USER_FIELDS = ("email", "full_name", "password", "is_active", "date_joined")
_LABEL = re.compile(r"^[a-z][a-z0-9-]{0,40}[a-z0-9]$")
# Public tables with a foreign key to Regency that a regency's archive leaves out, and why.
PUBLIC_ROWS_EXCLUDED = {
    "tenants.domain": "saved apart (public.json 'domains') and re-created for the restored subdomain",
    "billing_free.punglireport": "the ministry inspectorate's confidential reports (and their evidence files, "
                                 "kept outside the regency's storage) are not the regency's to hold",
    "console.announcement_regencies": "links to the ministry's announcements, which are not the regency's rows",
    "oss_hub.osscredential": "the digest of the user_key OSS presents (unique): a copy would let two regencies "
                             "answer to one key; the restored regency's administrator issues a new key",
}


class BackupError(DomainError):
    code = "regency_backup_failed"
    message = "Cadangan daerah gagal dibuat."


class RestoreError(DomainError):
    code = "regency_restore_failed"
    message = "Pemulihan daerah gagal."


@dataclass
class Manifest:
    schema: str
    row_counts: dict[str, int]
    files: dict[str, dict]
    data: dict = field(default_factory=dict)


# --- PostgreSQL client binaries matching the server ------------------------

def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _candidate_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("PINTU_PG_BIN"):
        dirs.append(Path(os.environ["PINTU_PG_BIN"]))
    try:
        import pgserver

        dirs.append(Path(pgserver.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    dirs += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for name in ("pg_dump",):
        found = shutil.which(name)
        if found:
            dirs.append(Path(found).parent)
    return [d for d in dirs if (d / "pg_dump").exists()]


def _major_of(binary: Path) -> int:
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"(\d+)(?:\.\d+)?", out.split(")")[-1]).group(1))


def pg_bin_dir() -> Path:
    """The directory of pg_dump/psql whose major version matches the server (or is the
    nearest newer one: pg_dump refuses older servers' newer majors, not the reverse)."""
    server = _server_major()
    newer: list[tuple[int, Path]] = []
    for directory in _candidate_dirs():
        try:
            major = _major_of(directory / "pg_dump")
        except (OSError, subprocess.CalledProcessError, AttributeError):
            continue
        if major == server:
            return directory
        if major > server:
            newer.append((major, directory))
    if newer:
        return min(newer)[1]
    raise BackupError(f"pg_dump versi {server} (sesuai server PostgreSQL) tidak ditemukan; atur PINTU_PG_BIN.")


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    options = db.get("OPTIONS") or {}
    # The embedded pgserver names its socket directory in OPTIONS (`?host=` in the URL).
    env.update(PGHOST=str(db.get("HOST") or options.get("host") or "127.0.0.1"), PGPORT=str(db.get("PORT") or 5432),
               PGUSER=str(db.get("USER") or "postgres"), PGDATABASE=str(db["NAME"]))
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


# --- Reads shared by backup and restore -------------------------------------

def _quote(identifier: str) -> str:
    return connection.ops.quote_name(identifier)


def schema_exists(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        return cursor.fetchone() is not None


def _schema_tables(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
        return [row[0] for row in cursor.fetchall()]


def schema_row_counts(schema: str) -> dict[str, int]:
    """Exact row count of every table in the schema."""
    tables = _schema_tables(schema)
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {_quote(schema)}.{_quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


_COPY = re.compile(r'^COPY (?:"?[^".\s]+"?)\.("?)([^"\s(]+)\1 ')


def dump_row_counts(data_sql: Path, *, schema: str) -> dict[str, int]:
    """Rows per table in a plain data section (COPY blocks), every table of the schema listed."""
    counts = {table: 0 for table in _schema_tables(schema)}
    table = None
    with open(data_sql, encoding="utf-8") as handle:
        for line in handle:
            if table is None:
                match = _COPY.match(line)
                if match and line.rstrip().endswith("FROM stdin;"):
                    table = match.group(2)
                    counts[table] = 0
            elif line == "\\.\n":
                table = None
            else:
                counts[table] += 1
    return counts


def _run(command: list[str], error: type[DomainError], what: str) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise error(f"{what} gagal: {result.stderr.strip()[:800]}")


def _user_columns(schema: str) -> list[tuple[str, str]]:
    """(table, column) pairs in the schema that hold a public.identity_user id.

    Read from Django's model registry: the regency tables' user references carry no database
    constraint (one per reference and regency would pile thousands of triggers on the shared user
    table; docs/engineering.md), so the catalog cannot tell them. Kept to the tables the schema has.
    """
    shared = {app.split(".")[-1] for app in settings.SHARED_APPS}
    pairs = {
        (model._meta.db_table, field.column)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name in settings.TENANT_APPS and model._meta.app_label not in shared
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema])
        present = {row[0] for row in cursor.fetchall()}
    return sorted(pair for pair in pairs if pair[0] in present)


def _storage_walk(prefix: str) -> list[str]:
    """Every file key under `prefix` (recursive), through the storage API (disk or S3)."""
    keys: list[str] = []
    try:
        directories, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return keys
    keys += [f"{prefix}/{name}" for name in files]
    for directory in directories:
        keys += _storage_walk(f"{prefix}/{directory}")
    return keys


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def public_regency_models() -> list[tuple[type, object]]:
    """(model, its foreign key to Regency) for every public-schema model whose rows belong to one regency.

    Found from the app registry, so a new public table keyed by regency is backed up without
    anyone remembering to list it here; `PUBLIC_ROWS_EXCLUDED` names the deliberate exceptions.
    """
    shared = set(settings.SHARED_APPS)
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_config.name not in shared or model._meta.label_lower in PUBLIC_ROWS_EXCLUDED:
            continue
        for field_ in model._meta.concrete_fields:
            if field_.is_relation and field_.related_model is Regency:
                found.append((model, field_))
                break
    return sorted(found, key=lambda pair: pair[0]._meta.label_lower)


def _user_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is User]


def public_rows_of(regency: Regency) -> dict[str, list[dict]]:
    """This regency's rows of every public table keyed by regency (Django's serialization, by field name)."""
    rows: dict[str, list[dict]] = {}
    for model, key in public_regency_models():
        queryset = model._base_manager.filter(**{key.attname: regency.pk}).order_by("pk")
        # The python serializer, written with the archive's json.dumps(default=str): datetimes keep their
        # microseconds (Django's JSON encoder cuts them to milliseconds).
        items = serializers.serialize("python", queryset)
        if any(item["fields"][key.name] != regency.pk for item in items):  # never another regency's row
            raise BackupError(f"Baris {model._meta.label_lower} milik daerah lain tercampur dalam cadangan.")
        rows[model._meta.label_lower] = items
    return rows


def _public_row_users(rows: dict[str, list[dict]]) -> set[int]:
    models = {model._meta.label_lower: model for model, _ in public_regency_models()}
    ids = set()
    for label, items in rows.items():
        for field_ in _user_fields(models[label]):
            ids.update(item["fields"][field_.name] for item in items if item["fields"][field_.name] is not None)
    return ids


def public_row_counts(regency: Regency) -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.filter(**{key.attname: regency.pk}).count()
            for model, key in public_regency_models()}


def _public_rows_restore(*, rows: dict[str, list[dict]], regency: Regency, users: dict[int, int]) -> None:
    """Insert the archive's public rows re-keyed to `regency` and to the restored accounts (new ids;
    timestamps as saved, not re-stamped by auto_now)."""
    models = {model._meta.label_lower: (model, key) for model, key in public_regency_models()}
    unknown = sorted(set(rows) - set(models))
    if unknown:
        raise RestoreError(f"Tabel publik dalam cadangan tidak dikenal di sini: {', '.join(unknown)}.")
    for label, items in rows.items():
        if not items:
            continue
        model, key = models[label]
        columns = [f for f in model._meta.concrete_fields if not f.primary_key]
        user_fields = _user_fields(model)
        params = []
        for item in serializers.deserialize("python", items):
            row = item.object
            setattr(row, key.attname, regency.pk)
            for field_ in user_fields:
                old = getattr(row, field_.attname)
                if old is not None:
                    setattr(row, field_.attname, users[old])
            params.append([f.get_db_prep_save(getattr(row, f.attname), connection) for f in columns])
        table = _quote(model._meta.db_table)
        names = ", ".join(_quote(f.column) for f in columns)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})",
                               params)


# --- Backup -----------------------------------------------------------------

def regency_backup(*, regency: Regency, path: str | os.PathLike) -> Manifest:
    """Write one regency's schema, public rows and files to a .tar.gz archive."""
    if regency.is_public:
        raise BackupError("Skema publik bukan daerah; pilih skema sebuah kabupaten/kota.")
    schema = regency.schema_name
    connection.set_schema_to_public()
    if not schema_exists(schema):
        raise BackupError(f"Skema '{schema}' tidak ada di basis data.")
    bin_dir = pg_bin_dir()
    user_columns = _user_columns(schema)
    with tempfile.TemporaryDirectory(prefix="pintu-backup-") as tmp:
        tmp_path = Path(tmp)
        # One pg_dump (one snapshot), split into its three sections as plain SQL;
        # the row counts are read from that same dump, not from the live schema.
        dump = tmp_path / "schema.dump"
        _run([str(bin_dir / "pg_dump"), f"--schema={schema}", "--no-owner", "--no-privileges",
              "--format=custom", f"--file={dump}"], BackupError, "pg_dump")
        for section in SECTIONS:
            _run([str(bin_dir / "pg_restore"), "--no-owner", "--no-privileges", f"--section={section}",
                  f"--file={tmp_path / _SECTION_FILES[section]}", str(dump)], BackupError, "pg_restore")
        dump.unlink()
        row_counts = dump_row_counts(tmp_path / _SECTION_FILES["data"], schema=schema)

        user_ids: set[int] = set()
        with connection.cursor() as cursor:
            for table, column in user_columns:
                cursor.execute(f"SELECT DISTINCT {_quote(column)} FROM {_quote(schema)}.{_quote(table)} "
                               f"WHERE {_quote(column)} IS NOT NULL")
                user_ids.update(row[0] for row in cursor.fetchall())
        public_rows = public_rows_of(regency)
        user_ids |= _public_row_users(public_rows)
        users = [
            {"id": u["id"], **{k: (u[k].isoformat() if hasattr(u[k], "isoformat") else u[k]) for k in _USER_FIELDS}}
            for u in User.objects.filter(pk__in=user_ids).order_by("pk").values("id", *_USER_FIELDS)
        ]
        public = {
            "regency": {f.name: getattr(regency, f.attname) for f in Regency._meta.concrete_fields
                        if f.name not in ("id", "created_at")},
            "domains": [{"domain": d.domain, "is_primary": d.is_primary} for d in regency.domains.order_by("pk")],
            "users": users,
            "rows": public_rows,
        }
        (tmp_path / "public.json").write_text(json.dumps(public, ensure_ascii=False, indent=1, default=str))

        files: dict[str, dict] = {}
        files_dir = tmp_path / "files"
        for key in _storage_walk(schema):
            with default_storage.open(key, "rb") as handle:
                data = handle.read()
            target = files_dir / key
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            files[key] = {"sha256": _sha256(data), "size": len(data)}

        primary = next((d["domain"] for d in public["domains"] if d["is_primary"]), None)
        manifest = Manifest(schema=schema, row_counts=row_counts, files=files, data={
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "schema": schema,
            "subdomain": primary.split(".")[0] if primary else schema.replace("_", "-"),
            "regency": {"code": regency.code, "name": regency.name},
            "postgres_major": _server_major(),
            "row_counts": row_counts,
            "files": files,
            "sections": {name: _sha256((tmp_path / name).read_bytes()) for name in _SECTION_FILES.values()},
            "public": {"domains": len(public["domains"]), "users": len(users)},
            "public_rows": {label: len(items) for label, items in public_rows.items()},
            "user_columns": user_columns,
        })
        (tmp_path / "manifest.json").write_text(json.dumps(manifest.data, ensure_ascii=False, indent=1))

        destination = Path(path)
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            for item in ("manifest.json", "public.json", *_SECTION_FILES.values()):
                archive.add(tmp_path / item, arcname=item)
            if files:
                archive.add(files_dir, arcname="files")
        partial.replace(destination)
    with schema_context(schema):
        audit_record(actor=None, action="regency.backup",
                     detail={"tables": len(row_counts), "files": len(files), "archive": destination.name})
    return manifest


# --- Restore ----------------------------------------------------------------

@dataclass
class RestoreResult:
    regency: Regency
    row_counts: dict[str, int]
    files: int
    users_created: int
    users_remapped: int
    public_rows: dict[str, int] = field(default_factory=dict)


def _read_archive(path: Path, into: Path) -> dict:
    if not path.exists():
        raise RestoreError(f"Berkas cadangan '{path}' tidak ditemukan.")
    try:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(into, filter="data")
        manifest = json.loads((into / "manifest.json").read_text())
    except (tarfile.TarError, OSError, json.JSONDecodeError, KeyError) as exc:
        raise RestoreError(f"Berkas cadangan '{path.name}' rusak atau bukan cadangan Pintu ({exc}).") from exc
    if manifest.get("format") not in READABLE_FORMATS:
        raise RestoreError(f"Format cadangan {manifest.get('format')} tidak didukung.")
    for name, digest in manifest["sections"].items():
        if _sha256((into / name).read_bytes()) != digest:
            raise RestoreError(f"Isi cadangan tidak utuh: {name} tidak cocok dengan manifest.")
    for key, meta in manifest["files"].items():
        if _sha256((into / "files" / key).read_bytes()) != meta["sha256"]:
            raise RestoreError(f"Isi cadangan tidak utuh: berkas {key} tidak cocok dengan manifest.")
    return manifest


def _target_checks(*, subdomain: str, schema: str, code: str | None, copy: bool) -> None:
    from tenants.services import RESERVED_SUBDOMAINS

    if not _LABEL.match(subdomain) or "--" in subdomain or subdomain in RESERVED_SUBDOMAINS or "template" in subdomain:
        raise RestoreError(f"Subdomain '{subdomain}' tidak valid.", code="subdomain_invalid")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.identity_user'), to_regclass('public.tenants_regency')")
        if None in cursor.fetchone():
            raise RestoreError("Basis data tujuan belum dimigrasikan: jalankan "
                               "`python manage.py migrate_schemas --shared` lebih dulu.")
    if schema_exists(schema) or Regency.objects.filter(schema_name=schema).exists():
        raise RestoreError(f"Skema '{schema}' sudah ada di basis data tujuan; pilih subdomain lain (--subdomain).",
                           code="schema_taken")
    host = f"{subdomain}.{settings.PINTU_DOMAIN}"
    if Domain.objects.filter(domain=host).exists():
        raise RestoreError(f"Subdomain '{host}' sudah dipakai.", code="subdomain_taken")
    if code and not copy and Regency.objects.filter(code=code).exists():
        raise RestoreError(f"Kode wilayah {code} sudah ada di basis data tujuan; gunakan --copy untuk "
                           "memulihkan sebagai salinan (tanpa kode wilayah).", code="regency_code_taken")


def _users_restore(users: list[dict]) -> tuple[dict[int, int], list[int], int]:
    """Accounts by e-mail: reuse an existing one, else create (same id when free)."""
    mapping: dict[int, int] = {}
    created: list[int] = []
    with transaction.atomic():
        for row in users:
            old_id = row["id"]
            existing = User.objects.filter(email__iexact=row["email"]).first()
            if existing is not None:
                mapping[old_id] = existing.pk
                continue
            fields = {k: row[k] for k in _USER_FIELDS}
            user = User(**fields)
            if not User.objects.filter(pk=old_id).exists():
                user.pk = old_id
            user.save(force_insert=True)
            mapping[old_id] = user.pk
            created.append(user.pk)
        if created:
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(pg_get_serial_sequence('public.identity_user', 'id'), "
                               "GREATEST((SELECT max(id) FROM public.identity_user), 1))")
    remapped = sum(1 for old, new in mapping.items() if old != new)
    return mapping, created, remapped


def _remap_sql(source: str, user_columns: list, mapping: dict[int, int]) -> str:
    changes = {old: new for old, new in mapping.items() if old != new}
    if not changes:
        return ""
    cases = " ".join(f"WHEN {int(old)} THEN {int(new)}" for old, new in changes.items())
    olds = ", ".join(str(int(old)) for old in changes)
    statements = []
    for table, column in user_columns:
        col = _quote(column)
        statements.append(f"UPDATE {_quote(source)}.{_quote(table)} SET {col} = CASE {col} {cases} END "
                          f"WHERE {col} IN ({olds});")
    return "\n".join(statements) + "\n"


def _load_schema(*, workdir: Path, source: str, target: str, user_columns: list, mapping: dict[int, int]) -> None:
    """pre-data, data, user-id remap, post-data and the rename: one transaction."""
    hold = None
    lines = ["\\set ON_ERROR_STOP on"]
    if source != target and schema_exists(source):
        # The archive's schema name is taken here (restoring a copy next to the
        # original): park the original for the length of this transaction.
        hold = f"pintu_restore_hold_{os.getpid()}"
        lines.append(f"ALTER SCHEMA {_quote(source)} RENAME TO {_quote(hold)};")
    lines += [f"\\i {workdir / _SECTION_FILES['pre-data']}", f"\\i {workdir / _SECTION_FILES['data']}"]
    remap = _remap_sql(source, user_columns, mapping)
    if remap:
        (workdir / "remap.sql").write_text(remap)
        lines.append(f"\\i {workdir / 'remap.sql'}")
    lines.append(f"\\i {workdir / _SECTION_FILES['post-data']}")
    if source != target:
        lines.append(f"ALTER SCHEMA {_quote(source)} RENAME TO {_quote(target)};")
    if hold:
        lines.append(f"ALTER SCHEMA {_quote(hold)} RENAME TO {_quote(source)};")
    script = workdir / "restore.sql"
    script.write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        [str(pg_bin_dir() / "psql"), "--no-psqlrc", "--quiet", "--single-transaction", "--file", str(script)],
        env=_pg_env(), capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RestoreError(f"Pemuatan skema gagal: {result.stderr.strip()[:800]}")


def _file_fields_rewrite(*, source: str, target: str) -> None:
    """Stored file keys start with the schema name; point them at the new prefix."""
    from django.apps import apps
    from django.db.models import FileField

    models = [model for config in apps.get_app_configs() if config.name in settings.TENANT_APPS
              for model in config.get_models()]
    with schema_context(target), connection.cursor() as cursor:
        for model in models:
            for field_ in model._meta.concrete_fields:
                if isinstance(field_, FileField):
                    column = _quote(field_.column)
                    cursor.execute(
                        f"UPDATE {_quote(target)}.{_quote(model._meta.db_table)} "
                        f"SET {column} = %s || substr({column}, %s) WHERE {column} LIKE %s",
                        [f"{target}/", len(source) + 2, f"{source}/%"],
                    )


def regency_restore(*, path: str | os.PathLike, subdomain: str | None = None, copy: bool = False) -> RestoreResult:
    """Bring one regency back from an archive into this database, under its own
    subdomain or a new one; verified against the archive's manifest."""
    connection.set_schema_to_public()
    with tempfile.TemporaryDirectory(prefix="pintu-restore-") as tmp:
        workdir = Path(tmp)
        manifest = _read_archive(Path(path), workdir)
        public = json.loads((workdir / "public.json").read_text())
        source = manifest["schema"]
        subdomain = (subdomain or manifest["subdomain"]).strip().lower()
        target = subdomain.replace("-", "_")
        code = public["regency"].get("code")
        _target_checks(subdomain=subdomain, schema=target, code=code, copy=copy)

        mapping, created_users, remapped = _users_restore(public["users"])
        try:
            _load_schema(workdir=workdir, source=source, target=target,
                         user_columns=[tuple(pair) for pair in manifest["user_columns"]], mapping=mapping)
        except Exception:
            User.objects.filter(pk__in=created_users).delete()
            raise
        try:
            with transaction.atomic():
                fields = dict(public["regency"])
                fields["schema_name"] = target
                if copy:
                    fields["code"] = None
                    fields["name"] = f"{fields['name']} (salinan)"[:100]
                regency = Regency(**fields)
                regency.auto_create_schema = False  # the schema was just loaded
                regency.save()
                if target == source:
                    for domain in public["domains"]:
                        Domain.objects.create(tenant=regency, domain=domain["domain"], is_primary=domain["is_primary"])
                else:
                    Domain.objects.create(tenant=regency, domain=f"{subdomain}.{settings.PINTU_DOMAIN}",
                                          is_primary=True)
                if source != target:
                    _file_fields_rewrite(source=source, target=target)
                _public_rows_restore(rows=public.get("rows", {}), regency=regency, users=mapping)
        except Exception:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(target)} CASCADE")
            User.objects.filter(pk__in=created_users).delete()
            raise

        for key in manifest["files"]:
            new_key = f"{target}/{key[len(source) + 1:]}"
            if default_storage.exists(new_key):
                default_storage.delete(new_key)
            saved = default_storage.save(new_key, ContentFile((workdir / "files" / key).read_bytes()))
            if saved != new_key:
                raise RestoreError(f"Berkas {new_key} tersimpan sebagai {saved}.")

        # Self-check before reporting success: rows and files as the manifest says.
        counts = schema_row_counts(target)
        expected = dict(manifest["row_counts"])
        if counts != expected:
            differing = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
            raise RestoreError(f"Jumlah baris tidak cocok setelah pemulihan: {', '.join(differing)}.")
        public_counts = public_row_counts(regency)
        expected_public = {label: public_counts.get(label, 0) for label in manifest.get("public_rows", {})}
        if expected_public != manifest.get("public_rows", {}):
            differing = sorted(t for t in expected_public if expected_public[t] != manifest["public_rows"][t])
            raise RestoreError(f"Jumlah baris publik tidak cocok setelah pemulihan: {', '.join(differing)}.")
        for key, meta in manifest["files"].items():
            new_key = f"{target}/{key[len(source) + 1:]}"
            with default_storage.open(new_key, "rb") as handle:
                if _sha256(handle.read()) != meta["sha256"]:
                    raise RestoreError(f"Checksum berkas {new_key} tidak cocok setelah pemulihan.")

        with schema_context(target):
            # The restored chain may be older than the ministry's anchor of this schema (a backup from
            # before the last entries): re-anchor it, and say so in the chain itself.
            anchor = audit_anchor_restore()
            audit_record(actor=None, action="regency.restore",
                         detail={"from_schema": source, "backup_created_at": manifest["created_at"],
                                 "users_created": len(created_users), "users_remapped": remapped, **anchor})
    connection.set_schema_to_public()
    return RestoreResult(regency=regency, row_counts=counts, files=len(manifest["files"]),
                         users_created=len(created_users), users_remapped=remapped, public_rows=public_counts)
