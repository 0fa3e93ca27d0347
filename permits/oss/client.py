"""Calls to OSS: JSON over HTTP(S) with the regency's `user_key` header (PIA), and what came back.

`OssUnreachable`: the call surely did not arrive (connection refused/reset before sending, a 5xx
other than 504 answered) - safe to send again. `OssUncertain`: it may have arrived (timeout while
waiting, 504) - the sender asks OSS (checkLicenseStatus) before it sends again.
"""
from __future__ import annotations

import functools
import json

from django.conf import settings


@functools.cache
def _pool():
    """One connection pool per process, made by the first call: urllib3 is not imported at start-up (issue #19;
    the OSS views' URLconf imports this module)."""
    import urllib3

    return urllib3.PoolManager(retries=False)


class OssUnreachable(Exception):
    pass


class OssUncertain(Exception):
    pass


def base_url() -> str:
    return (getattr(settings, "OSS_BASE_URL", "") or "").rstrip("/")


def oss_call(method: str, body: dict, *, user_key: str, timeout: float | None = None) -> dict:
    """POST one PIA method; returns the decoded answer or raises OssUnreachable / OssUncertain."""
    url = base_url()
    if not url:
        raise OssUnreachable("OSS_BASE_URL belum diatur")
    timeout = timeout or float(getattr(settings, "OSS_TIMEOUT_SECONDS", 10))
    import urllib3

    try:
        response = _pool().request("POST", f"{url}/{method}", body=json.dumps(body).encode(),
                                   headers={"Content-Type": "application/json", "user_key": user_key},
                                   timeout=urllib3.Timeout(connect=min(timeout, 5), read=timeout))
    except (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ProtocolError) as exc:
        # the request was written: OSS may have it (a reset after sending is a ProtocolError too)
        if isinstance(exc, urllib3.exceptions.ProtocolError) and "refused" in str(exc).lower():
            raise OssUnreachable(str(exc)) from exc
        raise OssUncertain(f"{type(exc).__name__}: {exc}") from exc
    except urllib3.exceptions.HTTPError as exc:  # connection refused, DNS, connect timeout: never arrived
        raise OssUnreachable(f"{type(exc).__name__}: {exc}") from exc
    if response.status == 504:
        raise OssUncertain("HTTP 504 dari OSS")
    if response.status >= 500:
        raise OssUnreachable(f"HTTP {response.status} dari OSS")
    try:
        answer = json.loads(response.data or b"{}")
    except ValueError as exc:
        raise OssUnreachable(f"Jawaban OSS bukan JSON (HTTP {response.status})") from exc
    if response.status != 200:
        raise OssRejected(response.status, answer)
    return answer


class OssRejected(Exception):
    """OSS answered 4xx: the request itself is wrong; sending it again will not help."""

    def __init__(self, status: int, answer: dict) -> None:
        super().__init__(f"HTTP {status}: {json.dumps(answer)[:500]}")
        self.status, self.answer = status, answer
