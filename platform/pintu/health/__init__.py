"""Health endpoints for load balancers and Kubernetes probes.

``/healthz`` (liveness) and ``/readyz`` (readiness) answer on every host — the
apex, each regency's subdomain, and bare pod IPs — before tenant routing, so a
probe never depends on a regency, on ALLOWED_HOSTS or on the HTTPS redirect.
"""
