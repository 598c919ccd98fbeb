"""The loopback test server of tests/annotations/fetching, extended for snapshots and fetch tasks.

Adds pages whose answer changes between requests (a 500 that turns into a 200, a 429 with
Retry-After, a fetch that is slow only the first time), a redirect to a second listener on
127.0.0.2 that must never receive a request, and large bodies for the benchmark.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.annotations.fetching.conftest import ARTICLE_HTML, MINIMAL_PDF, LocalServer, _make_handler

__all__ = ["ARTICLE_HTML", "MINIMAL_PDF", "SourceServer", "serving"]

REPORT_HTML = b"""<!doctype html><html><head><meta charset="utf-8"><title>Defence budget report</title>
<meta name="author" content="Jane Analyst"><meta name="date" content="2022-01-05"></head><body>
<nav>Home | About</nav><article><h1>Defence budget report</h1>
<p>Congress passed the annual defence bill in December.</p>
<p>The bill authorises 770 billion dollars of spending, a 5% increase on the year before.</p>
<p>Officials called it "a historic investment" in readiness.</p>
</article></body></html>"""

BIG_CHUNK = b"0123456789abcdef" * 4096


@dataclass
class SourceServer(LocalServer):
    private_port: int = 0
    private_requests: list[str] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    times: list[tuple[str, float]] = field(default_factory=list)
    slow_seconds: float = 30.0
    big_size: int = 20 * 1024 * 1024

    def loopback(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def request_times(self, path: str) -> list[float]:
        return [at for seen, at in self.times if seen == path]


def _source_handler(state: SourceServer) -> type[BaseHTTPRequestHandler]:
    base = _make_handler(state)

    class Handler(base):  # type: ignore[valid-type]
        def do_GET(self) -> None:
            path = self.path
            state.times.append((path, time.monotonic()))
            state.hits[path] += 1
            seen = state.hits[path]
            try:
                if path == "/report":
                    self._send(200, REPORT_HTML)
                elif path == "/report.txt":
                    self._send(200, b"Plain words: 770 billion dollars.\n", Content_Type="text/plain; charset=utf-8")
                elif path == "/image.png":
                    self._send(200, b"\x89PNG\r\n\x1a\nnot really", Content_Type="image/png")
                elif path == "/hostile.html":
                    self._send(200, b"<script>alert(1)</script><p>Hello</p>")
                elif path == "/flaky":
                    self._send(500, b"oops") if seen <= 2 else self._send(200, REPORT_HTML)
                elif path == "/busy-once":
                    if seen == 1:
                        self._send(429, b"slow down", Retry_After="2")
                    else:
                        self._send(200, REPORT_HTML)
                elif path == "/always-500":
                    self._send(503, b"down")
                elif path == "/gone":
                    self._send(410, b"gone")
                elif path == "/redirect-private-listener":
                    self._send(302, b"", Location=f"http://127.0.0.2:{state.private_port}/secret")
                elif path == "/slow-once":
                    self._slow_once(seen)
                elif path.startswith("/big/"):
                    self._big("application/octet-stream")
                elif path.startswith("/big-text/"):
                    self._big("text/plain; charset=utf-8")
                elif path.startswith("/small/"):
                    self._send(200, REPORT_HTML.replace(b"December", path.encode()))
                else:
                    super().do_GET()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _slow_once(self, seen: int) -> None:
            body = b"Slowly: 770 billion dollars.\n" * 10
            if seen > 1:
                self._send(200, body, Content_Type="text/plain")
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            pause = state.slow_seconds / len(body)
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(pause)

        def _big(self, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(state.big_size))
            self.end_headers()
            left = state.big_size
            while left > 0:
                chunk = BIG_CHUNK[: min(left, len(BIG_CHUNK))]
                self.wfile.write(chunk)
                left -= len(chunk)

    return Handler


class _PrivateHandler(BaseHTTPRequestHandler):
    """A listener that stands for a private service: any request reaching it is a test failure."""

    protocol_version = "HTTP/1.1"
    seen: list[str]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "6")
        self.end_headers()
        self.wfile.write(b"secret")


def _serve(httpd: ThreadingHTTPServer) -> threading.Thread:
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread


@contextmanager
def serving() -> Iterator[SourceServer]:
    """Run the source server on 127.0.0.1 and the private listener on 127.0.0.2, both on free ports."""
    state = SourceServer(port=0)
    private_handler = type("PrivateHandler", (_PrivateHandler,), {"seen": state.private_requests})
    private = ThreadingHTTPServer(("127.0.0.2", 0), private_handler)
    state.private_port = private.server_address[1]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _source_handler(state))
    state.port = httpd.server_address[1]
    _serve(private)
    _serve(httpd)
    try:
        yield state
    finally:
        for server in (httpd, private):
            server.shutdown()
            server.server_close()
