"""Fetching a source document safely, for preservation as a snapshot.

Every hop is resolved once, every resolved address is checked, and the
connection goes to the checked address itself, so DNS cannot be made to
answer differently between the check and the connection (DNS rebinding).
TLS is still verified against the real host name. The body is streamed into
a file with its size capped after decompression and a deadline for the
whole fetch, so a hostile server cannot exhaust memory, disk or workers.

Every hop is kept as an `Exchange` (the request as sent, the response's
status line, headers and body, the address connected to), for the WARC.
Bodies are asked for without content coding, so the body kept is the body
received; a server that codes it anyway has it decoded here.
"""

from __future__ import annotations

import email.message
import hashlib
import http
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import urljoin

from urllib3 import HTTPConnectionPool, HTTPResponse
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    InvalidHeader,
    NewConnectionError,
)
from urllib3.util import Retry

from .connections import (
    Connections,
    Connector,
    Deadline,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    Resolver,
    check_target,
    checked_pool,
    connection_failure,
    hop_timeout,
    system_connector,
    system_resolver,
    watchdog,
)
from .urls import HttpTarget, InvalidURL, parse_http_url

__all__ = [
    "Connector",
    "Exchange",
    "FetchFailed",
    "FetchPolicy",
    "FetchRefused",
    "FetchResult",
    "Resolver",
    "fetch",
    "system_connector",
    "system_resolver",
]

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


@dataclass
class Exchange:
    """One hop of a fetch: the request as sent and the response as received (body decoded, see above)."""

    url: str
    ip: str
    """The address the connection went to (the checked one, never a second DNS answer)."""
    requested_at: datetime
    request_target: str
    request_headers: list[tuple[str, str]]
    http_version: str
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    body: IO[bytes] = field(repr=False)
    """The body from its start; the final hop's is the fetch's `body`."""
    body_size: int
    body_sha256: str


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
    exchanges: list[Exchange] = field(default_factory=list, repr=False)
    """Every hop, the redirects first and the final response last."""

    def close_redirects(self) -> None:
        """Close the redirect hops' bodies (the final body belongs to the caller)."""
        for exchange in self.exchanges:
            if exchange.body is not self.body:
                exchange.body.close()


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


def _request_headers(target: HttpTarget, policy: FetchPolicy) -> dict[str, str]:
    return {
        "Host": target.netloc,
        "User-Agent": policy.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
        "Accept-Encoding": "identity",
    }


def _http_version(response: HTTPResponse) -> str:
    return {9: "HTTP/0.9", 10: "HTTP/1.0", 20: "HTTP/2"}.get(response.version, "HTTP/1.1")


def _exchange(
    target: HttpTarget, ip: str, requested_at: datetime, policy: FetchPolicy, response: HTTPResponse, body: IO[bytes]
) -> Exchange:
    """The hop as sent and received, its body still to be read into `body`."""
    return Exchange(
        url=target.url,
        ip=ip,
        requested_at=requested_at,
        request_target=target.request_target,
        request_headers=list(_request_headers(target, policy).items()),
        http_version=_http_version(response),
        status=response.status,
        reason=response.reason or "",
        response_headers=list(response.headers.items()),
        body=body,
        body_size=0,
        body_sha256="",
    )


def _open(
    target: HttpTarget,
    ip: str,
    policy: FetchPolicy,
    deadline: Deadline,
    connections: Connections,
) -> tuple[HTTPConnectionPool, HTTPResponse]:
    timeout = hop_timeout(policy, deadline, target.host)
    pool = checked_pool(target, ip, policy, timeout, connections)
    headers = _request_headers(target, policy)
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


def _stream_body(
    response: HTTPResponse,
    host: str,
    sink: IO[bytes],
    policy: FetchPolicy,
    deadline: Deadline,
    connections: Connections,
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
            if deadline.reached(connections):
                raise deadline.failure(host) from exc
            raise connection_failure(exc, host, policy) from exc
        if deadline.reached(connections):
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
    deadline = Deadline(policy.total_deadline)
    connections = Connections(connector or system_connector)
    chain: list[dict[str, Any]] = []
    exchanges: list[Exchange] = []
    current = url
    own_sink = sink is None
    body: IO[bytes] = _spool() if sink is None else sink
    try:
        with watchdog(deadline, connections):
            while True:
                try:
                    target = parse_http_url(current)
                except InvalidURL as exc:
                    raise FetchRefused(f"Refused: {exc}") from exc
                addresses = check_target(target, policy, resolver)
                requested_at = datetime.now(UTC)
                pool, response, ip = _connect_any(target, addresses, policy, deadline, connections)
                try:
                    status = response.status
                    location = response.headers.get("location")
                    redirect = status in REDIRECT_STATUSES and bool(location)
                    exchange = _exchange(target, ip, requested_at, policy, response, _spool() if redirect else body)
                    exchanges.append(exchange)
                    if redirect and location:
                        chain.append({"url": target.url, "status": status})
                        if len(chain) > policy.max_redirects:
                            raise FetchRefused(
                                f"Refused: more than {policy.max_redirects} redirects starting from {url}."
                            )
                        _read_into(exchange, response, target, policy, deadline, connections)
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
                    _read_into(exchange, response, target, policy, deadline, connections)
                    content_type, charset = _content_type(response.headers.get("content-type"))
                    return FetchResult(
                        requested_url=url,
                        final_url=target.url,
                        redirect_chain=chain,
                        status_code=status,
                        content_type=content_type,
                        charset=charset,
                        size=exchange.body_size,
                        raw_size=response.tell(),
                        sha256=exchange.body_sha256,
                        started_at=started_at,
                        duration_seconds=time.monotonic() - (deadline.at - deadline.seconds),
                        headers={name: response.headers[name] for name in KEPT_HEADERS if name in response.headers},
                        body=body,
                        retry_after=retry_after,
                        exchanges=exchanges,
                    )
                finally:
                    response.close()
                    pool.close()
    except BaseException:
        for exchange in exchanges:
            if exchange.body is not body:
                exchange.body.close()
        if own_sink:
            body.close()
        raise


def _read_into(
    exchange: Exchange,
    response: HTTPResponse,
    target: HttpTarget,
    policy: FetchPolicy,
    deadline: Deadline,
    connections: Connections,
) -> None:
    """Stream the hop's body into its file, rewound, with its size and SHA-256."""
    size, _raw_size, digest = _stream_body(response, target.host, exchange.body, policy, deadline, connections)
    exchange.body.seek(0)
    exchange.body_size, exchange.body_sha256 = size, digest


def _connect_any(
    target: HttpTarget,
    addresses: list[str],
    policy: FetchPolicy,
    deadline: Deadline,
    connections: Connections,
) -> tuple[HTTPConnectionPool, HTTPResponse, str]:
    """Try each checked address in turn until one accepts the connection; returns the address too."""
    for index, ip in enumerate(addresses):
        try:
            return (*_open(target, ip, policy, deadline, connections), ip)
        except (NewConnectionError, ConnectTimeoutError) as exc:
            if deadline.reached(connections):
                raise deadline.failure(target.host) from exc
            if index == len(addresses) - 1:
                raise connection_failure(exc, target.host, policy) from exc
        except HTTPError as exc:
            if deadline.reached(connections):
                raise deadline.failure(target.host) from exc
            raise connection_failure(exc, target.host, policy) from exc
    raise FetchFailed(f"Could not connect to {target.host}.", retryable=True)
