"""A page captured in the reader's browser: reading the capture, its size and NUL rules, and placing
the reader's selection on the text extracted from it.

Pure functions, no Django. The capture is untrusted input from any page the reader visits: every
field is checked here, and the HTML itself is never rendered, only stored and handed to the
extraction that fetched pages go through.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from annotations.anchoring import TextQuoteSelector
from annotations.anchoring.selectors import QuoteNotFound, context_similarity, occurrences, selectors_for_quote

MAX_SELECTION_CHARS = 5000
MAX_CONTEXT_CHARS = 200
_TEXT_FIELDS = {"title": 500, "byline": 200, "published": 64}
_WHITESPACE = re.compile(r"\s+")


class CaptureRefused(ValueError):
    """The capture breaks a rule; `field` names the part at fault, `too_large` marks a size refusal."""

    def __init__(self, message: str, *, field: str, too_large: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.too_large = too_large


@dataclass(frozen=True)
class Selection:
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Capture:
    """A checked capture. `html` is the serialised DOM as UTF-8 bytes, NUL characters removed
    (`nul_removed` says how many there were)."""

    url: str
    canonical_url: str
    title: str
    byline: str
    published: str
    html: bytes
    selection: Selection | None
    nul_removed: int = 0


def _http_url(value: Any, *, field: str, required: bool) -> str:
    if value in (None, "") and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise CaptureRefused("Give the page's address.", field=field)
    value = value.strip()
    if "\x00" in value or len(value) > 2000:
        raise CaptureRefused("The address is not a valid web address.", field=field)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CaptureRefused("Only pages at http or https addresses can be captured.", field=field)
    return value


def _text(value: Any, *, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CaptureRefused("Expected text.", field=field)
    if "\x00" in value:
        raise CaptureRefused("The text contains NUL characters.", field=field)
    return _WHITESPACE.sub(" ", value).strip()[:limit]


def origin_of(url: str) -> str:
    """scheme://host[:port] of an http(s) URL, the way browsers write `location.origin`."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def same_site(a: str, b: str) -> bool:
    """Whether two URLs' hosts are the same or one is a subdomain of the other (www., amp., m.)."""
    ha, hb = (urlsplit(a).hostname or "").lower(), (urlsplit(b).hostname or "").lower()
    if not ha or not hb:
        return False
    return ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha)


def read_capture(data: Any, *, max_html_bytes: int) -> Capture:
    """Check a capture as the browser sent it (a JSON object); raise CaptureRefused otherwise.

    The declared canonical URL is kept only when it is on the page's own site: a page cannot claim
    to be another site's article (and so become a revision of it).
    """
    if not isinstance(data, Mapping):
        raise CaptureRefused("Send the capture as a JSON object.", field="non_field_errors")
    url = _http_url(data.get("url"), field="url", required=True)
    canonical = _http_url(data.get("canonical_url"), field="canonical_url", required=False)
    if canonical and not same_site(canonical, url):
        canonical = ""
    html = data.get("html")
    if not isinstance(html, str) or not html.strip():
        raise CaptureRefused("The capture has no page content.", field="html")
    if len(html) > max_html_bytes:
        raise CaptureRefused(_too_large(max_html_bytes), field="html", too_large=True)
    encoded = html.encode("utf-8", errors="replace")
    if len(encoded) > max_html_bytes:
        raise CaptureRefused(_too_large(max_html_bytes), field="html", too_large=True)
    nul = encoded.count(b"\x00")
    if nul:
        encoded = encoded.replace(b"\x00", b"")
    fields = {name: _text(data.get(name), field=name, limit=limit) for name, limit in _TEXT_FIELDS.items()}
    return Capture(
        url=url,
        canonical_url=canonical,
        html=encoded,
        selection=_selection(data.get("selection")),
        nul_removed=nul,
        **fields,
    )


def _too_large(limit: int) -> str:
    return f"The captured page is larger than {limit / (1024 * 1024):g} MB; it was not kept."


