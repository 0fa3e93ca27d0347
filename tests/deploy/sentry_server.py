"""A Sentry ingest endpoint on 127.0.0.1: the SDK's own HTTP transport posts envelopes to it.

Errors are captured exactly as a Sentry server would receive them (serialised, compressed,
over HTTP), so a test reads the event that would have left the platform, not a dict it made.
"""
from __future__ import annotations

import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def envelope_items(body: bytes) -> list[tuple[dict, bytes]]:
    """Split a Sentry envelope (header line, then item header + payload pairs) into its items."""
    lines = body.split(b"\n", 1)
    rest = lines[1] if len(lines) > 1 else b""
    items = []
    while rest.strip():
        header_line, _, rest = rest.partition(b"\n")
        header = json.loads(header_line)
        if "length" in header:
            payload, rest = rest[:header["length"]], rest[header["length"]:]
            rest = rest[1:] if rest.startswith(b"\n") else rest
        else:
            payload, _, rest = rest.partition(b"\n")
        items.append((header, payload))
    return items


class SentryServer:
    """Receives envelopes at /api/<project>/envelope/; `events` holds each error or message event."""

    def __init__(self):
        self.events: list[dict] = []
        self.raw: list[bytes] = []
        self.received = threading.Condition()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "deflate":
                    body = zlib.decompress(body)
                with server.received:
                    server.raw.append(body)
                    for header, payload in envelope_items(body):
                        if header.get("type") == "event":
                            server.events.append(json.loads(payload))
                    server.received.notify_all()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.dsn = f"http://public@127.0.0.1:{self.httpd.server_address[1]}/1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def wait_for_events(self, count: int, timeout: float = 10.0) -> list[dict]:
        with self.received:
            self.received.wait_for(lambda: len(self.events) >= count, timeout=timeout)
        return list(self.events)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
