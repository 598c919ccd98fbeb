"""Parsing and normalising the links fact-checkers paste into the workbench.

One normal form lets the same article, shared with different tracking tags,
be stored and found once.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import idna

DEFAULT_PORTS = {"http": 80, "https": 443}

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ref_src",
        "ref_url",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "spm",
    }
)
TRACKING_PREFIXES = ("utm_",)

_PATH_SAFE = "/%:@!$&'()*+,;=~-._"
_QUERY_SAFE = "/:@!$'()*,;~"


class InvalidURL(ValueError):
    """The text is not an http(s) link that can be stored or fetched."""


@dataclass(frozen=True)
class HttpTarget:
    """An http(s) link split into what is needed to connect and ask for it."""

    scheme: str
    host: str
    """ASCII host: IDNA-encoded name, dotted IPv4, or bare IPv6 (no brackets)."""
    port: int
    path: str
    query: str

    @property
    def default_port(self) -> bool:
        return DEFAULT_PORTS[self.scheme] == self.port

    @property
    def host_for_url(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host

    @property
    def netloc(self) -> str:
        """The authority as written in a URL and in the Host header."""
        if self.default_port:
            return self.host_for_url
        return f"{self.host_for_url}:{self.port}"

    @property
    def request_target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    @property
    def url(self) -> str:
        return urlunsplit((self.scheme, self.netloc, self.path, self.query, ""))


def ascii_host(host: str) -> str:
    """Lower-case the host and IDNA-encode internationalised names."""
    host = host.strip().rstrip(".").lower()
    if not host:
        raise InvalidURL("The link has no host name.")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0]).compressed
        except ValueError as exc:
            raise InvalidURL(f"{host!r} is not a valid IPv6 address.") from exc
    if host.isascii():
        if any(ch in host for ch in " /\\?#@"):
            raise InvalidURL(f"{host!r} is not a valid host name.")
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise InvalidURL(f"{host!r} is not a valid international host name: {exc}.") from exc


def parse_http_url(url: str) -> HttpTarget:
    """Split an http(s) link, refusing anything else with a readable reason."""
    text = url.strip()
    if not text:
        raise InvalidURL("The link is empty.")
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise InvalidURL(f"The link {text!r} cannot be read: {exc}.") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        shown = scheme or "no scheme"
        raise InvalidURL(f"Only http and https links are supported, not {shown}.")
    if parts.username is not None or parts.password is not None:
        raise InvalidURL("Links with a user name or password are not accepted.")
    if not parts.hostname:
        raise InvalidURL("The link has no host name.")
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"The link has an invalid port: {exc}.") from exc
    return HttpTarget(
        scheme=scheme,
        host=ascii_host(parts.hostname),
        port=DEFAULT_PORTS[scheme] if port is None else port,
        path=quote(parts.path, safe=_PATH_SAFE) or "/",
        query=parts.query,
    )


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def normalize_url(url: str) -> str:
    """The form under which an article link is stored and looked up."""
    target = parse_http_url(url)
    path = target.path.rstrip("/") or "/"
    pairs = [
        (name, value)
        for name, value in parse_qsl(target.query, keep_blank_values=True)
        if not is_tracking_parameter(name)
    ]
    pairs.sort()
    query = urlencode(pairs, quote_via=quote, safe=_QUERY_SAFE)
    return urlunsplit((target.scheme, target.netloc, path, query, ""))
