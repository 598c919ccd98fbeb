"""Which network addresses the fetcher may connect to.

The workbench fetches links that anyone on a team can paste, so it must never
be turned into a way to reach the machines around it (server-side request
forgery): loopback, the private network, cloud metadata services, and the
IPv6 forms that smuggle such an IPv4 address inside them.
"""

from __future__ import annotations

import ipaddress
import re

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_METADATA = ipaddress.IPv4Address("169.254.169.254")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_TEREDO = ipaddress.IPv6Network("2001::/32")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NOT_PUBLIC_V4 = tuple(
    ipaddress.IPv4Network(net)
    for net in (
        "0.0.0.0/8",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "240.0.0.0/4",
    )
)
_NOT_PUBLIC_V6 = tuple(
    ipaddress.IPv6Network(net) for net in ("100::/64", "2001:db8::/32", "fc00::/7", "fec0::/10", "3fff::/20")
)

_NUMBER_PART = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)$")


def _parse_ipv4_part(part: str) -> int:
    if part[:2] in ("0x", "0X"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part, 10)


def ends_in_number(host: str) -> bool:
    """Whether a host would be read as an IPv4 address by URL parsers and resolvers."""
    labels = host.rstrip(".").split(".")
    return bool(labels) and bool(_NUMBER_PART.match(labels[-1]))


def parse_host_literal(host: str) -> IPAddress | None:
    """The address a host names directly, in any form `inet_aton` accepts.

    Resolvers turn "2130706433", "0177.0.0.1", "0x7f.1" and "127.1" into
    127.0.0.1 without asking DNS, so such hosts must be checked as addresses.
    Returns None for host names. Raises ValueError for a host that ends in a
    number but is not a valid address (browsers refuse those too).
    """
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        return ipaddress.IPv6Address(text.split("%", 1)[0])
    if not ends_in_number(text):
        return None
    parts = text.rstrip(".").split(".") if text != "." else []
    if not 1 <= len(parts) <= 4 or not all(_NUMBER_PART.match(p) for p in parts):
        raise ValueError(f"{host!r} looks like a numeric address but is not a valid one.")
    try:
        numbers = [_parse_ipv4_part(p) for p in parts]
    except ValueError as exc:
        raise ValueError(f"{host!r} looks like a numeric address but is not a valid one.") from exc
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        raise ValueError(f"{host!r} looks like a numeric address but is not a valid one (a part is out of range).")
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _as_address(ip: IPAddress | str) -> IPAddress:
    if isinstance(ip, str):
        return ipaddress.ip_address(ip.strip("[]").split("%", 1)[0])
    return ip


def _embedded_ipv4(
    ip: ipaddress.IPv6Address,
) -> tuple[str, ipaddress.IPv4Address] | None:
    if ip.ipv4_mapped is not None:
        return "an IPv4-mapped", ip.ipv4_mapped
    if ip.sixtofour is not None:
        return "a 6to4", ip.sixtofour
    if ip in _NAT64:
        return "a NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(ip: IPAddress | str) -> str | None:
    """Why the fetcher must not connect to this address, or None if it is public.

    The answer completes a sentence: "... resolves to 10.0.0.5, <answer>."
    """
    address = _as_address(ip)
    if address.is_unspecified:
        return "an unspecified address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            form, inner = embedded
            problem = address_problem(inner)
            if problem is not None:
                return f"{form} form of {inner}, {problem}"
            if form == "an IPv4-mapped":
                return None
        if address in _NAT64_LOCAL:
            return "a local NAT64 address"
        if address in _TEREDO:
            return "a Teredo tunnel address"
        if address in _IPV4_COMPATIBLE and not address.is_loopback:
            return "a deprecated IPv4-compatible address"
        if address.is_site_local:
            return "a site-local address"
        if any(address in net for net in _NOT_PUBLIC_V6):
            return "a private or documentation address"
    else:
        if address == _METADATA:
            return "the cloud metadata service address"
        if address in _CGNAT:
            return "a carrier-grade NAT (shared) address"
        if address == ipaddress.IPv4Address("255.255.255.255"):
            return "the broadcast address"
        if any(address in net for net in _NOT_PUBLIC_V4):
            return "a reserved address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private:
        return "a private address"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "not a public address"
    return None


def is_public_address(ip: IPAddress | str) -> bool:
    """Whether the fetcher may connect to this address."""
    return address_problem(ip) is None
