from annotations.anchoring import Block, Mark, ReaderDocument, reader_document, render_reading_html
from tests.annotations.anchoring.conftest import block_texts


def test_script_in_source_is_escaped() -> None:
    for source_format in ("markdown", "text"):
        html = render_reading_html(reader_document('Hi <script>alert("x")</script> & bye', source_format))
        assert "<script" not in html
        assert "&lt;script&gt;" in html or source_format == "markdown"


def test_markdown_raw_html_is_dropped_but_text_kept() -> None:
    html = render_reading_html(reader_document("a <img src=x onerror=alert(1)> b <b>c</b>", "markdown"))
    assert "<img" not in html and "onerror" not in html.replace("&lt;", "")
    assert "<b>" not in html


def test_unsafe_hrefs_are_dropped() -> None:
    source = "[one](javascript:alert(1)) [two](https://ok.example/) [three](ftp://x) [four](mailto:a@b.c)"
    html = render_reading_html(reader_document(source, "markdown"))
    parsed = block_texts(html)
    assert parsed.hrefs == ["https://ok.example/", "mailto:a@b.c"]
    assert 'rel="noopener nofollow ugc"' in html
    doc = ReaderDocument("x", (Block("paragraph", 0, 1),), (Mark("link", 0, 1, " java\tscript:alert(1)"),))
    assert "href" not in render_reading_html(doc)


def test_href_attribute_is_escaped() -> None:
    doc = ReaderDocument("x", (Block("paragraph", 0, 1),), (Mark("link", 0, 1, 'https://e.x/"><script>'),))
    html = render_reading_html(doc)
    assert "<script>" not in html
    assert 'href="https://e.x/&quot;&gt;&lt;script&gt;"' in html


def test_overlapping_marks_are_split_into_valid_nesting() -> None:
    doc = ReaderDocument(
        "abcdef",
        (Block("paragraph", 0, 6),),
        (Mark("em", 0, 4), Mark("strong", 2, 6), Mark("link", 1, 3, "https://e.x/")),
    )
    html = render_reading_html(doc)
    assert html == (
        '<p data-start="0" data-end="6"><em>a<a href="https://e.x/" rel="noopener nofollow ugc">b'
        "<strong>c</strong></a><strong>d</strong></em><strong>ef</strong></p>"
    )
    assert block_texts(html).blocks == [(0, 6, "abcdef")]


def test_blocks_carry_code_point_offsets() -> None:
    doc = reader_document("# 😀 Title\n\n- item\n\n> quote\n\nend", "markdown")
    html = render_reading_html(doc)
    assert html.startswith('<h2 data-start="0" data-end="7">😀 Title</h2><ul><li data-start="9"')
    assert '<blockquote data-start="15" data-end="20" data-level="1">quote</blockquote>' in html
    assert html.endswith('<p data-start="22" data-end="25">end</p>')
