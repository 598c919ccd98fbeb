"""Transport behaviour: redirects, limits, deadlines, retries and TLS.

The address (SSRF) refusals are in test_fetcher_ssrf.py.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from dataclasses import replace
from typing import Any

import pytest

from annotations.fetching import FetchFailed, FetchPolicy, FetchRefused, fetch


def test_fetches_html_through_allowlisted_test_host(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    connect, calls = loopback_connector
    result = fetch(
        local_server.url("/article"),
        policy=policy,
        resolver=resolver,
        connector=connect,
    )
    assert result.status_code == 200
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.body.read() == local_server.article_html
    assert result.size == len(local_server.article_html)
    assert result.sha256 == hashlib.sha256(local_server.article_html).hexdigest()
    assert result.final_url == local_server.url("/article")
    assert result.redirect_chain == []
    assert result.headers["etag"] == '"v1"'
    assert calls == [("127.0.0.1", local_server.port)]
    assert resolver.asked == ["news.test"]
    # The real host name is sent, although the connection went to the checked IP.
    assert local_server.requests == [("/article", f"news.test:{local_server.port}")]


def test_fetches_pdf_into_given_sink(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    sink = io.BytesIO()
    result = fetch(
        local_server.url("/doc.pdf"),
        policy=policy,
        resolver=resolver,
        connector=loopback_connector[0],
        sink=sink,
    )
    assert result.body is sink
    assert result.content_type == "application/pdf"
    assert sink.getvalue() == local_server.pdf


def test_ip_literal_reached_only_when_allowlisted(
    local_server: Any, policy: FetchPolicy, loopback_connector: Any
) -> None:
    allowed = replace(policy, allow_private_hosts=frozenset({"127.0.0.1"}))
    result = fetch(
        local_server.url("/article", host="127.0.0.1"),
        policy=allowed,
        connector=loopback_connector[0],
    )
    assert result.status_code == 200


def test_gzip_body_is_decoded_and_both_sizes_counted(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    result = fetch(
        local_server.url("/gzip"),
        policy=policy,
        resolver=resolver,
        connector=loopback_connector[0],
    )
    assert result.body.read() == local_server.article_html
    assert result.size == len(local_server.article_html)
    assert 0 < result.raw_size != result.size


def test_follows_and_records_redirect_chain(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    result = fetch(
        local_server.url("/redirect/2"),
        policy=policy,
        resolver=resolver,
        connector=loopback_connector[0],
    )
    assert result.final_url == local_server.url("/article")
    assert result.redirect_chain == [
        {"url": local_server.url("/redirect/2"), "status": 302},
        {"url": local_server.url("/redirect/1"), "status": 302},
        {"url": local_server.url("/redirect/0"), "status": 302},
    ]
    assert resolver.asked == ["news.test"] * 4


def test_too_many_redirects_refused(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    with pytest.raises(FetchRefused, match="more than 5 redirects"):
        fetch(
            local_server.url("/redirect/9"),
            policy=policy,
            resolver=resolver,
            connector=loopback_connector[0],
        )
    assert len(local_server.requests) == 6


def test_redirect_to_private_address_refused_before_connecting(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    connect, calls = loopback_connector
    with pytest.raises(FetchRefused) as info:
        fetch(
            local_server.url("/redirect-private"),
            policy=policy,
            resolver=resolver,
            connector=connect,
        )
    assert info.value.reason == ("Refused: internal.test resolves to 10.0.0.5, a private address.")
    assert calls == [("127.0.0.1", local_server.port)]


def test_redirect_to_loopback_literal_refused_without_allowlist(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    with pytest.raises(FetchRefused, match=re.escape("127.0.0.1 is 127.0.0.1, a loopback address")):
        fetch(
            local_server.url("/redirect-loopback"),
            policy=policy,
            resolver=resolver,
            connector=loopback_connector[0],
        )
    assert [path for path, _host in local_server.requests] == ["/redirect-loopback"]


@pytest.mark.parametrize(
    ("path", "message"),
    [("/redirect-ftp", "not ftp"), ("/redirect-port", "port 8081 is not allowed")],
)
def test_redirect_scheme_and_port_rechecked(
    local_server: Any,
    policy: FetchPolicy,
    resolver: Any,
    loopback_connector: Any,
    path: str,
    message: str,
) -> None:
    with pytest.raises(FetchRefused, match=message):
        fetch(
            local_server.url(path),
            policy=policy,
            resolver=resolver,
            connector=loopback_connector[0],
        )
    assert len(local_server.requests) == 1


def test_slow_drip_fails_at_the_deadline(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    strict = replace(policy, read_timeout=1, total_deadline=0.6)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match=re.escape("longer than the 0.6 second limit")) as info:
        fetch(
            local_server.url("/drip"),
            policy=strict,
            resolver=resolver,
            connector=loopback_connector[0],
        )
    assert info.value.retryable
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("path", ["/huge", "/huge-declared", "/bomb"])
def test_oversized_bodies_refused(
    local_server: Any,
    policy: FetchPolicy,
    resolver: Any,
    loopback_connector: Any,
    path: str,
) -> None:
    sink = io.BytesIO()
    with pytest.raises(FetchRefused, match="larger than the 1 MB limit"):
        fetch(
            local_server.url(path),
            policy=policy,
            resolver=resolver,
            connector=loopback_connector[0],
            sink=sink,
        )
    assert len(sink.getvalue()) <= policy.max_bytes


def test_server_error_is_retryable(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    with pytest.raises(FetchFailed) as info:
        fetch(
            local_server.url("/error"),
            policy=policy,
            resolver=resolver,
            connector=loopback_connector[0],
        )
    assert info.value.retryable
    assert "500 Internal Server Error" in info.value.reason


def test_too_many_requests_honours_retry_after_seconds(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    with pytest.raises(FetchFailed) as info:
        fetch(
            local_server.url("/busy"),
            policy=policy,
            resolver=resolver,
            connector=loopback_connector[0],
        )
    assert info.value.retryable
    assert info.value.retry_after == 120


def test_retry_after_http_date_in_the_past_means_now(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    with pytest.raises(FetchFailed) as info:
        fetch(
            local_server.url("/busy-date"),
            policy=policy,
            resolver=resolver,
            connector=loopback_connector[0],
        )
    assert info.value.retryable
    assert info.value.retry_after == 0


def test_not_found_is_not_retryable(
    local_server: Any, policy: FetchPolicy, resolver: Any, loopback_connector: Any
) -> None:
    with pytest.raises(FetchFailed, match="404 Not Found") as info:
        fetch(
            local_server.url("/nope"),
            policy=policy,
            resolver=resolver,
            connector=loopback_connector[0],
        )
    assert not info.value.retryable


def test_unresolvable_host_fails(policy: FetchPolicy, resolver: Any, forbidden_connector: Any) -> None:
    with pytest.raises(FetchFailed, match=r"Could not find nowhere.test") as info:
        fetch(
            "http://nowhere.test/",
            policy=policy,
            resolver=resolver,
            connector=forbidden_connector,
        )
    assert not info.value.retryable


def test_connection_refused_is_retryable(policy: FetchPolicy, loopback_connector: Any) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    allowed = replace(
        policy,
        allowed_ports=frozenset({closed_port}),
        allow_private_hosts=frozenset({"127.0.0.1"}),
    )
    with pytest.raises(FetchFailed, match=re.escape("Could not connect to 127.0.0.1")) as info:
        fetch(
            f"http://127.0.0.1:{closed_port}/",
            policy=allowed,
            connector=loopback_connector[0],
        )
    assert info.value.retryable


# --- TLS: the connection goes to the checked IP but is verified against the host name. ---


def _tls_policy(tls_server: Any, *, hosts: set[str], trust: bool = True) -> FetchPolicy:
    return FetchPolicy(
        allowed_ports=frozenset({tls_server.port}),
        allow_private_hosts=frozenset(hosts),
        ca_certs=tls_server.ca_file if trust else None,
        total_deadline=5,
    )


def test_https_verified_against_real_host_name(tls_server: Any, make_resolver: Any, loopback_connector: Any) -> None:
    connect, calls = loopback_connector
    resolver = make_resolver({"secure.test": ["127.0.0.1"]})
    result = fetch(
        f"https://secure.test:{tls_server.port}/article",
        policy=_tls_policy(tls_server, hosts={"secure.test"}),
        resolver=resolver,
        connector=connect,
    )
    assert result.status_code == 200
    assert b"Budget passes" in result.body.read()
    assert calls == [("127.0.0.1", tls_server.port)]


def test_https_certificate_for_another_name_fails(tls_server: Any, make_resolver: Any, loopback_connector: Any) -> None:
    resolver = make_resolver({"other.test": ["127.0.0.1"]})
    with pytest.raises(FetchFailed, match="could not be verified") as info:
        fetch(
            f"https://other.test:{tls_server.port}/article",
            policy=_tls_policy(tls_server, hosts={"other.test"}),
            resolver=resolver,
            connector=loopback_connector[0],
        )
    assert not info.value.retryable


def test_https_untrusted_certificate_fails(tls_server: Any, make_resolver: Any, loopback_connector: Any) -> None:
    resolver = make_resolver({"secure.test": ["127.0.0.1"]})
    with pytest.raises(FetchFailed, match="could not be verified"):
        fetch(
            f"https://secure.test:{tls_server.port}/article",
            policy=_tls_policy(tls_server, hosts={"secure.test"}, trust=False),
            resolver=resolver,
            connector=loopback_connector[0],
        )
