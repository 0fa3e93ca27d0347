"""Helpers for notification tests: an SMS/WhatsApp gateway on a local port (the builders: tests.factories)."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.factories import issue, to_signing  # noqa: F401 - the one builder, kept importable from here


class GatewayServer:
    """A provider's HTTP API on 127.0.0.1: records every message it receives (before answering)."""

    def __init__(self, *, status: int = 200, delay: float = 0.0):
        self.received: list[dict] = []
        self.status, self.delay = status, delay
        self.first_request = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                body["_auth"] = self.headers.get("Authorization")
                body["_key"] = self.headers.get("Idempotency-Key")
                server.received.append(body)
                server.first_request.set()
                if server.delay:
                    time.sleep(server.delay)
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"id": f"msg-{len(server.received)}"}).encode())

            def log_message(self, *args):
                pass

        from tests.services import free_port

        self.httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/send"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

