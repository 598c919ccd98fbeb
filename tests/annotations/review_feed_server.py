"""A loopback HTTP server that publishes ClaimReview as fact-checkers do: a DataFeed, a page with JSON-LD.

Tests set what each path answers (`pages`) and read which paths were asked for (`hits`).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FeedServer:
    port: int = 0
    pages: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def publish_json(self, path: str, document: Any, content_type: str = "application/ld+json") -> str:
        self.pages[path] = (200, content_type, json.dumps(document).encode())
        return self.url(path)

    def publish_page(self, path: str, *documents: Any) -> str:
        scripts = "".join(f'<script type="application/ld+json">{json.dumps(d)}</script>' for d in documents)
        body = f"<!doctype html><html><head>{scripts}</head><body><h1>Fact check</h1></body></html>"
        self.pages[path] = (200, "text/html; charset=utf-8", body.encode())
        return self.url(path)


def _handler(state: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            state.hits[self.path] += 1
            status, content_type, body = state.pages.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    state = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
