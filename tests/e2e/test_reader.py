"""The reading view in headless Chromium: marking claims with the mouse and the keyboard, exact
code-point offsets in hard text, the claim panel, live updates and revisions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Article, Claim, Source, Verdict
from annotations.services.articles import article_revise
from annotations.services.claims import claim_create
from annotations.services.demo import demo_seed
from annotations.services.verdicts import verdict_propose
from tests.e2e.helpers import all_marks_text, marks_text, select_span, visible_text, wait_ready
from tests.factories import TEST_PASSWORD, rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def span_of(text: str, quote: str, after: str = "") -> tuple[int, int]:
    """Python's code-point offsets of `quote` (first occurrence after `after`)."""
    start = text.index(quote, text.index(after) if after else 0)
    return start, start + len(quote)


def mark_with_mouse(page: Page, article: Article, span: tuple[int, int], *, key: bool) -> Claim:
    """Select `span` by dragging the mouse, mark it (key `c` or the button), return the stored claim."""
    before = set(Claim.objects.filter(article=article).values_list("pk", flat=True))
    select_span(page, *span)
    if key:
        page.keyboard.press("c")
    else:
        page.get_by_role("button", name="Mark claim", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    claim = Claim.objects.filter(article=article).exclude(pk__in=before).get()
    expect(page.locator(f"#article-text mark.claim[data-claim-id='{claim.pk}']").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    return claim


def assert_marks_cover_exactly(page: Page, article: Article, claims: list[Claim]) -> None:
    for claim in claims:
        assert marks_text(page, claim.pk) == visible_text(article.layout, claim.start, claim.end), claim.exact


# Hard spans of the Unicode corpus article: (quote, text it follows, mark with the `c` key?).
UNICODE_SPANS = [
    ("The family \U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 that runs", True),  # ZWJ sequence
    ("Jos\xe9 Mar\xed\u0301a", False),  # combining accent
    ("\u5927\u962a\u5e02 (Osaka)", True),  # CJK
    ("\u0627\u0644\u0645\u064a\u0646\u0627\u0621 \u0633\u064a\u0636\u0627\u0639\u0641", False),  # Arabic (RTL)
    ("\u05d7\u05ea\u05de\u05d4 \u05e2\u05dc", True),  # Hebrew (RTL)
    ("members \U0001f1ea\U0001f1fa claimed that \u201cnot one new bus\u201d was ordered", False),  # flag, emphasis
    ("see its statement", True),  # across a link
    ("did not confirm the figures; see its statement.\n\nZero\u200bwidth spaces, soft\xadhyphens", False),
    ("\U0001d53c[x] sit", True),  # astral-plane letter
    ("rents rose 14\u202f% in a year", False),  # narrow no-break space
    ("\u20ac1.2\xa0billion", True),  # no-break space, if the article has one
]


def test_reviewer_logs_in_marks_hard_spans_and_records_a_source_and_verdict(
    new_context, reviewer, team, corpus_articles, artifacts_dir
):
    article = corpus_articles["harbour-budget-unicode.md"]
    page = new_context().new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill(reviewer.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page.get_by_role("link", name=article.title, exact=True)).to_be_visible()
    page.get_by_role("link", name=article.title, exact=True).click()
    wait_ready(page)

    text = article.text
    claims = []
    for quote, key in UNICODE_SPANS:
        if quote not in text:
            assert "\xa0" in quote, quote  # only the NBSP variant may be absent
            quote = quote.replace("\xa0", " ")
        span = span_of(text, quote)
        claim = mark_with_mouse(page, article, span, key=key)
        assert (claim.start, claim.end) == span, quote
        assert claim.exact == text[span[0] : span[1]]
        assert claim.prefix == text[max(0, span[0] - 32) : span[0]] and claim.suffix == text[span[1] : span[1] + 32]
        claims.append(claim)

    # The sidebar lists them in document order.
    listed = page.locator("#claim-list button.claim-item").evaluate_all("(bs) => bs.map((b) => +b.dataset.claimId)")
    assert listed == [c.pk for c in sorted(claims, key=lambda c: (c.start, -c.end))]

    # A source and a verdict through the claim panel.
    target = claims[0]
    page.locator(f"#claim-list button.claim-item[data-claim-id='{target.pk}']").click()
    dialog = page.get_by_role("dialog", name=f"Claim #{target.pk}")
    expect(dialog).to_be_visible()
    dialog.get_by_role("textbox", name="Claimant").fill("The bakery")
    dialog.get_by_role("button", name="Save claim").click()
    expect(page.locator("#reader-status")).to_have_text("Claim saved.")
    dialog.get_by_role("textbox", name="Source URL").fill("https://example.org/bakery-report")
    dialog.get_by_role("textbox", name="Note").fill("Family bakery, interview")
    dialog.get_by_role("combobox", name="Stance").select_option("refutes")
    dialog.get_by_role("button", name="Add source").click()
    expect(dialog.locator("li.source")).to_contain_text("example.org/bakery-report")
    expect(dialog.locator("li.source .fetch-status")).to_contain_text("Fetch:")
    dialog.get_by_role("combobox", name="Rating").select_option(label="Mostly false")
    dialog.get_by_role("textbox", name="Summary").fill("The family runs a newer bakery.")
    dialog.get_by_role("textbox", name="Rationale").fill("Register of companies, 2019.")
    dialog.get_by_role("button", name="Save verdict").click()
    expect(dialog.locator(".current-verdict")).to_contain_text("Mostly false")
    expect(page.locator(f"#claim-list button[data-claim-id='{target.pk}'] .rating")).to_have_text("Mostly false")
    source = Source.objects.get(claim=target)
    assert (source.url, source.stance, source.note) == (
        "https://example.org/bakery-report",
        "refutes",
        "Family bakery, interview",
    )
    verdict = Verdict.objects.get(claim=target, is_current=True)
    assert verdict.rating.label == "Mostly false" and verdict.summary == "The family runs a newer bakery."
    target.refresh_from_db()
    assert target.claimant == "The bakery"
    page.keyboard.press("Escape")

    # After a reload every highlight covers exactly the selected text.
    page.reload()
    wait_ready(page)
    assert_marks_cover_exactly(page, article, claims)
    assert page.locator("#article-text mark.claim-nested").count() >= 1  # the cross-paragraph claim nests one
    page.screenshot(path=str(artifacts_dir / "reader-unicode-article.png"), full_page=True)


def test_demo_and_nato_articles_highlight_exactly(login_page, team, reviewer, corpus_articles, artifacts_dir):
    seed = demo_seed(password="demo-pass-123")
    demo_page = login_page(seed.article.created_by)
    demo_page.goto(f"/articles/{seed.article.pk}/")
    wait_ready(demo_page)
    seeded = list(Claim.objects.filter(article=seed.article))
    assert len(seeded) == 2
    assert_marks_cover_exactly(demo_page, seed.article, seeded)
    text = seed.article.text
    across = (text.index("Roughly 1,200 homes"), text.index("Tomás Reyes") + len("Tomás Reyes"))
    claim = mark_with_mouse(demo_page, seed.article, across, key=True)
    assert (claim.start, claim.end) == across
    link = span_of(text, "cover 40% of the cost, according to the infrastructure")
    claim2 = mark_with_mouse(demo_page, seed.article, link, key=False)
    assert (claim2.start, claim2.end) == link
    demo_page.reload()
    wait_ready(demo_page)
    assert_marks_cover_exactly(demo_page, seed.article, [*seeded, claim, claim2])
    demo_page.screenshot(path=str(artifacts_dir / "reader-demo-article.png"), full_page=True)

    nato = corpus_articles["nato-buildup-2021-12-24.md"]
    page = login_page(reviewer)
    page.goto(f"/articles/{nato.pk}/")
    wait_ready(page)
    marked = []
    for quote in ("$770 billion", "6,000 troops", "within just five days"):
        if quote not in nato.text:
            continue
        span = span_of(nato.text, quote)
        claim = mark_with_mouse(page, nato, span, key=True)
        assert (claim.start, claim.end) == span
        marked.append(claim)
    assert marked, "the NATO article holds its figures"
    # Across an italic or linked run: from the word before an inline mark to the word after it.
    layout_marks = [m for m in nato.layout["marks"] if m[0] in ("em", "link", "strong")]
    kind, mark_start, mark_end, _href = layout_marks[0]
    span = (max(0, mark_start - 6), min(len(nato.text), mark_end + 6))
    while nato.text[span[0]].isspace():
        span = (span[0] + 1, span[1])
    while nato.text[span[1] - 1].isspace():
        span = (span[0], span[1] - 1)
    claim = mark_with_mouse(page, nato, span, key=False)
    assert (claim.start, claim.end) == span, kind
    marked.append(claim)
    page.reload()
    wait_ready(page)
    assert_marks_cover_exactly(page, nato, marked)
    assert demo_page.js_errors == [] and page.js_errors == []


UNNAMED_CONTROL = re.compile(r"^\s*- (button|textbox|combobox|checkbox|radio|spinbutton|link)\s*(\[.*\])?:?\s*$")


def test_keyboard_only_flow_with_labelled_controls(login_page, team, reviewer):
    seed = demo_seed(password="demo-pass-123")
    page = login_page(seed.article.created_by)
    page.goto(f"/articles/{seed.article.pk}/")
    wait_ready(page)
    first, second = Claim.objects.filter(article=seed.article).order_by("start")
    expect(page.get_by_role("region", name="Article text")).to_be_visible()
    expect(page.get_by_role("complementary", name="Claims")).to_be_visible()

    # Next / previous claim keys move the focus through the claims in document order.
    page.locator("body").press("n")
    expect(page.locator(f"#claim-list button[data-claim-id='{first.pk}']")).to_be_focused()
    page.keyboard.press("n")
    expect(page.locator(f"#claim-list button[data-claim-id='{second.pk}']")).to_be_focused()
    expect(page.locator(f"#article-text mark.claim.active[data-claim-id='{second.pk}']").first).to_be_visible()
    page.keyboard.press("p")
    expect(page.locator(f"#claim-list button[data-claim-id='{first.pk}']")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#claim-list button[data-claim-id='{second.pk}']")).to_be_focused()

    # Enter opens the claim; Tab reaches the panel's labelled fields; Escape closes and returns focus.
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=f"Claim #{second.pk}")
    expect(dialog).to_be_visible()
    expect(dialog).to_be_focused()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('name')") == "restated":
            break
    expect(dialog.get_by_role("textbox", name="Claim as restated")).to_be_focused()
    page.keyboard.type("Each household pays €400 a year.")
    for _ in range(10):  # claimant, the date's day/month/year fields, priority
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Save claim":
            break
    expect(dialog.get_by_role("button", name="Save claim")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#reader-status")).to_have_text("Claim saved.")
    second.refresh_from_db()
    assert second.restated == "Each household pays €400 a year."
    for role, name in [
        ("textbox", "Claimant"),
        ("textbox", "Claim date"),
        ("combobox", "Priority"),
        ("textbox", "Source URL"),
        ("combobox", "Stance"),
        ("combobox", "Rating"),
        ("textbox", "Summary"),
        ("textbox", "Comment"),
        ("button", "Add source"),
        ("button", "Save verdict"),
        ("button", "Add comment"),
        ("button", "Delete claim"),
        ("button", "Close claim panel"),
    ]:
        expect(dialog.get_by_role(role, name=name, exact=True)).to_have_count(1)
    unnamed = [line for line in page.locator("body").aria_snapshot().splitlines() if UNNAMED_CONTROL.match(line)]
    assert unnamed == []
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#claim-list button[data-claim-id='{second.pk}']")).to_be_focused()

    # A claim marked by keyboard alone: the quote field.
    page.get_by_role("textbox", name="Quote to mark as a claim").focus()
    page.keyboard.type("flood damage has tripled since 2010")
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    claim = Claim.objects.get(article=seed.article, exact="flood damage has tripled since 2010")
    start = seed.article.text.index("flood damage has tripled since 2010")
    assert (claim.start, claim.end) == (start, start + len(claim.exact))

    # Comment and delete with a confirmation, by keyboard.
    page.get_by_role("textbox", name="Comment").focus()
    page.keyboard.type("Check the insurers' figures.")
    page.get_by_role("button", name="Add comment").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog").locator("ul.comments")).to_contain_text("Check the insurers' figures.")
    page.get_by_role("button", name="Delete claim").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Yes, delete this claim")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.locator(f"#article-text mark[data-claim-id='{claim.pk}']")).to_have_count(0)
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_other_users_claims_appear_without_reload(login_page, team, reviewer, editor, corpus_articles):
    article = corpus_articles["harbour-budget-unicode.md"]
    watching = login_page(reviewer)
    watching.goto(f"/articles/{article.pk}/")
    wait_ready(watching)
    marking = login_page(editor)
    marking.goto(f"/articles/{article.pk}/")
    wait_ready(marking)
    claim = mark_with_mouse(marking, article, span_of(article.text, "2.4 million riders a day"), key=True)
    expect(watching.locator(f"#article-text mark.claim[data-claim-id='{claim.pk}']")).to_have_count(1, timeout=8000)
    expect(watching.locator(f"#claim-list button[data-claim-id='{claim.pk}']")).to_contain_text("2.4 million riders")
    assert marks_text(watching, claim.pk) == "2.4 million riders a day"


def test_revision_reanchors_and_lists_orphans_apart(login_page, team, editor, corpus_articles):
    article = corpus_articles["harbour-budget-unicode.md"]
    page = login_page(editor)
    page.goto(f"/articles/{article.pk}/")
    wait_ready(page)
    kept = mark_with_mouse(page, article, span_of(article.text, "大阪市 (Osaka)"), key=True)
    lost = mark_with_mouse(page, article, span_of(article.text, "rents rose 14\u202f% in a year"), key=True)
    page.get_by_role("link", name="Edit text").click()
    source = page.get_by_role("textbox", name="Article text or Markdown")
    new_source = "A new lead paragraph.\n\n" + article.source.replace("rents rose 14\u202f% in a year", "rents fell")
    source.fill(new_source)
    page.get_by_role("button", name="Save new revision").click()
    wait_ready(page)
    expect(page.get_by_role("status").first).to_contain_text("revision 2")
    article.refresh_from_db()
    kept.refresh_from_db()
    lost.refresh_from_db()
    assert kept.anchor_outcome == "moved" and article.text[kept.start : kept.end] == "大阪市 (Osaka)"
    assert lost.anchor_outcome == "orphan" and lost.start is None
    assert marks_text(page, kept.pk) == "大阪市 (Osaka)"
    assert page.js_errors == []
    orphans = page.get_by_role("region", name="Orphaned claims")
    expect(orphans).to_contain_text("rents rose 14\u202f%")
    expect(page.locator(f"#article-text mark[data-claim-id='{lost.pk}']")).to_have_count(0)
    # A revision saved elsewhere: the live update's highlights count in it, so the page follows it
    # and draws every claim where the server re-anchored it.
    article_revise(article=article, user=None, source="Intro.\n\n" + new_source, source_format="markdown")
    kept.refresh_from_db()
    assert kept.start is not None and article.text[kept.start : kept.end] != "大阪市 (Osaka)"
    expect(page.locator("#article-revision")).to_have_text("3", timeout=8000)
    expect(page.locator(f"#article-text mark.claim[data-claim-id='{kept.pk}']")).to_have_text("大阪市 (Osaka)")
    expect(orphans).to_contain_text("rents rose 14\u202f%")
    assert page.js_errors == []


CLAIM_LISTS = re.compile(r"/api/v1/(articles/\d+/)?claims/(\?.*)?$")


def test_the_reading_view_draws_the_highlights_and_loads_a_claim_only_when_opened(
    login_page, team, reviewer, corpus_articles
):
    article = corpus_articles["harbour-budget-unicode.md"]
    text = article.text
    quotes = [
        "The family \U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 that runs",
        "大阪市 (Osaka)",
        "see its statement",
    ]
    claims = [claim_create(article=article, user=reviewer, exact=quote) for quote in quotes]
    verdict_propose(claim=claims[1], user=reviewer, rating=rating(team, "Mostly false"), summary="No.")
    page = login_page(reviewer)
    requests: list[tuple[str, str, dict[str, str]]] = []
    page.on("request", lambda r: requests.append((r.method, r.url, r.headers)))
    with page.expect_response(lambda r: r.url.endswith(f"/api/v1/articles/{article.pk}/highlights/")) as answer:
        page.goto(f"/articles/{article.pk}/")
    wait_ready(page)
    assert answer.value.status == 200

    # Every claim is drawn over exactly its words, and listed with its rating.
    assert all_marks_text(page) == {c.pk: visible_text(article.layout, c.start, c.end) for c in claims}
    expect(page.locator(f"#claim-list button[data-claim-id='{claims[1].pk}'] .rating")).to_have_text("Mostly false")
    expect(page.locator(f"#claim-list button[data-claim-id='{claims[2].pk}'] .quote")).to_have_text("see its statement")
    # The text came once, as HTML; the reader text read back from it is the article's, code point for code point.
    read_back = """async () => {
      const { readerText } = await import("/static/js/text-map.js");
      return readerText(document.getElementById("article-text"));
    }"""
    assert page.evaluate(read_back) == text

    # A claim's full JSON is loaded when it is opened, and only then.
    claim_json = re.compile(r"/api/v1/claims/\d+/$")
    assert not [url for _, url, _ in requests if claim_json.search(url)]
    with page.expect_response(lambda r: r.url.endswith(f"/api/v1/claims/{claims[0].pk}/")):
        page.locator(f"#claim-list button.claim-item[data-claim-id='{claims[0].pk}']").click()
    dialog = page.get_by_role("dialog", name=f"Claim #{claims[0].pk}")
    expect(dialog.locator(".claim-quote")).to_have_text(claims[0].exact)
    expect(dialog).to_be_focused()

    # Live updates ask for the highlights again with their ETag: 304 while nothing changed.
    with page.expect_response(lambda r: r.url.endswith("/highlights/") and r.status == 304, timeout=8000) as polled:
        pass
    assert polled.value.request.headers["if-none-match"] == answer.value.headers["etag"]
    # A colleague's new claim comes with the next one.
    added = claim_create(article=article, user=reviewer, exact="2.4 million riders a day")
    expect(page.locator(f"#article-text mark.claim[data-claim-id='{added.pk}']")).to_have_count(1, timeout=8000)
    assert [url for method, url, _ in requests if method == "GET" and CLAIM_LISTS.search(url)] == []
    assert page.js_errors == []
