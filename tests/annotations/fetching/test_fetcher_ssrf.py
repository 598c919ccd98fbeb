"""Server-side request forgery: every case is refused before any connection.

Transport behaviour (redirects, limits, deadlines, retries, TLS) is in test_fetcher.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from annotations.fetching import FetchPolicy, FetchRefused, fetch

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
