"""The chart's optional CloudNativePG part (Cluster + session-mode Pooler) and the metrics scrape annotations.

The CNPG kinds are CRDs (no schema bundled with kubernetes-validate): everything else is validated
strictly for Kubernetes 1.30 with and without the part, and the CNPG documents are checked field by field.
"""
from __future__ import annotations

import copy

import kubernetes_validate
import pytest
from helm_python.chart import lint

from tests.deploy.test_helm import CHART, _values, by_kind, render

KUBE_130 = "1.30.0"
CNPG_KINDS = {"Cluster", "Pooler"}


def _with_cnpg(size: str) -> dict:
    values = copy.deepcopy(_values(size))
    values["cloudnativepg"] = {"enabled": True, "instances": 3}
    return values


@pytest.mark.parametrize("enabled", [False, True])
@pytest.mark.parametrize("size", ["small", "national"])
def test_chart_validates_for_kubernetes_1_30_with_and_without_cloudnativepg(size, enabled):
    values = _with_cnpg(size) if enabled else _values(size)
    report = lint(CHART, values, strict=True, kube_version="v1.30.0")
    assert report["errors"] == []
    docs = render(values)
    kinds = {doc["kind"] for doc in docs}
    assert (CNPG_KINDS <= kinds) is enabled and not (CNPG_KINDS & kinds and not enabled)
    for doc in docs:
        if doc["kind"] not in CNPG_KINDS:
            kubernetes_validate.validate(doc, KUBE_130, strict=True)


def test_cloudnativepg_renders_a_synchronous_cluster_and_a_session_mode_pooler():
    docs = render(_with_cnpg("national"))
    (cluster,) = by_kind(docs, "Cluster", "-db")
    (pooler,) = by_kind(docs, "Pooler", "-pooler-rw")
    assert cluster["apiVersion"] == pooler["apiVersion"] == "postgresql.cnpg.io/v1"
    spec = cluster["spec"]
    assert spec["instances"] == 3 and spec["minSyncReplicas"] == spec["maxSyncReplicas"] == 1
    assert spec["postgresql"]["parameters"]["synchronous_commit"] == "local"
    assert spec["postgresql"]["parameters"]["wal_log_hints"] == "on"
    assert spec["storage"]["size"] and spec["bootstrap"]["initdb"]["database"] == "pintu"
    assert pooler["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    assert pooler["spec"]["type"] == "rw"
    assert pooler["spec"]["pgbouncer"]["poolMode"] == "session"  # transaction mode would leak search paths


def test_web_pods_carry_the_prometheus_scrape_annotations_unless_disabled():
    (web,) = by_kind(render(_values("small")), "Deployment", "-web")
    annotations = web["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/path"] == "/metrics"
    assert annotations["prometheus.io/port"] == str(web["spec"]["template"]["spec"]["containers"][0]["ports"][0][
        "containerPort"])
    values = copy.deepcopy(_values("small"))
    values["metrics"] = {"enabled": False, "path": "/metrics"}
    (web,) = by_kind(render(values), "Deployment", "-web")
    assert "prometheus.io/scrape" not in web["spec"]["template"]["metadata"]["annotations"]
