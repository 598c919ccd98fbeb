"""Fetching a source document safely, for preservation as a snapshot.

Every hop is resolved once, every resolved address is checked, and the
connection goes to the checked address itself, so DNS cannot be made to
answer differently between the check and the connection (DNS rebinding).
TLS is still verified against the real host name. The body is streamed into
a file with its size capped after decompression and a deadline for the
whole fetch, so a hostile server cannot exhaust memory, disk or workers.
"""

from __future__ import annotations

import email.message
import hashlib
import http
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import urljoin

from urllib3 import HTTPConnectionPool, HTTPResponse, HTTPSConnectionPool
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    InvalidHeader,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import Retry, Timeout
from urllib3.util.request import ACCEPT_ENCODING

from .addresses import address_problem, ends_in_number, parse_host_literal
from .urls import HttpTarget, InvalidURL, parse_http_url

Resolver = Callable[[str, int], list[str]]
"""Maps (host, port) to the IP addresses the host resolves to."""

Connector = Callable[[tuple[str, int], float | None], socket.socket]
"""Opens a TCP connection to an already checked (ip, port) with a timeout."""

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "content-disposition",
    "last-modified",
    "etag",
    "date",
    "retry-after",
)
_CHUNK = 64 * 1024
_SPOOL_IN_MEMORY = 1024 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch.

    `allow_private_hosts` is for tests only: hosts (as written in the URL)
    that may resolve to loopback or private addresses, such as "127.0.0.1"
    for a local test server. Production settings must leave it empty.
    """

    allowed_ports: frozenset[int] = frozenset({80, 443})
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_deadline: float = 120.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "FactCheckWorkbench/0.1 (+snapshot of a cited source)"
    allow_private_hosts: frozenset[str] = frozenset()
    ca_certs: str | None = None
    """A CA bundle to trust instead of the system's (tests, private CAs)."""


@dataclass
class FetchResult:
    requested_url: str
    final_url: str
    redirect_chain: list[dict[str, Any]]
    status_code: int
    content_type: str
    charset: str | None
    size: int
    """Bytes of the body after content decoding, as stored in `body`."""
    raw_size: int
    """Bytes received on the wire for the body."""
    sha256: str
    started_at: datetime
    duration_seconds: float
    headers: dict[str, str]
    body: IO[bytes] = field(repr=False)
    retry_after: float | None = None


class FetchRefused(Exception):
    """The fetch is not allowed; retrying cannot help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchFailed(Exception):
    """The fetch did not succeed; `retryable` says whether trying later may help."""

    def __init__(self, reason: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the operating system, once, returning unique addresses in order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        ip = str(sockaddr[0]).split("%", 1)[0]
        if ip not in addresses:
            addresses.append(ip)
    return addresses


def system_connector(address: tuple[str, int], timeout: float | None) -> socket.socket:
    """Open a TCP connection to a numeric address (no DNS lookup happens)."""
    sock = socket.create_connection(address, timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class _Connections:
    """The sockets of one fetch, so the deadline can cut them off mid-read."""

    def __init__(self, connector: Connector) -> None:
        self.connector = connector
        self.open: list[HTTPConnection] = []
        self._lock = threading.Lock()
        self.expired = False

    def add(self, conn: HTTPConnection) -> None:
        with self._lock:
            self.open.append(conn)

    def cut_off(self) -> None:
        with self._lock:
            self.expired = True
            for conn in self.open:
                sock = conn.sock
                if sock is None:
                    continue
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class _CheckedConnectionMixin:
    """Route socket creation through the fetch's connector, never through DNS."""

    _dns_host: str
    port: int
    timeout: float | None
    host: str

    def __init__(self, *args: Any, connections: _Connections, **kwargs: Any) -> None:
        self._connections = connections
        super().__init__(*args, **kwargs)

    def _new_conn(self) -> socket.socket:
        self._connections.add(self)  # type: ignore[arg-type]
        try:
            return self._connections.connector((self._dns_host, self.port), self.timeout)
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to connect: {exc}") from exc  # type: ignore[arg-type]


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return Retry(retry_after_max=24 * 3600).parse_retry_after(value)
    except InvalidHeader:
        return None


def _content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "application/octet-stream", None
    message = email.message.Message()
    message["content-type"] = value
    charset = message.get_content_charset()
    return message.get_content_type(), charset


