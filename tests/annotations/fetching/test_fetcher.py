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


# --- Server-side request forgery: every case is refused before any connection. ---

BLOCKED_ADDRESSES = {
    "loopback.test": "127.0.0.1",
    "loopback-other.test": "127.8.9.10",
    "ten.test": "10.1.2.3",
    "oneseventwo.test": "172.16.5.4",
    "oneseventwo-top.test": "172.31.255.254",
    "oneninetwo.test": "192.168.1.1",
    "linklocal.test": "169.254.10.10",
    "metadata.test": "169.254.169.254",
    "cgnat.test": "100.64.0.1",
    "multicast.test": "224.0.0.251",
    "unspecified.test": "0.0.0.0",
    "broadcast.test": "255.255.255.255",
    "v6-loopback.test": "::1",
    "v6-unspecified.test": "::",
    "v6-linklocal.test": "fe80::1",
    "v6-ula.test": "fd00::1",
    "v6-sitelocal.test": "fec0::1",
    "v6-multicast.test": "ff02::1",
    "mapped.test": "::ffff:127.0.0.1",
    "mapped-private.test": "::ffff:10.0.0.1",
    "sixtofour.test": "2002:a9fe:a9fe::1",
    "nat64.test": "64:ff9b::7f00:1",
    "nat64-private.test": "64:ff9b::c0a8:101",
}


@pytest.mark.parametrize(("host", "ip"), sorted(BLOCKED_ADDRESSES.items()))
def test_hosts_resolving_to_non_public_addresses_refused(
    host: str, ip: str, make_resolver: Any, forbidden_connector: Any
) -> None:
    resolver = make_resolver({host: [ip]})
    with pytest.raises(FetchRefused, match="^" + re.escape(f"Refused: {host} resolves to {ip}, ")):
        fetch(
            f"http://{host}/",
            policy=FetchPolicy(),
            resolver=resolver,
            connector=forbidden_connector,
        )


def test_any_non_public_address_among_several_refuses(make_resolver: Any, forbidden_connector: Any) -> None:
    resolver = make_resolver({"mixed.test": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(FetchRefused, match=re.escape("10.0.0.7, a private address")):
        fetch(
            "https://mixed.test/",
            policy=FetchPolicy(),
            resolver=resolver,
            connector=forbidden_connector,
        )


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "2130706433",
        "0177.0.0.1",
        "0x7f.0.0.1",
        "0x7f000001",
        "127.1",
        "017700000001",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:a9fe:a9fe]",
        "10.0.0.1",
        "0",
        "169.254.169.254",
        "0xa9.0xfe.0xa9.0xfe",
    ],
)
def test_numeric_hosts_checked_as_addresses_without_dns(
    host: str, make_resolver: Any, forbidden_connector: Any
) -> None:
    resolver = make_resolver({})
    with pytest.raises(FetchRefused, match=r"^Refused: "):
        fetch(
            f"http://{host}/",
            policy=FetchPolicy(),
            resolver=resolver,
            connector=forbidden_connector,
        )
    assert resolver.asked == []


def test_invalid_numeric_host_refused(make_resolver: Any, forbidden_connector: Any) -> None:
    with pytest.raises(FetchRefused, match="not a valid"):
        fetch(
            "http://1.2.3.999/",
            policy=FetchPolicy(),
            resolver=make_resolver({}),
            connector=forbidden_connector,
        )


def test_allowlisting_one_host_does_not_allow_another_name_for_it(
    local_server: Any, policy: FetchPolicy, make_resolver: Any, forbidden_connector: Any
) -> None:
    resolver = make_resolver({"other.test": ["127.0.0.1"]})
    with pytest.raises(FetchRefused, match="a loopback address"):
        fetch(
            local_server.url("/article", host="other.test"),
            policy=policy,
            resolver=resolver,
            connector=forbidden_connector,
        )
    assert local_server.requests == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/file", "not ftp"),
        ("file:///etc/passwd", "not file"),
        ("gopher://example.com/", "not gopher"),
        ("http:///nohost", "no host"),
        ("http://user:pw@example.com/", "user name or password"),
        ("http://example.com:22/", "port 22 is not allowed"),
        ("http://example.com:8080/", "port 8080 is not allowed"),
        ("https://example.com:99999/", "invalid port"),
    ],
)
def test_refuses_links_that_are_not_plain_http(
    url: str, message: str, make_resolver: Any, forbidden_connector: Any
) -> None:
    resolver = make_resolver({"example.com": ["93.184.216.34"]})
    with pytest.raises(FetchRefused, match=message):
        fetch(url, policy=FetchPolicy(), resolver=resolver, connector=forbidden_connector)


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
