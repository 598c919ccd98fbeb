from __future__ import annotations

import io

import pypdf
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from annotations.extraction import clean_text, extract

ARTICLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Parliament passes budget | Daily Example</title>
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2021-12-24T10:00:00Z">
<meta property="og:title" content="Parliament passes budget">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Parliament passes budget</h1>
<p class="byline">By Jane Reporter</p>
<p>The parliament approved a defence budget of $770 billion on Friday, the largest in a decade,
after a long debate that ran late into the night and involved many amendments.</p>
<p>Officials said 6,000 troops would be deployed, and that spending would rise by 12% next year
according to the finance ministry, which published its projections in a separate report.</p>
<p>Critics called the plan "a blank cheque for the generals" and promised to challenge it
in the courts, arguing that the vote had been rushed through without proper scrutiny.</p>
</article>
<footer>Copyright Daily Example</footer>
</body></html>
"""


def _pdf(pages: list[str]) -> bytes:
    writer = pypdf.PdfWriter()
    for text in pages:
        page = writer.add_blank_page(width=612, height=792)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    writer.add_metadata({"/Title": "Annual report", "/Author": "Finance Ministry"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_html_article_main_text_and_metadata() -> None:
    result = extract(
        io.BytesIO(ARTICLE.encode()),
        content_type="text/html",
        charset="utf-8",
        url="https://news.example/budget",
    )
    assert result.state == "extracted", result.reason
    assert result.title == "Parliament passes budget"
    assert result.byline == "Jane Reporter"
    assert result.published == "2021-12-24"
    assert "$770 billion" in result.text
    assert "blank cheque" in result.text
    assert "Copyright" not in result.text
    assert result.pages == []


def test_html_without_declared_charset_is_detected() -> None:
    result = extract(
        io.BytesIO(ARTICLE.replace("approved", "approuvé").encode("utf-8")),
        content_type="text/html",
        charset=None,
        url="https://news.example/budget",
    )
    assert result.state == "extracted"
    assert "approuvé" in result.text


def test_html_without_article_fails_with_reason() -> None:
    result = extract(
        io.BytesIO(b"<html><body></body></html>"),
        content_type="text/html",
        charset="utf-8",
        url="https://news.example/empty",
    )
    assert result.state == "failed"
    assert "No article text" in result.reason


def test_pdf_text_by_page() -> None:
    data = _pdf(["First page about 770 billion", "Second page about 6000 troops"])
    result = extract(io.BytesIO(data), content_type="application/pdf", charset=None, url="")
    assert result.state == "extracted", result.reason
    assert len(result.pages) == 2
    assert "First page about 770 billion" in result.pages[0]
    assert "Second page" in result.pages[1]
    assert result.text.index("First") < result.text.index("Second")
    assert result.title == "Annual report"
    assert result.byline == "Finance Ministry"


def test_broken_pdf_fails_with_reason() -> None:
    result = extract(io.BytesIO(b"%PDF-1.4 not really"), content_type="application/pdf", charset=None, url="")
    assert result.state == "failed"
    assert result.reason


def test_plain_text_is_decoded_as_is() -> None:
    result = extract(
        io.BytesIO("Ligne un\r\nLigne deux — fin".encode("latin-1", errors="replace")),
        content_type="text/plain",
        charset="latin-1",
        url="",
    )
    assert result.state == "extracted"
    assert result.text == "Ligne un\nLigne deux ? fin"


def test_image_is_not_extracted() -> None:
    result = extract(io.BytesIO(b"\x89PNG\r\n\x1a\n"), content_type="image/png", charset=None, url="")
    assert result.state == "not_extracted"
    assert "image/png" in result.reason


def test_control_characters_stripped() -> None:
    result = extract(
        io.BytesIO("a\x00b\x07c\td\ne\x1bf\x85g\x9fh\x7fi".encode()),
        content_type="text/plain; charset=utf-8",
        charset="utf-8",
        url="",
    )
    assert result.text == "abc\td\nefghi"
    assert clean_text(None) == ""


def test_unknown_charset_falls_back_to_utf8() -> None:
    result = extract(io.BytesIO("café".encode()), content_type="text/plain", charset="x-bogus", url="")
    assert result.text == "café"
