from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.fetching import InvalidURL, normalize_url
from annotations.fetching.urls import parse_http_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM/", "http://example.com/"),
        ("https://example.com", "https://example.com/"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a/b/", "https://example.com/a/b"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        (
            "https://example.com/a?utm_source=tw&utm_medium=social&id=4&fbclid=x&gclid=y",
            "https://example.com/a?id=4",
        ),
        (
            "https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&ref_src=twsrc&UTM_Campaign=z",
            "https://example.com/a",
        ),
        ("https://example.com/a?b=2&a=1&a=0", "https://example.com/a?a=0&a=1&b=2"),
        ("https://example.com/a?q=climate+change", "https://example.com/a?q=climate%20change"),
        ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
        ("https://EXAMPLE.com./x", "https://example.com/x"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("http://[2001:DB8::1]:80/", "http://[2001:db8::1]/"),
        ("https://example.com/?", "https://example.com/"),
    ],
)
def test_normal_form(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty"),
        ("ftp://example.com/", "not ftp"),
        ("javascript:alert(1)", "not javascript"),
        ("example.com/page", "not no scheme"),
        ("https:///path", "no host"),
        ("https://user:secret@example.com/", "user name or password"),
        ("https://example.com:port/", "invalid port"),
        ("http://[::1/", "cannot be read"),
    ],
)
def test_invalid_links_explain_why(url: str, message: str) -> None:
    with pytest.raises(InvalidURL, match=message):
        normalize_url(url)


def test_invalid_url_is_a_value_error() -> None:
    assert issubclass(InvalidURL, ValueError)


_label = st.from_regex(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?", fullmatch=True)
_host = st.lists(_label, min_size=1, max_size=3).map(".".join).map(lambda h: h + ".com")
_segment = st.text(
    st.characters(codec="utf-8", exclude_characters="/?#\\", exclude_categories=("Cs", "Cc")),
    max_size=8,
)
_param = st.tuples(
    st.sampled_from(["a", "B", "utm_source", "fbclid", "q", "page", "x y", "ü"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8),
)


@st.composite
def _urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "hTTps"]))
    host = draw(_host)
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(_segment, max_size=4)))
    trailing = draw(st.sampled_from(["", "/", "//"]))
    params = draw(st.lists(_param, max_size=4))
    query = "&".join(f"{k}={v}" for k, v in params)
    fragment = draw(st.sampled_from(["", "#top", "#"]))
    return f"{scheme}://{host}{port}/{path}{trailing}" + (f"?{query}" if query else "") + fragment


@given(_urls())
def test_normalize_url_is_idempotent(url: str) -> None:
    once = normalize_url(url)
    assert normalize_url(once) == once


@given(st.text(max_size=60))
def test_arbitrary_text_is_normalised_or_refused_clearly(text: str) -> None:
    try:
        once = normalize_url(text)
    except InvalidURL as exc:
        assert str(exc)
    else:
        assert normalize_url(once) == once


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://example.org/a\r\nSet-Cookie: x=1", "line break"),
        ("https://exa\nmple.org/", "line break"),
        ("https://example.org/\x00", "control character"),
        ("https://example.org/a\x85b", "control character"),
        ("https://example.org/\ud800", "unpaired surrogate"),
        ("https://a..b/", "not a valid host name"),
        ("https://" + "a" * 64 + ".example.org/", "too long"),
        ("https://" + ".".join(["a" * 60] * 5) + "/", "too long"),
        ("https://exa%41mple.org/", "not a valid host name"),
        ("https://ex_ample.org/", None),  # underscores occur in real host names
        ("https://xn--ls8h.example/", None),
        ("https://\u200d.example/", "international host name"),
        ("https://example.org/" + "a" * 2000, "longer than 2,000"),
        ("https://example.org/" + "ü" * 600, "once encoded"),
    ],
)
def test_links_a_resolver_or_a_header_would_choke_on_are_refused_here(url: str, message: str | None) -> None:
    """What used to be stored and then fail in the worker (UnicodeError), or be stored raw."""
    if message is None:
        assert normalize_url(url)
        return
    with pytest.raises(InvalidURL, match=message) as refused:
        normalize_url(url)
    assert len(str(refused.value)) < 300  # the link is quoted cut short, if at all


@given(st.text(max_size=60).filter(lambda t: t.strip()))
def test_a_normalised_link_is_one_a_resolver_and_a_header_accept(text: str) -> None:
    try:
        normal = normalize_url("https://" + text)
    except InvalidURL:
        return
    host = parse_http_url(normal).host
    host.encode("idna")  # what socket.getaddrinfo does with the host; must not raise
    assert not any(ord(ch) < 32 or ch == "\x7f" for ch in normal)
    assert normal.isascii() and len(normal) <= 2000
