from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.fetching import address_problem, is_public_address, parse_host_literal


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.255.0.3", "a loopback address"),
        ("10.0.0.5", "a private address"),
        ("172.16.0.1", "a private address"),
        ("172.31.255.255", "a private address"),
        ("192.168.0.10", "a private address"),
        ("169.254.1.1", "a link-local address"),
        ("169.254.169.254", "the cloud metadata service address"),
        ("100.64.0.1", "a carrier-grade NAT (shared) address"),
        ("100.127.255.254", "a carrier-grade NAT (shared) address"),
        ("224.0.0.1", "a multicast address"),
        ("239.255.255.250", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),
        ("0.1.2.3", "a reserved address"),
        ("240.0.0.1", "a reserved address"),
        ("255.255.255.255", "the broadcast address"),
        ("192.0.2.1", "a reserved address"),
        ("198.18.0.1", "a reserved address"),
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fe80::1", "a link-local address"),
        ("fc00::1", "a private or documentation address"),
        ("fd12:3456::1", "a private or documentation address"),
        ("fec0::1", "a site-local address"),
        ("ff02::1", "a multicast address"),
        ("2001:db8::1", "a private or documentation address"),
        ("::ffff:127.0.0.1", "an IPv4-mapped form of 127.0.0.1, a loopback address"),
        ("::ffff:a9fe:a9fe", "an IPv4-mapped form of 169.254.169.254, the cloud metadata"),
        ("2002:0a00:0001::", "a 6to4 form of 10.0.0.1, a private address"),
        ("64:ff9b::10.0.0.1", "a NAT64 form of 10.0.0.1, a private address"),
        ("64:ff9b:1::1", "a local NAT64 address"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a Teredo tunnel address"),
        ("::127.0.0.1", "a deprecated IPv4-compatible address"),
    ],
)
def test_non_public_addresses_named(address: str, problem: str) -> None:
    assert (address_problem(address) or "").startswith(problem)
    assert not is_public_address(address)
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "[2a00:1450::1]"],
)
def test_public_addresses_allowed(address: str) -> None:
    assert is_public_address(address)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0X7F.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("10.0x10.1", "10.16.0.1"),
        ("0", "0.0.0.0"),
        ("1.2.3.4.", "1.2.3.4"),
        ("[::1]", "::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
    ],
)
def test_host_literals_read_like_inet_aton(host: str, expected: str) -> None:
    assert parse_host_literal(host) == ipaddress.ip_address(expected)


@pytest.mark.parametrize("host", ["example.com", "news.bbc.co.uk", "1.example", "xn--bcher-kva.de"])
def test_host_names_are_not_literals(host: str) -> None:
    assert parse_host_literal(host) is None


@pytest.mark.parametrize("host", ["1.2.3.256", "256.1.1.1", "4294967296", "08.0.0.1", "1.2.3.4.5", "example.09"])
def test_numeric_looking_invalid_hosts_raise(host: str) -> None:
    with pytest.raises(ValueError):
        parse_host_literal(host)


@given(
    st.lists(
        st.one_of(
            st.integers(0, 2**32 - 1).map(str),
            st.integers(0, 2**32 - 1).map(lambda n: f"0{n:o}"),
            st.integers(0, 2**32 - 1).map(hex),
        ),
        min_size=1,
        max_size=4,
    ).map(".".join)
)
def test_parse_host_literal_agrees_with_inet_aton(host: str) -> None:
    try:
        expected = socket.inet_aton(host)
    except OSError:
        with pytest.raises(ValueError):
            parse_host_literal(host)
    else:
        parsed = parse_host_literal(host)
        assert parsed is not None
        assert parsed.packed == expected