def _status_text(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def check(self, host: str) -> float:
        left = self.remaining()
        if left <= 0:
            raise self.failure(host)
        return left

    def failure(self, host: str) -> FetchFailed:
        return FetchFailed(
            f"Fetching from {host} took longer than the {self.seconds:g} second limit.",
            retryable=True,
        )


@contextmanager
def _watchdog(deadline: _Deadline, connections: _Connections) -> Iterator[None]:
    timer = threading.Timer(max(deadline.remaining(), 0.0), connections.cut_off)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _check_target(target: HttpTarget, policy: FetchPolicy, resolver: Resolver) -> list[str]:
    """The addresses this hop may connect to, after every check has passed."""
    if target.port not in policy.allowed_ports:
        allowed = ", ".join(str(p) for p in sorted(policy.allowed_ports))
        raise FetchRefused(f"Refused: port {target.port} is not allowed for fetching (allowed: {allowed}).")
    allowlisted = target.host in policy.allow_private_hosts
    try:
        literal = parse_host_literal(target.host)
    except ValueError as exc:
        raise FetchRefused(f"Refused: {exc}") from exc
    if literal is not None:
        addresses = [str(literal)]
        problem = None if allowlisted else address_problem(literal)
        if problem is not None:
            raise FetchRefused(f"Refused: {target.host} is {literal}, {problem}.")
        return addresses
    if ends_in_number(target.host):
        raise FetchRefused(f"Refused: {target.host} is not a valid host name.")
    try:
        resolved = resolver(target.host, target.port)
    except socket.gaierror as exc:
        retryable = exc.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None))
        raise FetchFailed(
            f"Could not find {target.host}: the name does not resolve ({exc.strerror}).",
            retryable=retryable,
        ) from exc
    except OSError as exc:
        raise FetchFailed(f"Could not look up {target.host}: {exc}.", retryable=True) from exc
    if not resolved:
        raise FetchFailed(f"Could not find {target.host}: it has no addresses.", retryable=False)
    if not allowlisted:
        for ip in resolved:
            try:
                problem = address_problem(ip)
            except ValueError:
                problem = "not a valid address"
            if problem is not None:
                raise FetchRefused(f"Refused: {target.host} resolves to {ip}, {problem}.")
    return resolved


def _open(
    target: HttpTarget,
    ip: str,
    policy: FetchPolicy,
    deadline: _Deadline,
    connections: _Connections,
) -> tuple[HTTPConnectionPool, HTTPResponse]:
    left = deadline.check(target.host)
    timeout = Timeout(connect=min(policy.connect_timeout, left), read=min(policy.read_timeout, left))
    pool: HTTPConnectionPool
    if target.scheme == "https":
        pool = _CheckedHTTPSPool(
            ip,
            target.port,
            maxsize=1,
            retries=False,
            timeout=timeout,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=policy.ca_certs,
            connections=connections,
        )
    else:
        pool = _CheckedHTTPPool(
            ip,
            target.port,
            maxsize=1,
            retries=False,
            timeout=timeout,
            connections=connections,
        )
    headers = {
        "Host": target.netloc,
        "User-Agent": policy.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    try:
        response = pool.urlopen(
            "GET",
            target.request_target,
            headers=headers,
            retries=False,
            redirect=False,
            assert_same_host=False,
            preload_content=False,
            decode_content=True,
            timeout=timeout,
        )
    except BaseException:
        pool.close()
        raise
    assert isinstance(response, HTTPResponse)
    return pool, response


def _connection_failure(exc: HTTPError, host: str, policy: FetchPolicy) -> FetchFailed:
    if isinstance(exc, SSLError):
        return FetchFailed(
            f"The secure connection to {host} could not be verified: {exc}.",
            retryable=False,
        )
    if isinstance(exc, NewConnectionError):
        return FetchFailed(f"Could not connect to {host}: {exc}.", retryable=True)
    if isinstance(exc, ConnectTimeoutError):
        return FetchFailed(
            f"{host} did not accept a connection within {policy.connect_timeout:g} seconds.",
            retryable=True,
        )
    if isinstance(exc, ReadTimeoutError):
        return FetchFailed(
            f"{host} stopped sending data for more than {policy.read_timeout:g} seconds.",
            retryable=True,
        )
    return FetchFailed(f"The connection to {host} failed: {exc}.", retryable=True)


def _stream_body(
    response: HTTPResponse,
    host: str,
    sink: IO[bytes],
    policy: FetchPolicy,
    deadline: _Deadline,
    connections: _Connections,
) -> tuple[int, int, str]:
    too_large = FetchRefused(
        f"Refused: the document at {host} is larger than the {_megabytes(policy.max_bytes)} limit."
    )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise too_large
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding and encoding != "identity" and encoding.split(",")[-1].strip() not in HTTPResponse.CONTENT_DECODERS:
        raise FetchFailed(
            f"{host} sent the document compressed as {encoding!r}, which cannot be decoded.",
            retryable=False,
        )
    hasher = hashlib.sha256()
    size = 0
    conn = response.connection
    while True:
        left = deadline.check(host)
        if conn is not None and conn.sock is not None:
            conn.sock.settimeout(min(policy.read_timeout, left))
        try:
            chunk = response.read1(_CHUNK)
        except HTTPError as exc:
            if connections.expired:
                raise deadline.failure(host) from exc
            raise _connection_failure(exc, host, policy) from exc
        if connections.expired:
            raise deadline.failure(host)
        if not chunk:
            break
        size += len(chunk)
        if size > policy.max_bytes or response.tell() > policy.max_bytes:
            raise too_large
        hasher.update(chunk)
        sink.write(chunk)
    return size, response.tell(), hasher.hexdigest()


def _spool() -> IO[bytes]:
    """A body file that stays in memory while small and moves to disk when large."""
    return tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)


