"""A real PgBouncer in front of the database: session mode keeps regencies apart, transaction mode is refused."""
from __future__ import annotations

import subprocess
import sys
import threading
import uuid

import pytest
import requests

from tests.services import ROOT, child_env, free_port, pgbouncer, web_server

pytestmark = pytest.mark.slow

HOSTS = {"trenggalek": "trenggalek.localhost", "kota_blitar": "kota-blitar.localhost"}


@pytest.fixture
def marked_catalogs(committed):
    """One active permit type per regency whose name only that regency's schema holds (committed: the web
    server is another process)."""
    from django.db import connection

    from permits.models import PermitType
    from tenants.models import Regency

    names = {}
    for schema in HOSTS:
        connection.set_tenant(Regency.objects.get(schema_name=schema))
        names[schema] = f"Izin Penanda {schema} {uuid.uuid4().hex[:8]}"
        PermitType.objects.create(code=f"pool-{uuid.uuid4().hex[:6]}", name=names[schema], is_active=True, sla_working_days=5,
                                  number_format="{seq:04d}/{year}")
    connection.set_schema_to_public()
    yield names
    for schema, name in names.items():
        connection.set_tenant(Regency.objects.get(schema_name=schema))
        PermitType.objects.filter(name=name).delete()
    connection.set_schema_to_public()


def test_session_pooling_never_runs_a_query_in_another_regencys_schema(marked_catalogs, tmp_path):
    from tenants.models import Domain

    hosts = {schema: Domain.objects.filter(tenant__schema_name=schema, is_primary=True).values_list(
        "domain", flat=True).first() or host for schema, host in HOSTS.items()}
    port = free_port()
    results: list[tuple[str, int, str]] = []
    with pgbouncer(port=free_port(), folder=tmp_path / "pgbouncer", pool_size=4) as url:
        # CONN_MAX_AGE=0: every request is a new client connection, handed a server session that another
        # regency's request used a moment ago (8 threads share 4 server connections).
        with web_server(port=port, log_path=tmp_path / "web.log", DATABASE_URL=url, CONN_MAX_AGE="0", DEBUG="0"):
            def load(index: int):
                session = requests.Session()
                for n in range(12):
                    schema = list(hosts)[(index + n) % 2]
                    path = "/api/v1/catalog/permit-types/" if n % 3 else "/izin/"
                    response = session.get(f"http://127.0.0.1:{port}{path}", headers={"Host": hosts[schema]},
                                           timeout=60)
                    results.append((schema, response.status_code, response.text))

            threads = [threading.Thread(target=load, args=(i,)) for i in range(12)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(300)
    assert len(results) == 12 * 12
    assert {status for _, status, _ in results} == {200}
    for schema, _, text in results:
        other = next(s for s in marked_catalogs if s != schema)
        assert marked_catalogs[schema] in text  # its own regency's schema answered
        assert marked_catalogs[other] not in text  # never the other's


def test_transaction_pooling_is_refused_at_start_up_with_a_clear_error(committed, tmp_path):
    with pgbouncer(port=free_port(), folder=tmp_path / "pgbouncer", pool_mode="transaction", pool_size=1) as url:
        proc = subprocess.run([sys.executable, "-c", "import pintu.wsgi"], cwd=ROOT, env=child_env(DATABASE_URL=url),
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "SessionSharedBetweenClients" in proc.stderr and "pool_mode = session" in proc.stderr, proc.stderr[-2000:]


def test_session_pooling_passes_the_start_up_check(committed, tmp_path):
    with pgbouncer(port=free_port(), folder=tmp_path / "pgbouncer", pool_mode="session", pool_size=2) as url:
        proc = subprocess.run([sys.executable, "-c", "import pintu.wsgi; from pintu.pooling import pooling_check; "
                               "print(pooling_check())"], cwd=ROOT, env=child_env(DATABASE_URL=url),
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "True", proc.stderr[-2000:]
