"""Run the bench view in process for bench/routing.py's instruction count (under callgrind).

    python -m benchsite.probe HOST PATH WARM COUNT

The settings module and the regency's schema come from the environment, as
for the servers. WARM requests fill caches and the persistent connection;
then COUNT requests run inside one `sys.call_tracing` call, the only code
callgrind collects (`--toggle-collect=sys_call_tracing`; nothing in Django
calls it). Each request is a full WSGI call, as gunicorn makes it:
request_started (connection health check), the whole middleware stack, the
view and its query, the response.
"""
from __future__ import annotations

import io
import sys

from django.core.wsgi import get_wsgi_application


def main() -> int:
    host, path, warm, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    application = get_wsgi_application()
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    def request() -> None:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": host, "HTTP_USER_AGENT": "bench", "HTTP_ACCEPT": "*/*",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        body = application(environ, start_response)
        try:
            b"".join(body)
        finally:
            body.close()

    def measured() -> None:
        for _ in range(count):
            request()

    for _ in range(warm):
        request()
    sys.call_tracing(measured, ())
    failed = [status for status in statuses if not status.startswith("200")]
    if failed:
        print(f"{len(failed)} requests failed: {failed[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
