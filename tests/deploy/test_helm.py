"""The Helm chart: lint, render and validate against Kubernetes schemas, for both sizes.

Helm runs in-process through `helm-python-sdk` (it ships libhelm, no helm
binary); manifests are checked with `kubernetes-validate`'s bundled schemas.
"""
from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from helm_python.chart import Chart, lint

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "pintu"
VALUES = {"small": ROOT / "helm" / "values-small.yaml", "national": ROOT / "helm" / "values-national.yaml"}
KUBE_VERSION = kubernetes_validate.latest_version()


def _values(size: str) -> dict:
    return yaml.safe_load(VALUES[size].read_text())


def render(values: dict) -> list[dict]:
    manifests = Chart.load(CHART).render(values, name="pintu", namespace="pintu", is_install=True)
    docs = []
    for text in manifests.values():
        docs += [doc for doc in yaml.safe_load_all(text) if doc]
    return docs


def by_kind(docs: list[dict], kind: str, suffix: str = "") -> list[dict]:
    return [d for d in docs if d["kind"] == kind and d["metadata"]["name"].endswith(suffix)]


def test_kubernetes_schema_version_is_current():
    major, minor = (int(part) for part in KUBE_VERSION.split(".")[:2])
    assert (major, minor) >= (1, 33)


@pytest.mark.parametrize("size", ["small", "national"])
def test_chart_lints_clean(size):
    report = lint(CHART, _values(size), strict=True, kube_version=f"v{KUBE_VERSION}.0")
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


@pytest.mark.parametrize("size", ["small", "national"])
def test_rendered_manifests_are_valid_kubernetes(size):
    docs = render(_values(size))
    assert len(docs) >= 9
    for doc in docs:
        # strict: unknown fields are errors too
        kubernetes_validate.validate(doc, KUBE_VERSION, strict=True)


@pytest.mark.parametrize("size", ["small", "national"])
def test_chart_shape(size):
    values = _values(size)
    docs = render(values)
    domain = values["domain"]

    (web,) = by_kind(docs, "Deployment", "-web")
    pod = web["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    # Ready while it serves reads: a pod whose primary is down (standby up) stays in the Service.
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz/reads"
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    (hpa,) = by_kind(docs, "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == web["metadata"]["name"]
    assert hpa["spec"]["maxReplicas"] == values["web"]["autoscaling"]["maxReplicas"]
    (pdb,) = by_kind(docs, "PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"] == web["spec"]["selector"]["matchLabels"]
    assert by_kind(docs, "Service", "-web")

    (worker,) = by_kind(docs, "Deployment", "-worker")
    assert "worker" in worker["spec"]["template"]["spec"]["containers"][0]["command"]
    (beat,) = by_kind(docs, "Deployment", "-beat")
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"]["type"] == "Recreate"
    assert "beat" in beat["spec"]["template"]["spec"]["containers"][0]["command"]

    (job,) = by_kind(docs, "Job")
    hooks = job["metadata"]["annotations"]["helm.sh/hook"].split(",")
    assert set(hooks) == {"pre-install", "pre-upgrade"}
    assert job["spec"]["template"]["spec"]["containers"][0]["command"][:3] == ["python", "manage.py",
                                                                                 "migrate_schemas"]

    (ingress,) = by_kind(docs, "Ingress")
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert hosts == [domain, f"*.{domain}"]
    assert set(ingress["spec"]["tls"][0]["hosts"]) == {domain, f"*.{domain}"}

    (config,) = by_kind(docs, "ConfigMap")
    assert config["data"]["PINTU_ENV"] == "production"
    assert config["data"]["ALLOWED_HOSTS"] == f"{domain},.{domain}"
    for workload in (web, worker, beat, job):
        refs = workload["spec"]["template"]["spec"]["containers"][0]["envFrom"]
        assert {"configMapRef", "secretRef"} == {key for ref in refs for key in ref}


def test_secret_is_rendered_with_every_environment_key_when_no_existing_secret():
    values = _values("small") | {"existingSecret": ""}
    docs = render(values)
    (secret,) = by_kind(docs, "Secret")
    for key in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY",
                "SENTRY_DSN", "EMAIL_HOST_PASSWORD", "SMS_GATEWAY_TOKEN", "SIGNING_PKCS12_PASSWORD"):
        assert key in secret["stringData"]
    assert not by_kind(render(_values("small")), "Secret")  # existingSecret: none rendered


@pytest.mark.parametrize("change", [
    {"beat": {"replicas": 2, "resources": {"requests": {"cpu": "1", "memory": "1Gi"},
                                           "limits": {"cpu": "1", "memory": "1Gi"}}}},
    {"env": {"SECRET_KEY": "in-a-configmap"}},
    {"domain": "Not A Domain"},
])
def test_values_schema_refuses_unsafe_values(change):
    from helm_python.errors import HelmError

    with pytest.raises(HelmError):
        render(_values("small") | change)
