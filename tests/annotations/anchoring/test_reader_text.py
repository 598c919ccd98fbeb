import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchoring import ReaderDocument, reader_document, render_reading_html
from tests.annotations.anchoring.conftest import CORPUS, block_texts, read_source


def assert_blocks_match_rendering(doc: ReaderDocument) -> None:
    rendered = block_texts(render_reading_html(doc))
    assert [(s, e) for s, e, _ in rendered.blocks] == [(b.start, b.end) for b in doc.blocks]
    for start, end, text in rendered.blocks:
        assert text == doc.text[start:end]
    separators = [doc.text[a.end : b.start] for a, b in zip(doc.blocks, doc.blocks[1:], strict=False)]
    assert set(separators) <= {"\n\n"}


def test_every_corpus_block_is_what_the_renderer_emits(corpus_source: str) -> None:
    doc = reader_document(corpus_source, "markdown")
    assert doc.blocks
    assert_blocks_match_rendering(doc)


def test_corpus_markup_is_gone(corpus_source: str) -> None:
    text = reader_document(corpus_source, "markdown").text
    assert "\r" not in text
    assert "*" not in text
    assert "](" not in text
    assert "\\$" not in text


def test_nato_article_unescapes_dollars_and_keeps_link_text() -> None:
    doc = reader_document(read_source(CORPUS / "nato-buildup-2021-12-24.md"), "markdown")
    assert "a record war budget of $770 billion" in doc.text
    assert "the German Sueddeutsche Zeitung, US general" in doc.text
    assert doc.text.endswith("wsws.org/contact")
    link = next(m for m in doc.marks if m.kind == "link")
    assert link.href == "http://wsws.org/contact"
    assert doc.text[link.start : link.end] == "wsws.org/contact"
    assert any(m.kind == "strong" and doc.text[m.start : m.end] == "wsws.org/contact" for m in doc.marks)
    assert "Clara Weiss\n24 December 2021" in doc.text  # hard line break
    assert doc.blocks[0].kind == "heading"


def test_harbour_article_keeps_invisible_and_astral_characters() -> None:
    doc = reader_document(read_source(CORPUS / "harbour-budget-unicode.md"), "markdown")
    for kept in [
        "\u00a0billion",
        "14\u202f%",
        "Zero\u200bwidth",
        "soft\u00adhyphens",
        "\U0001d53c[x]",
        "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
        "\U0001f1ea\U0001f1fa",
        "Mar\u00ed\u0301a",
        "大阪市",
        "«الميناء",
        "העירייה",
    ]:
        assert kept in doc.text, kept
    em = next(m for m in doc.marks if m.kind == "em")
    assert doc.text[em.start : em.end] == "“not one new bus”"
    assert "see its statement." in doc.text


def test_json_round_trip(corpus_source: str) -> None:
    doc = reader_document(corpus_source, "markdown")
    assert ReaderDocument.from_json(doc.to_json()) == doc


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown source format 'docx'"):
        reader_document("x", "docx")


def test_markdown_structure() -> None:
    doc = reader_document(
        "## Title\r\n\r\n- one *a*\n- two\n  - nested\n\n> quoted `x`\n\n```\ncode  here\n```\n", "markdown"
    )
    kinds = [(b.kind, b.level, doc.text[b.start : b.end]) for b in doc.blocks]
    assert kinds == [
        ("heading", 2, "Title"),
        ("list_item", 1, "one a"),
        ("list_item", 1, "two"),
        ("list_item", 2, "nested"),
        ("blockquote", 1, "quoted x"),
        ("code", 0, "code  here"),
    ]
    assert_blocks_match_rendering(doc)


def test_text_format_splits_on_blank_lines_and_keeps_the_rest() -> None:
    doc = reader_document("\tfirst line\r\nsame *paragraph*\r\n  \r\n\r\nsecond\u00a0one\n", "text")
    assert doc.text == "\tfirst line\nsame *paragraph*\n\nsecond\u00a0one"
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


def test_html_visible_text_only() -> None:
    doc = reader_document(
        "<html><head><title>T</title><style>p{}</style></head><body><nav>Menu</nav>"
        "<h1>Head  line</h1><p>Some   <em>emphasised\n text</em> and <a href='https://x.org'>a link</a>."
        "<script>alert(1)</script></p><div>loose <b>bold</b><br>  next line</div>"
        "<ul><li>one</li><li>two</li></ul><pre>  keep\n  spacing</pre></body></html>",
        "html",
    )
    assert doc.text == (
        "Head line\n\nSome emphasised text and a link.\n\nloose bold\nnext line\n\none\n\ntwo\n\n  keep\n  spacing"
    )
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "paragraph", "list_item", "list_item", "code"]
    assert_blocks_match_rendering(doc)


MARKDOWN_ALPHABET = st.sampled_from(
    [*list("ab *_[]()#>-`\\!<&;\n\t\r"), "\xa0", "\u200b", "\xad", "́", "😀", "🇪🇺", "大", "ع", "\u2028", "1."]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKDOWN_ALPHABET, max_size=60).map("".join), st.sampled_from(["markdown", "html", "text"]))
def test_rendered_blocks_equal_reader_text(source: str, source_format: str) -> None:
    doc = reader_document(source, source_format)
    assert "\r" not in doc.text
    assert_blocks_match_rendering(doc)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.sampled_from(["markdown", "html", "text"]))
def test_any_text_renders_consistently(source: str, source_format: str) -> None:
    assert_blocks_match_rendering(reader_document(source, source_format))
