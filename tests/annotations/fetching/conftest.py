"""A loopback-only test web server and guards that keep tests off the network."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from annotations.fetching import FetchPolicy, system_connector

ARTICLE_HTML = b"""<!doctype html><html><head><meta charset="utf-8">
<title>Budget passes</title></head><body><article><h1>Budget passes</h1>
<p>The defence budget of $770 billion was approved on 24 December 2021.</p>
</article></body></html>"""

MINIMAL_PDF = b"""%PDF-1.1
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""

BOMB = gzip.compress(b"\0" * (8 * 1024 * 1024), compresslevel=9)
HUGE_SIZE = 2 * 1024 * 1024


@dataclass
class LocalServer:
    port: int
    requests: list[tuple[str, str]] = field(default_factory=list)
    article_html: bytes = ARTICLE_HTML
    pdf: bytes = MINIMAL_PDF

    def url(self, path: str, host: str = "news.test") -> str:
        return f"http://{host}:{self.port}{path}"


def _make_handler(server_state: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, **headers: str) -> None:
            self.send_response(status)
            named = {name.replace("_", "-"): value for name, value in headers.items()}
            named.setdefault("Content-Type", "text/html; charset=utf-8")
            for name, value in named.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            server_state.requests.append((self.path, self.headers.get("Host", "")))
            path = self.path
            port = server_state.port
            try:
                if path == "/article":
                    self._send(200, ARTICLE_HTML, ETag='"v1"')
                elif path == "/doc.pdf":
                    self._send(200, MINIMAL_PDF, Content_Type="application/pdf")
                elif path.startswith("/redirect/"):
                    left = int(path.rsplit("/", 1)[1])
                    target = "/article" if left <= 0 else f"/redirect/{left - 1}"
                    self._send(302, b"", Location=target)
                elif path == "/redirect-private":
                    self._send(302, b"", Location="http://internal.test/secret")
                elif path == "/redirect-loopback":
                    self._send(301, b"", Location=f"http://127.0.0.1:{port}/article")
                elif path == "/redirect-ftp":
                    self._send(302, b"", Location="ftp://news.test/file")
                elif path == "/redirect-port":
                    self._send(302, b"", Location="http://news.test:8081/article")
                elif path == "/drip":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    for _ in range(1000):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.05)
                elif path == "/huge":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    chunk = b"a" * 65536
                    for _ in range(HUGE_SIZE // len(chunk)):
                        self.wfile.write(chunk)
                    self.close_connection = True
                elif path == "/huge-declared":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(HUGE_SIZE))
                    self.end_headers()
                    self.close_connection = True
                elif path == "/bomb":
                    self._send(200, BOMB, Content_Type="text/plain", Content_Encoding="gzip")
                elif path == "/gzip":
                    self._send(200, gzip.compress(ARTICLE_HTML), Content_Encoding="gzip")
                elif path == "/error":
                    self._send(500, b"oops")
                elif path == "/busy":
                    self._send(429, b"slow down", Retry_After="120")
                elif path == "/busy-date":
                    self._send(503, b"down", Retry_After="Wed, 21 Oct 2015 07:28:00 GMT")
                else:
                    self._send(404, b"missing")
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    state = LocalServer(port=0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


class TestResolver:
    """Maps test host names to fixed addresses; anything else does not resolve."""

    __test__ = False

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(self.table[host])


@pytest.fixture
def resolver() -> TestResolver:
    return TestResolver({"news.test": ["127.0.0.1"], "internal.test": ["10.0.0.5"]})


Connector = Callable[[tuple[str, int], float | None], socket.socket]


@pytest.fixture
def loopback_connector() -> Iterator[tuple[Connector, list[tuple[str, int]]]]:
    """Connects only to loopback; any other address fails the test before a packet leaves."""
    calls: list[tuple[str, int]] = []

    def connect(address: tuple[str, int], timeout: float | None) -> socket.socket:
        calls.append(address)
        if not ipaddress.ip_address(address[0]).is_loopback:
            pytest.fail(f"the fetcher tried to connect to {address}")
        return system_connector(address, timeout)

    yield connect, calls


@pytest.fixture
def forbidden_connector() -> Connector:
    def connect(address: tuple[str, int], timeout: float | None) -> socket.socket:
        pytest.fail(f"the fetcher tried to connect to {address} for a refused link")

    return connect


@pytest.fixture
def make_resolver() -> type[TestResolver]:
    return TestResolver


@pytest.fixture
def policy(local_server: LocalServer) -> FetchPolicy:
    return FetchPolicy(
        allowed_ports=frozenset({80, 443, local_server.port}),
        allow_private_hosts=frozenset({"news.test"}),
        connect_timeout=2,
        read_timeout=2,
        total_deadline=5,
        max_bytes=1024 * 1024,
    )


@dataclass
class TlsServer:
    port: int
    ca_file: str


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    """An HTTPS server on 127.0.0.1 whose self-signed certificate names only secure.test."""
    import shutil
    import ssl
    import subprocess

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl is needed to make a test certificate: install it (.ci/run does)")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", "/CN=secure.test", "-addext", "subjectAltName=DNS:secure.test"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    state = LocalServer(port=0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(state))
    httpd.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield TlsServer(port=state.port, ca_file=str(cert))
    httpd.shutdown()
    httpd.server_close()
