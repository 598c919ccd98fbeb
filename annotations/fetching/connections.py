"""Connections that can only reach checked addresses: the safety core shared by fetching and posting.

A hop's host is resolved once (check_target); every address must be public unless the test-only
allowlist names the host; the connection then goes to the checked address itself through the
injected connector, never through a second DNS lookup, with TLS verified against the real host
name. A watchdog cuts every socket off at the deadline.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import Timeout

from .addresses import address_problem, ends_in_number, parse_host_literal
from .urls import HttpTarget

Resolver = Callable[[str, int], list[str]]
"""Maps (host, port) to the IP addresses the host resolves to."""

Connector = Callable[[tuple[str, int], float | None], socket.socket]
"""Opens a TCP connection to an already checked (ip, port) with a timeout."""


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


class Connections:
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


class CheckedConnectionMixin:
    """Route socket creation through the fetch's connector, never through DNS."""

    _dns_host: str
    port: int
    timeout: float | None
    host: str

    def __init__(self, *args: Any, connections: Connections, **kwargs: Any) -> None:
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


class CheckedHTTPConnection(CheckedConnectionMixin, HTTPConnection):
    pass


class CheckedHTTPSConnection(CheckedConnectionMixin, HTTPSConnection):
    pass


class CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = CheckedHTTPConnection


class CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = CheckedHTTPSConnection


DEADLINE_SLACK = 0.05  # seconds


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def reached(self, connections: Connections) -> bool:
        """Whether a failure now is the deadline's doing: the watchdog cut the sockets off, or a read
        timed out at the deadline (sockets wait at most the time left, and may wake a moment before
        the watchdog does)."""
        return connections.expired or self.remaining() <= DEADLINE_SLACK

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
def watchdog(deadline: Deadline, connections: Connections) -> Iterator[None]:
    timer = threading.Timer(max(deadline.remaining(), 0.0), connections.cut_off)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def check_target(target: HttpTarget, policy: FetchPolicy, resolver: Resolver) -> list[str]:
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


def connection_failure(exc: HTTPError, host: str, policy: FetchPolicy) -> FetchFailed:
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


def checked_pool(
    target: HttpTarget, ip: str, policy: FetchPolicy, timeout: Timeout, connections: Connections
) -> HTTPConnectionPool:
    """A one-connection pool to an address that check_target allowed; TLS is verified against the host name."""
    if target.scheme == "https":
        return CheckedHTTPSPool(
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
    return CheckedHTTPPool(ip, target.port, maxsize=1, retries=False, timeout=timeout, connections=connections)


def hop_timeout(policy: FetchPolicy, deadline: Deadline, host: str) -> Timeout:
    """Connect and read timeouts for one hop, never beyond the fetch's deadline."""
    left = deadline.check(host)
    return Timeout(connect=min(policy.connect_timeout, left), read=min(policy.read_timeout, left))