def fetch(
    url: str,
    *,
    policy: FetchPolicy,
    resolver: Resolver = system_resolver,
    connector: Connector | None = None,
    sink: IO[bytes] | None = None,
) -> FetchResult:
    """Fetch a link for preservation, following checked redirects.

    Raises FetchRefused when the link or a redirect is not allowed and
    FetchFailed when the server cannot be reached or answers with an error.
    On success the body is in `result.body`, positioned at its start.
    """
    started_at = datetime.now(UTC)
    deadline = _Deadline(policy.total_deadline)
    connections = _Connections(connector or system_connector)
    chain: list[dict[str, Any]] = []
    current = url
    own_sink = sink is None
    body: IO[bytes] = _spool() if sink is None else sink
    try:
        with _watchdog(deadline, connections):
            while True:
                try:
                    target = parse_http_url(current)
                except InvalidURL as exc:
                    raise FetchRefused(f"Refused: {exc}") from exc
                addresses = _check_target(target, policy, resolver)
                pool, response = _connect_any(target, addresses, policy, deadline, connections)
                try:
                    status = response.status
                    location = response.headers.get("location")
                    if status in REDIRECT_STATUSES and location:
                        chain.append({"url": target.url, "status": status})
                        if len(chain) > policy.max_redirects:
                            raise FetchRefused(
                                f"Refused: more than {policy.max_redirects} redirects starting from {url}."
                            )
                        current = urljoin(target.url, location.strip())
                        continue
                    retry_after = _retry_after(response.headers.get("retry-after"))
                    if status == 429 or status >= 500:
                        raise FetchFailed(
                            f"{target.host} answered {_status_text(status)}; try again later.",
                            retryable=True,
                            retry_after=retry_after,
                        )
                    if status >= 300:
                        raise FetchFailed(
                            f"{target.host} answered {_status_text(status)}.",
                            retryable=False,
                        )
                    size, raw_size, digest = _stream_body(response, target.host, body, policy, deadline, connections)
                    content_type, charset = _content_type(response.headers.get("content-type"))
                    body.seek(0)
                    return FetchResult(
                        requested_url=url,
                        final_url=target.url,
                        redirect_chain=chain,
                        status_code=status,
                        content_type=content_type,
                        charset=charset,
                        size=size,
                        raw_size=raw_size,
                        sha256=digest,
                        started_at=started_at,
                        duration_seconds=time.monotonic() - (deadline.at - deadline.seconds),
                        headers={name: response.headers[name] for name in KEPT_HEADERS if name in response.headers},
                        body=body,
                        retry_after=retry_after,
                    )
                finally:
                    response.close()
                    pool.close()
    except BaseException:
        if own_sink:
            body.close()
        raise


def _connect_any(
    target: HttpTarget,
    addresses: list[str],
    policy: FetchPolicy,
    deadline: _Deadline,
    connections: _Connections,
) -> tuple[HTTPConnectionPool, HTTPResponse]:
    """Try each checked address in turn until one accepts the connection."""
    for index, ip in enumerate(addresses):
        try:
            return _open(target, ip, policy, deadline, connections)
        except (NewConnectionError, ConnectTimeoutError) as exc:
            if connections.expired:
                raise deadline.failure(target.host) from exc
            if index == len(addresses) - 1:
                raise _connection_failure(exc, target.host, policy) from exc
        except HTTPError as exc:
            if connections.expired:
                raise deadline.failure(target.host) from exc
            raise _connection_failure(exc, target.host, policy) from exc
    raise FetchFailed(f"Could not connect to {target.host}.", retryable=True)