def _selection(value: Any) -> Selection | None:
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        value = {"exact": value}
    if not isinstance(value, Mapping):
        raise CaptureRefused("Expected the selected text.", field="selection")
    exact = value.get("exact")
    if exact in (None, ""):
        return None
    if not isinstance(exact, str):
        raise CaptureRefused("Expected the selected text.", field="selection")
    if "\x00" in exact:
        raise CaptureRefused("The selection contains NUL characters.", field="selection")
    if len(exact) > MAX_SELECTION_CHARS:
        raise CaptureRefused(f"Select at most {MAX_SELECTION_CHARS} characters to mark as a claim.", field="selection")
    if not exact.strip():
        return None
    prefix, suffix = value.get("prefix") or "", value.get("suffix") or ""
    if not isinstance(prefix, str) or not isinstance(suffix, str) or "\x00" in prefix + suffix:
        raise CaptureRefused("The selection's context is not text.", field="selection")
    return Selection(exact=exact.strip(), prefix=prefix[-MAX_CONTEXT_CHARS:], suffix=suffix[:MAX_CONTEXT_CHARS])


def place_selection(text: str, selection: Selection) -> tuple[int, int] | None:
    """Where the reader's selection lies in the extracted `text` (code points), or None.

    The text the browser shows and the text extraction keeps differ in whitespace (line breaks,
    runs of spaces, blocks joined by blank lines), so a selection that does not occur as it is
    is looked for again with every run of whitespace standing for any run. Among several
    occurrences the one whose surroundings best match the selection's prefix and suffix wins.
    """
    try:
        _quote, position = selectors_for_quote(
            text, selection.exact, prefix=selection.prefix[-32:], suffix=selection.suffix[:32]
        )
        return position.start, position.end
    except QuoteNotFound:
        pass
    collapsed, offsets = _collapse(text)
    needle = _WHITESPACE.sub(" ", selection.exact).strip()
    if not needle:
        return None
    starts = occurrences(collapsed, needle, 0, len(collapsed))
    if not starts:
        return None
    prefix = _WHITESPACE.sub(" ", selection.prefix)[-32:]
    suffix = _WHITESPACE.sub(" ", selection.suffix)[:32]
    wanted = TextQuoteSelector(needle, prefix, suffix)

    def rank(start: int) -> tuple[float, int]:
        before, after = context_similarity(collapsed, start, start + len(needle), wanted)
        return (-(before if prefix else 0.0) - (after if suffix else 0.0), start)

    best = min(starts, key=rank)
    return offsets[best], offsets[best + len(needle) - 1] + 1


def _collapse(text: str) -> tuple[str, list[int]]:
    """`text` with each run of whitespace made one space, and each kept character's offset in `text`."""
    chars: list[str] = []
    offsets: list[int] = []
    for match in re.finditer(r"\s+|\S+", text):
        if match.group().isspace():
            chars.append(" ")
            offsets.append(match.start())
        else:
            chars.append(match.group())
            offsets.extend(range(match.start(), match.end()))
    return "".join(chars), offsets


ORIGIN_WORDS = {
    "captured": "Captured in a browser",
    "fetched": "Fetched by the server",
    "uploaded": "Uploaded as a file",
    "pasted": "Pasted in",
}


def provenance_sentence(*, origin: str, by: str, on: datetime.date | None, url: str) -> str:
    """How an article's text came in, in one sentence: "Captured in a browser by ana on 3 May 2025
    from https://…". Leave `by` empty where the person is not to be named (public pages)."""
    words = [ORIGIN_WORDS.get(origin, ORIGIN_WORDS["pasted"])]
    if by:
        words.append(f"by {by}")
    if on is not None:
        words.append(f"on {on.day} {on.strftime('%B %Y')}")
    if url and origin in ("captured", "fetched"):
        words.append(f"from {url}")
    return " ".join(words) + "."
