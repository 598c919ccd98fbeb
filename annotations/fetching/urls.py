"""Parsing and normalising the links fact-checkers paste into the workbench.

One normal form lets the same article, shared with different tracking tags,
be stored and found once.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import idna

DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2000
"""The longest link stored (the URL columns' length), as written and once normalised."""
MAX_HOST_LENGTH = 253
MAX_LABEL_LENGTH = 63
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_HOST_LABEL = re.compile(r"[a-z0-9_-]+")

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


def shown(text: str, limit: int = 80) -> str:
    """`text` quoted for a message, cut to `limit` characters (input is repeated, never in full)."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def ascii_host(host: str) -> str:
    """Lower-case the host and IDNA-encode internationalised names.

    Refuses what a resolver would choke on later (in the worker, as a UnicodeError): an empty
    label ("a..b"), a label over 63 characters, a name over 253, characters no host name has.
    """
    host = host.strip().rstrip(".").lower()
    if not host:
        raise InvalidURL("The link has no host name.")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0]).compressed
        except ValueError as exc:
            raise InvalidURL(f"{shown(host)} is not a valid IPv6 address.") from exc
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise InvalidURL(f"{shown(host)} is not a valid international host name: {exc}.") from exc
    labels = host.split(".")
    if len(host) > MAX_HOST_LENGTH or any(len(label) > MAX_LABEL_LENGTH for label in labels):
        raise InvalidURL(
            f"{shown(host)} is not a valid host name: too long "
            f"(at most {MAX_LABEL_LENGTH} characters between dots, {MAX_HOST_LENGTH} in all)."
        )
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise InvalidURL(f"{shown(host)} is not a valid host name.")
    return host


def parse_http_url(url: str) -> HttpTarget:
    """Split an http(s) link, refusing anything else with a readable reason."""
    text = url.strip()
    if not text:
        raise InvalidURL("The link is empty.")
    if _CONTROL.search(text):
        raise InvalidURL("The link contains a line break or another control character.")
    if _SURROGATE.search(text):
        raise InvalidURL("The link is not valid text (it has an unpaired surrogate).")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidURL(f"The link is longer than {MAX_URL_LENGTH:,} characters.")
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise InvalidURL(f"The link {shown(text)} cannot be read: {exc}.") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        named = scheme[:20] or "no scheme"
        raise InvalidURL(f"Only http and https links are supported, not {named}.")
    if parts.username is not None or parts.password is not None:
        raise InvalidURL("Links with a user name or password are not accepted.")
    if not parts.hostname:
        raise InvalidURL("The link has no host name.")
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"The link has an invalid port: {str(exc)[:80]}.") from exc
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
    normal = urlunsplit((target.scheme, target.netloc, path, query, ""))
    if len(normal) > MAX_URL_LENGTH:
        raise InvalidURL(f"The link is longer than {MAX_URL_LENGTH:,} characters once encoded.")
    return normal
