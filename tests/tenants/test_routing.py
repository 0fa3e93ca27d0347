"""Host -> regency routing: cached per process, no extra queries, never the wrong schema."""
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pintu.access.models import Role
from tenants import routing
from tenants.models import Domain
from tenants.services import regency_status_set


def _sql(context) -> list[str]:
    return [q["sql"] for q in context.captured_queries]


def test_a_known_host_is_routed_without_a_domain_query_or_search_path_set(trenggalek, officer, client_for):
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    client = client_for(trenggalek, admin)
    assert client.get("/api/v1/officers/").status_code == 200  # fills the cache, sets the path
    with CaptureQueriesContext(connection) as second:
        response = client.get("/api/v1/officers/")
    assert response.status_code == 200
    assert admin.email in [row["email"] for row in response.json()["results"]]
    assert not [sql for sql in _sql(second) if "tenants_domain" in sql]
    assert not [sql for sql in _sql(second) if sql.upper().startswith("SET SEARCH_PATH")]


def test_switching_regency_sets_the_path_and_shows_only_that_regencys_rows(trenggalek, blitar, officer, client_for):
    t_admin = officer(trenggalek, Role.REGENCY_ADMIN, email="t.admin@contoh.id")
    b_admin = officer(blitar, Role.REGENCY_ADMIN, email="b.admin@contoh.id")
    assert client_for(trenggalek, t_admin).get("/api/v1/officers/").status_code == 200
    with CaptureQueriesContext(connection) as switched:
        rows = client_for(blitar, b_admin).get("/api/v1/officers/").json()["results"]
    assert any('"kota_blitar"' in sql for sql in _sql(switched) if sql.upper().startswith("SET SEARCH_PATH"))
    emails = [row["email"] for row in rows]
    assert "b.admin@contoh.id" in emails and "t.admin@contoh.id" not in emails


def _server_search_path() -> list[str]:
    with connection.connection.cursor() as raw:  # psycopg's own cursor: no SET of ours in front
        raw.execute("SHOW search_path")
        return [part.strip().strip('"') for part in raw.fetchone()[0].split(",")]


def _current_schema() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def test_what_django_believes_about_the_search_path_survives_a_rollback(trenggalek, blitar):
    routing.schema_activate(connection, trenggalek)
    assert _current_schema() == "trenggalek"
    try:
        with transaction.atomic():
            routing.schema_activate(connection, blitar)
            assert _current_schema() == "kota_blitar"
            raise RuntimeError("rollback")
    except RuntimeError:
        pass
    # the SET inside the rolled-back block is gone on the server; the tracked value must not claim it
    believed = connection.search_path_set_schemas
    assert believed is None or believed == _server_search_path()
    routing.schema_activate(connection, blitar)
    assert _current_schema() == "kota_blitar"
    routing.schema_activate(connection, trenggalek)
    assert _current_schema() == "trenggalek"
    connection.set_schema_to_public()


def test_suspension_is_seen_on_the_next_request(trenggalek, client_for):
    client = client_for(trenggalek)
    assert client.get("/").status_code == 200
    regency_status_set(regency=trenggalek, status="suspended", reason="Uji")
    page = client.get("/")
    assert page.status_code == 503
    assert "dinonaktifkan" in page.content.decode().lower() or "Uji" in page.content.decode()
    regency_status_set(regency=trenggalek, status="active", reason="")
    assert client.get("/").status_code == 200


def test_a_new_domain_is_routed_and_an_unknown_host_gets_404(trenggalek, client_for):
    from django.test import Client

    assert Client(HTTP_HOST="tidak-ada.localhost").get("/").status_code == 404
    Domain.objects.create(domain="tidak-ada.localhost", tenant=trenggalek, is_primary=False)
    page = Client(HTTP_HOST="tidak-ada.localhost").get("/")
    assert page.status_code == 200
    assert trenggalek.name in page.content.decode()


def test_the_cache_rereads_the_generation_at_most_once_per_interval(trenggalek, settings, client_for,
                                                                   django_assert_max_num_queries):
    settings.ROUTING_CHECK_SECONDS = 60
    loads = []

    def load(host):
        loads.append(host)
        return trenggalek

    for _ in range(5):
        assert routing.routing_lookup("contoh.localhost", load) is trenggalek
    assert loads == ["contoh.localhost"]
    routing.routing_invalidate()  # a change in this process clears at once
    routing.routing_lookup("contoh.localhost", load)
    assert loads == ["contoh.localhost", "contoh.localhost"]


def test_a_repeated_regency_keeps_the_connection_as_it_is_and_a_switch_resets_it(trenggalek, blitar, officer,
                                                                                 client_for, monkeypatch):
    from django.db import connections

    wrapper = type(connections["default"])
    calls = []
    original = wrapper.set_tenant
    monkeypatch.setattr(wrapper, "set_tenant", lambda self, tenant, *a, **k: (calls.append(tenant.schema_name),
                                                                               original(self, tenant, *a, **k))[1])
    t_client = client_for(trenggalek, officer(trenggalek, Role.REGENCY_ADMIN, email="t.admin@contoh.id"))
    b_client = client_for(blitar, officer(blitar, Role.REGENCY_ADMIN, email="b.admin@contoh.id"))
    assert t_client.get("/api/v1/officers/").status_code == 200
    calls.clear()
    assert t_client.get("/api/v1/officers/").status_code == 200
    assert "trenggalek" not in calls  # same regency, path already on the session: nothing reset
    rows = b_client.get("/api/v1/officers/").json()["results"]
    assert "kota_blitar" in calls
    emails = [row["email"] for row in rows]
    assert "b.admin@contoh.id" in emails and "t.admin@contoh.id" not in emails
    assert connection.schema_name == "kota_blitar" and connection.tenant.pk == blitar.pk


def test_a_fresh_copy_of_the_same_regency_replaces_the_one_on_the_connection(trenggalek):
    from tenants.models import Regency

    routing.schema_activate(connection, trenggalek)
    assert _current_schema() == "trenggalek"  # the path is now on the session
    reloaded = Regency.objects.get(pk=trenggalek.pk)
    routing.schema_activate(connection, reloaded)
    assert connection.tenant is reloaded
    assert _current_schema() == "trenggalek"
    connection.set_schema_to_public()


def test_the_same_regency_after_a_rolled_back_set_gets_its_path_again(trenggalek):
    connection.set_schema_to_public()
    assert _current_schema() == "public"
    savepoint = transaction.savepoint()
    routing.schema_activate(connection, trenggalek)
    assert _current_schema() == "trenggalek"
    transaction.savepoint_rollback(savepoint)
    assert _server_search_path() == ["public"]  # the SET went with the rollback; Django still names trenggalek
    assert connection.schema_name == "trenggalek"
    routing.schema_activate(connection, trenggalek)
    assert _current_schema() == "trenggalek"
    connection.set_schema_to_public()


def test_the_apex_gets_the_public_urlconf_and_a_regency_its_own(trenggalek, client_for):
    from django.test import Client

    from tenants.models import Regency

    apex = Regency.objects.get(schema_name="public").domains.get(is_primary=True).domain
    apex_page = Client(HTTP_HOST=apex).get("/")
    regency_page = client_for(trenggalek).get("/")
    assert apex_page.status_code == 200 and regency_page.status_code == 200
    assert apex_page.wsgi_request.urlconf == "pintu.urls_public"
    assert getattr(regency_page.wsgi_request, "urlconf", None) is None  # ROOT_URLCONF, the regency URLs
    assert trenggalek.name in regency_page.content.decode()
