"""The reading view's layout and highlights in headless Chromium: the article keeps a reading width
with the claim panel open, the open claim's highlight stays in view, highlights show status and
rating by colour and by cues that do not rely on colour (with a legend), overlapping highlights
stay apart, and axe-core finds no serious or critical violation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Article, Claim, ClaimStatus, Team
from annotations.services.articles import article_create
from annotations.services.claims import claim_create
from annotations.services.verdicts import verdict_propose
from tests.e2e.helpers import serious_violations, wait_ready
from tests.factories import rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAR_QUOTE = "rents rose 14 % in a year"


def long_article(team: Team, user: Any, length: int = 80) -> Article:
    """`length` paragraphs (at least 70); the seventieth holds FAR_QUOTE."""
    paragraphs = [
        f"Paragraph {n}: the council debated the harbour budget, the ferry timetable and the price of berths "
        "for a long afternoon, and the minutes record every speaker."
        for n in range(1, length + 1)
    ]
    paragraphs[69] = f"Paragraph 70: the mayor said {FAR_QUOTE}, and that the ferry carried 2.4 million riders."
    return article_create(
        team=team, user=user, title="Long minutes", source="\n\n".join(paragraphs), source_format="markdown"
    )


def box(page: Page, selector: str) -> dict[str, float]:
    return page.locator(selector).first.evaluate(
        "(e) => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; }"
    )


def assert_in_view(page: Page, selector: str) -> None:
    """The element is inside the window and not under the claim panel."""
    mark = box(page, selector)
    height = page.evaluate("window.innerHeight")
    assert mark["top"] >= 0 and mark["bottom"] <= height, (mark, height)
    panel = box(page, "#claim-panel")
    covered_sideways = panel["width"] > 0 and panel["left"] < mark["right"] and panel["top"] < mark["bottom"]
    assert not covered_sideways, (mark, panel)


def test_article_keeps_a_reading_width_and_the_open_claim_stays_in_view(login_page, team, reviewer, artifacts_dir):
    article = long_article(team, reviewer)
    far = claim_create(article=article, user=reviewer, exact=FAR_QUOTE)
    claim_create(article=article, user=reviewer, exact="Paragraph 1: the council")
    page = login_page(reviewer)
    far_mark = f"#article-text mark.claim[data-claim-id='{far.pk}']"
    widths = {}
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"/articles/{article.pk}/")
        wait_ready(page)
        # Clicking the highlight far down opens its claim; the text reflows and the highlight stays in view.
        page.locator(far_mark).first.scroll_into_view_if_needed()
        page.locator(far_mark).first.click()
        dialog = page.get_by_role("dialog", name=f"Claim #{far.pk}")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".claim-quote")).to_have_text(FAR_QUOTE)
        page.wait_for_timeout(100)  # two animation frames
        widths[width] = box(page, "#article-text")["width"]
        assert box(page, "#article-text")["right"] <= box(page, "#claim-panel")["left"]
        assert_in_view(page, far_mark)
        page.screenshot(path=str(artifacts_dir / f"reader-panel-open-{width}.png"))
        # The claim list gives way to the panel; it is back once the panel is closed.
        expect(page.get_by_role("complementary", name="Claims")).to_be_hidden()
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(page.get_by_role("complementary", name="Claims")).to_be_visible()
        assert_in_view(page, far_mark)
    assert widths[1280] >= 600 and widths[1024] >= 560, widths

    # Opened from the claim list at the top, the highlight is scrolled to; resizing the window keeps it.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(f"#claim-list button.claim-item[data-claim-id='{far.pk}']").click()
    expect(page.get_by_role("dialog", name=f"Claim #{far.pk}")).to_be_visible()
    page.wait_for_timeout(100)
    assert_in_view(page, far_mark)
    page.set_viewport_size({"width": 1100, "height": 700})
    page.wait_for_timeout(200)
    assert_in_view(page, far_mark)

    # On a narrow screen the panel is a sheet over the lower part; the highlight stays above it.
    page.set_viewport_size({"width": 700, "height": 900})
    page.wait_for_timeout(200)
    mark, panel = box(page, far_mark), box(page, "#claim-panel")
    assert mark["top"] >= 0 and mark["bottom"] <= panel["top"], (mark, panel)
    assert box(page, "#article-text")["width"] >= 600
    assert page.js_errors == []


STATUSES = [s.value for s in ClaimStatus]


def test_highlights_show_status_and_rating_by_colour_and_by_line_and_symbol(login_page, team, reviewer, artifacts_dir):
    words = [f"Claim number {n} about the harbour budget." for n in range(len(STATUSES))]
    article = article_create(
        team=team, user=reviewer, title="Statuses", source="\n\n".join(words), source_format="markdown"
    )
    claims = {}
    for status, quote in zip(STATUSES, words, strict=True):
        claim = claim_create(article=article, user=reviewer, exact=quote.removesuffix("."))
        reason = "An opinion." if status == ClaimStatus.NOT_CHECK_WORTHY else ""
        Claim.objects.filter(pk=claim.pk).update(status=status, not_check_worthy_reason=reason)
        claims[status] = claim
    verdict_propose(claim=claims["approved"], user=reviewer, rating=rating(team, "False"), summary="No.")
    verdict_propose(claim=claims["published"], user=reviewer, rating=rating(team, "True"), summary="Yes.")
    page = login_page(reviewer)
    page.goto(f"/articles/{article.pk}/")
    wait_ready(page)

    cues_of = """(statuses) => Object.fromEntries(statuses.map((status) => {
      const mark = document.querySelector(`#article-text mark.claim[data-status="${status}"]`);
      const style = getComputedStyle(mark);
      return [status, {
        line: [style.textDecorationLine, style.textDecorationStyle, style.textDecorationThickness].join(" "),
        glyph: getComputedStyle(mark, "::after").content,
        colour: style.textDecorationColor,
        background: style.backgroundColor,
      }];
    }))"""
    cues = page.evaluate(cues_of, STATUSES)
    # Without colour each status still looks different: its line and its symbol.
    assert len({(c["line"], c["glyph"]) for c in cues.values()}) == len(STATUSES), cues
    assert len({c["line"] for c in cues.values()}) >= 5
    # The rating's colour, from the team's scale, and its number on the scale.
    assert cues["approved"]["colour"] == "rgb(207, 34, 46)"  # False: #cf222e
    assert cues["published"]["colour"] == "rgb(26, 127, 55)"  # True: #1a7f37
    assert "⑤" in cues["approved"]["glyph"] and "①" in cues["published"]["glyph"]
    assert cues["new"]["colour"] != cues["approved"]["colour"] != cues["published"]["colour"]
    title = page.locator(f"#article-text mark.claim[data-claim-id='{claims['approved'].pk}']").get_attribute("title")
    assert title == "Claim: Approved, rated False."

    # In forced colours (no colour at all) lines and symbols still tell the statuses apart.
    page.emulate_media(forced_colors="active")
    forced = page.evaluate(cues_of, STATUSES)
    assert len({(c["line"], c["glyph"]) for c in forced.values()}) == len(STATUSES), forced
    page.emulate_media(forced_colors="none")

    # The legend: every status with its symbol, every rating with its number.
    legend = page.get_by_role("region", name="Highlight key")
    expect(legend).to_be_visible()
    statuses = legend.get_by_role("list", name="Statuses: line and symbol").get_by_role("listitem")
    expect(statuses).to_have_count(len(STATUSES))
    expect(statuses.filter(has_text="Changes requested")).to_contain_text("↺")
    expect(statuses.filter(has_text="Published")).to_contain_text("thick line")
    ratings = legend.get_by_role("list", name="Ratings: colour and number").get_by_role("listitem")
    expect(ratings.filter(has_text=re.compile(r"⑤ False$"))).to_have_count(1)
    expect(ratings.filter(has_text=re.compile(r"① True$"))).to_have_count(1)
    expect(ratings.filter(has_text="Not rated yet")).to_have_count(1)
    page.screenshot(path=str(artifacts_dir / "reader-highlight-cues.png"), full_page=True)
    assert page.js_errors == []


def test_overlapping_and_nested_highlights_stay_distinguishable(login_page, team, reviewer):
    text = "The mayor said rents rose 14 % in a year while wages stood still."
    article = article_create(team=team, user=reviewer, title="Overlaps", source=text, source_format="markdown")
    outer = claim_create(article=article, user=reviewer, exact="The mayor said rents rose")
    overlapping = claim_create(article=article, user=reviewer, exact="rents rose 14 % in a year")
    nested = claim_create(article=article, user=reviewer, exact="rose")  # inside both
    page = login_page(reviewer)
    page.goto(f"/articles/{article.pk}/")
    wait_ready(page)
    layers = page.evaluate(
        """() => Array.from(document.querySelectorAll("#article-text mark.claim")).map((m) => ({
          id: +m.dataset.claimId, depth: +m.dataset.depth, text: m.textContent,
          offset: getComputedStyle(m).textUnderlineOffset, glyph: getComputedStyle(m, "::after").content,
        }))"""
    )
    by_depth: dict[int, set[str]] = {}
    for layer in layers:
        by_depth.setdefault(layer["depth"], set()).add(layer["offset"])
    # Each level of nesting underlines lower, so a span inside another shows both lines.
    assert set(by_depth) == {0, 1, 2}, layers
    offsets = [by_depth[d] for d in (0, 1, 2)]
    assert all(len(o) == 1 for o in offsets) and len(set.union(*offsets)) == 3, layers
    assert {x["id"] for x in layers if "rents" in x["text"]} == {outer.pk, overlapping.pk}
    # Every claim ends in its own symbol.
    assert {x["id"] for x in layers if x["glyph"] not in ("none", "normal")} == {outer.pk, overlapping.pk, nested.pk}
    # The tints add up: the nested claim's text lies under three translucent layers.
    alphas = page.evaluate(
        f"""() => {{
          const mark = document.querySelector("#article-text mark.claim[data-claim-id='{nested.pk}']");
          const layers = [];
          for (let m = mark; m && m.matches("mark.claim"); m = m.parentElement) {{
            layers.push(getComputedStyle(m).backgroundColor);
          }}
          return layers;
        }}"""
    )
    assert len(alphas) == 3 and all(a.startswith("color(srgb") or a.startswith("rgba") for a in alphas), alphas
    assert page.js_errors == []


def test_reading_view_has_no_serious_accessibility_violations(login_page, team, reviewer):
    article = long_article(team, reviewer)
    claim = claim_create(article=article, user=reviewer, exact=FAR_QUOTE)
    claim_create(article=article, user=reviewer, exact="the ferry carried 2.4 million")
    verdict_propose(claim=claim, user=reviewer, rating=rating(team, "Mostly false"), summary="No.")
    page = login_page(reviewer)
    page.goto(f"/articles/{article.pk}/")
    wait_ready(page)
    assert serious_violations(page) == []
    # With the claim panel open, and in caret mode.
    page.locator(f"#claim-list button.claim-item[data-claim-id='{claim.pk}']").click()
    expect(page.get_by_role("dialog", name=f"Claim #{claim.pk}")).to_be_visible()
    expect(page.get_by_role("button", name="Save claim")).to_be_visible()
    assert serious_violations(page) == []
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Select with the keyboard").click()
    expect(page.locator("#caret-keys")).to_be_visible()
    assert serious_violations(page) == []
