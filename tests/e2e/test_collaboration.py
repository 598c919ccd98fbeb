"""Two people on one article in two browsers: saves to the same claim never overwrite each other
silently, and a colleague's new revision reaches an open reading view (after any selection or
unsaved edit there), with every claim drawn where the server re-anchored it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, Response, expect

from annotations.anchoring import selectors_for_span
from annotations.models import Article, Claim
from annotations.services.articles import article_create, article_revise, reader_document
from annotations.services.claims import claim_create
from tests.e2e.helpers import all_marks_text, api_claims, select_span, selected_offsets, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLL_WAIT_MS = 3500  # longer than one live-update interval
SOON = 9000  # a live update, with room to spare

REVISION_1 = (
    "The council approved a €48 million flood wall on Tuesday.\n\n"
    'Mayor Ines Okafor called it "the largest project in the city\'s history". '
    "The river rose 3.1 metres in April 2025.\n\n"
    "Critics said the budget ignored bus lanes entirely."
)
# A paragraph inserted, a figure changed, the last paragraph removed.
REVISION_2 = (
    "The council approved a €52 million flood wall on Tuesday.\n\n"
    "A new paragraph about the harbour and its ferries.\n\n"
    'Mayor Ines Okafor called it "the largest project in the city\'s history". '
    "The river rose 3.1 metres in April 2025."
)
REVISION_3 = REVISION_2.replace("€52 million", "€60 million").replace("A new paragraph", "A longer new paragraph")

EXACT = "The council"
FUZZY = "approved a €48 million flood wall on Tuesday"
MOVED = "The river rose 3.1 metres"
ORPHAN = "Critics said the budget ignored bus lanes entirely."


def text_of(source: str) -> str:
    return reader_document(source, "markdown").text


def span_of(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def marking(article: Article) -> Callable[[Response], bool]:
    """Matches the answer to marking a claim in `article`."""
    return lambda r: r.url.endswith(f"/articles/{article.pk}/claims/") and r.request.method == "POST"


def open_article(page: Page, article: Article) -> None:
    page.goto(f"/articles/{article.pk}/")
    wait_ready(page)


def open_claim(page: Page, claim: Claim) -> Locator:
    open_article(page, claim.article)
    page.locator(f"#claim-list button.claim-item[data-claim-id='{claim.pk}']").click()
    dialog = page.get_by_role("dialog", name=f"Claim #{claim.pk}")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Save claim")).to_be_visible()
    return dialog


def save_details(page: Page, dialog: Locator) -> None:
    dialog.get_by_role("button", name="Save claim").click()


def revise(article: Article, user: Any, source: str) -> Article:
    """A colleague saves a new revision (the service the Edit text page and the API call)."""
    article.refresh_from_db()
    return article_revise(
        article=article, user=user, source=source, source_format="markdown", revision=article.revision
    )


@pytest.fixture
def article(team, reviewer) -> Article:
    return article_create(team=team, user=reviewer, title="Flood wall", source=REVISION_1, source_format="markdown")


# --- A. No save overwrites another in silence. -------------------------------------------------


def test_unsaved_typing_survives_live_updates_and_merges_with_a_colleagues_save(login_page, article, reviewer, editor):
    claim = claim_create(article=article, user=reviewer, exact="flood wall")
    first_version = claim.version
    colleague = login_page(editor)  # A
    me = login_page(reviewer)  # B
    theirs = open_claim(colleague, claim)
    mine = open_claim(me, claim)

    # B starts typing; A changes the claimant and saves.
    restated = mine.get_by_role("textbox", name="Claim as restated")
    restated.fill("The wall costs €48 million.")
    theirs.get_by_role("textbox", name="Claimant").fill("The mayor")
    save_details(colleague, theirs)
    expect(colleague.locator("#reader-status")).to_have_text("Claim saved.")

    # The live update reaches B's panel: the untouched field follows, the typing stays, and so
    # does the version B is editing against.
    expect(mine.get_by_role("textbox", name="Claimant")).to_have_value("The mayor", timeout=SOON)
    me.wait_for_timeout(POLL_WAIT_MS)
    expect(restated).to_have_value("The wall costs €48 million.")
    expect(mine.locator("form.details-form")).to_have_attribute("data-version", str(first_version))

    # B saves: refused as stale, merged without a question (different fields), saved.
    save_details(me, mine)
    note = mine.locator(".merge-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("eddie saved this claim while you were editing it")
    expect(note).to_contain_text("Their change to claimant is kept")
    expect(mine.locator(".conflicts")).to_be_hidden()
    claim.refresh_from_db()
    assert (claim.claimant, claim.restated) == ("The mayor", "The wall costs €48 million.")
    assert claim.version == first_version + 2

    # A's page, in turn, shows B's restatement with the next live update.
    their_restated = theirs.get_by_role("textbox", name="Claim as restated")
    expect(their_restated).to_have_value("The wall costs €48 million.", timeout=SOON)
    assert me.js_errors == [] and colleague.js_errors == []


def test_both_changed_the_same_fields_and_the_user_chooses_per_field(login_page, article, reviewer, editor):
    claim = claim_create(article=article, user=reviewer, exact="flood wall")
    colleague = login_page(editor)
    me = login_page(reviewer)
    theirs = open_claim(colleague, claim)
    mine = open_claim(me, claim)

    mine.get_by_role("textbox", name="Claim as restated").fill("My restatement")
    mine.get_by_role("textbox", name="Claimant").fill("My claimant")
    theirs.get_by_role("textbox", name="Claim as restated").fill("Their restatement")
    theirs.get_by_role("textbox", name="Claimant").fill("Their claimant")
    theirs.get_by_role("textbox", name="Claim date").fill("2025-04-01")
    save_details(colleague, theirs)
    expect(colleague.locator("#reader-status")).to_have_text("Claim saved.")
    expect(mine.get_by_role("textbox", name="Claim date")).to_have_value("2025-04-01", timeout=SOON)
    me.wait_for_timeout(POLL_WAIT_MS)
    expect(mine.get_by_role("textbox", name="Claimant")).to_have_value("My claimant")
    expect(mine.get_by_role("textbox", name="Claim as restated")).to_have_value("My restatement")

    save_details(me, mine)
    conflicts = mine.locator(".conflicts")
    expect(conflicts).to_be_visible()
    expect(conflicts).to_contain_text("Both of you changed claim as restated, claimant")
    restated_group = mine.get_by_role("group", name="Claim as restated")
    claimant_group = mine.get_by_role("group", name="Claimant")
    expect(claimant_group).to_contain_text("Their claimant")
    expect(claimant_group).to_contain_text("My claimant")
    expect(claimant_group).to_contain_text("eddie's saved value")
    expect(claimant_group.locator("time")).to_have_count(1)
    for group in (restated_group, claimant_group):
        expect(group.get_by_role("radio", name="Keep mine", exact=True)).to_have_count(1)
        expect(group.get_by_role("radio", name="Take theirs", exact=True)).to_have_count(1)
    # The claim date only they changed is not asked about.
    expect(mine.get_by_role("group", name="Claim date")).to_have_count(0)

    # Saving before choosing says what is missing; nothing is written.
    save_details(me, mine)
    expect(mine.locator("form.details-form .error")).to_contain_text(
        "Choose “Keep mine” or “Take theirs” for: Claim as restated, Claimant"
    )

    # By keyboard: Space keeps mine, Tab to the next group, an arrow key to "Take theirs".
    keep_restated = restated_group.get_by_role("radio", name="Keep mine", exact=True)
    keep_restated.focus()
    me.keyboard.press("Space")
    expect(keep_restated).to_be_checked()
    me.keyboard.press("Tab")
    expect(claimant_group.get_by_role("radio", name="Keep mine", exact=True)).to_be_focused()
    me.keyboard.press("ArrowDown")
    expect(claimant_group.get_by_role("radio", name="Take theirs", exact=True)).to_be_checked()
    expect(mine.get_by_role("textbox", name="Claimant")).to_have_value("Their claimant")
    expect(mine.get_by_role("textbox", name="Claim as restated")).to_have_value("My restatement")
    save_details(me, mine)
    expect(me.locator("#reader-status")).to_have_text("Claim saved.")
    expect(conflicts).to_be_hidden()
    claim.refresh_from_db()
    assert (claim.restated, claim.claimant, str(claim.claim_date)) == ("My restatement", "Their claimant", "2025-04-01")
    assert me.js_errors == [] and colleague.js_errors == []


def test_a_transition_is_sent_with_the_version_the_user_saw(login_page, article, reviewer, editor):
    claim = claim_create(article=article, user=reviewer, exact="flood wall")
    colleague = login_page(editor)
    me = login_page(editor)
    mine = open_claim(me, claim)
    workflow = mine.get_by_role("region", name="Workflow")
    expect(workflow.get_by_role("button", name="Assign", exact=True)).to_be_visible()
    workflow.get_by_role("button", name="Assign", exact=True).click()
    form = workflow.get_by_role("form", name="Assign")
    expect(form).to_be_visible()
    # Meanwhile a colleague changes the claim; the open form keeps the version it was opened on.
    open_article(colleague, article)
    status = colleague.evaluate(
        """async ([id, version]) => {
          const { api } = await import("/static/js/api.js");
          const body = { version, claimant: "Someone else" };
          try { await api(`claims/${id}/`, { method: "PATCH", body }); return 200; } catch (e) { return e.status; }
        }""",
        [claim.pk, claim.version],
    )
    assert status == 200
    me.wait_for_timeout(POLL_WAIT_MS)
    expect(form).to_be_visible()
    form.get_by_role("combobox", name="Assign to").select_option(label=f"{editor.username} (editor)")
    form.get_by_role("button", name="Assign", exact=True).click()
    expect(workflow.locator(".workflow-conflict")).to_contain_text("changed this claim after you opened it")
    claim.refresh_from_db()
    assert claim.assignee_id is None and claim.claimant == "Someone else"
    # The form is back, for the claim as it is now, with the choice made; sending it again works.
    form = workflow.get_by_role("form", name="Assign")
    expect(form.get_by_role("combobox", name="Assign to")).to_have_value(str(editor.pk))
    form.get_by_role("button", name="Assign", exact=True).click()
    expect(mine.locator(".panel-summary")).to_contain_text(f"assigned to {editor.username}")
    claim.refresh_from_db()
    assert claim.assignee_id == editor.pk
    assert me.js_errors == []


# --- B. Open pages follow revisions. -----------------------------------------------------------


def claims_on(article: Article, user: Any) -> dict[str, Claim]:
    claims = {}
    for quote in (EXACT, FUZZY, MOVED, ORPHAN):
        start, end = span_of(article.text, quote)
        claims[quote] = claim_create(article=article, user=user, start=start, end=end)
    return claims


def test_a_colleagues_revision_reaches_an_open_page(login_page, article, reviewer, editor, artifacts_dir):
    claims = claims_on(article, reviewer)
    page = login_page(reviewer)  # B
    open_article(page, article)
    assert set(all_marks_text(page)) == {c.pk for c in claims.values()}

    # A (an editor) saves revision 2 on the Edit text page in another browser.
    other = login_page(editor)
    other.goto(f"/articles/{article.pk}/edit/")
    other.get_by_role("textbox", name="Article text or Markdown").fill(REVISION_2)
    other.get_by_role("button", name="Save new revision").click()
    wait_ready(other)

    # Within a live update B sees the new text, without a reload.
    text = page.locator("#article-text")
    expect(text).to_contain_text("A new paragraph about the harbour", timeout=SOON)
    expect(text).not_to_contain_text("Critics said")
    expect(page.locator("#article-revision")).to_have_text("2")
    expect(page.locator("#reader-status")).to_contain_text("Revision 2 of the article is shown")
    expect(page.locator("#revision-notice")).to_be_hidden()

    by_id = {c["id"]: c for c in api_claims(page, article.pk)}
    outcomes = {quote: by_id[claim.pk]["anchor_outcome"] for quote, claim in claims.items()}
    assert outcomes == {EXACT: "exact", FUZZY: "fuzzy", MOVED: "moved", ORPHAN: "orphan"}
    assert all(c["anchored_revision"] == 2 for c in by_id.values())

    # Every exact or moved highlight covers exactly its claim's quote.
    marks = all_marks_text(page)
    for claim_id, shown in marks.items():
        if by_id[claim_id]["anchor_outcome"] != "fuzzy":
            assert shown == by_id[claim_id]["exact"], claim_id
    assert marks[claims[EXACT].pk] == EXACT and marks[claims[MOVED].pk] == MOVED

    # The fuzzy one is drawn as fuzzy, with its score.
    fuzzy = by_id[claims[FUZZY].pk]
    percent = f"{round(fuzzy['anchor_score'] * 100)}%"
    fuzzy_marks = page.locator(f"#article-text mark.claim[data-claim-id='{fuzzy['id']}']")
    expect(fuzzy_marks).to_have_count(1)
    expect(fuzzy_marks).to_have_class(re.compile(r"\bclaim-fuzzy\b"))
    expect(fuzzy_marks).to_have_attribute("title", re.compile(f"{percent} alike"))
    expect(fuzzy_marks).to_have_attribute("aria-description", re.compile(f"{percent} alike"))
    assert marks[fuzzy["id"]] == text_of(REVISION_2)[fuzzy["start"] : fuzzy["end"]]
    listed = "#claim-list button[data-claim-id='{}'] .anchor"
    expect(page.locator(listed.format(fuzzy["id"]))).to_have_text(f"fuzzy {percent}")
    expect(page.locator(listed.format(fuzzy["id"]))).to_have_class(re.compile(r"\banchor-fuzzy\b"))
    expect(page.locator(listed.format(claims[MOVED].pk))).to_have_text("moved")
    expect(page.locator(listed.format(claims[EXACT].pk))).to_have_count(0)

    # The orphan is listed apart and not highlighted.
    orphans = page.get_by_role("region", name="Orphaned claims")
    expect(orphans.locator(f"button[data-claim-id='{claims[ORPHAN].pk}']")).to_contain_text("Critics said")
    expect(page.locator(f"#article-text mark[data-claim-id='{claims[ORPHAN].pk}']")).to_have_count(0)
    expect(page.locator("#claim-count")).to_have_text("(3)")
    page.screenshot(path=str(artifacts_dir / "reader-followed-revision.png"), full_page=True)
    assert page.js_errors == [] and other.js_errors == []


def test_a_revision_waits_for_the_selection_to_end(login_page, article, reviewer, editor):
    page = login_page(reviewer)
    open_article(page, article)
    text1 = text_of(REVISION_1)
    span = span_of(text1, MOVED)
    select_span(page, *span)
    assert selected_offsets(page) == {"start": span[0], "end": span[1]}

    revise(article, editor, REVISION_2)
    notice = page.locator("#revision-notice")
    expect(notice).to_be_visible(timeout=SOON)
    expect(notice).to_contain_text("Revision 2 of this article was saved. It will be shown when your selection ends")
    expect(page.locator("#reader-status")).to_contain_text("Revision 2 of this article was saved")
    page.wait_for_timeout(POLL_WAIT_MS)
    expect(page.locator("#article-text")).not_to_contain_text("harbour")
    expect(page.locator("#article-revision")).to_have_text("1")
    assert selected_offsets(page) == {"start": span[0], "end": span[1]}

    # The selection ends: the revision comes in.
    page.get_by_role("heading", name="Flood wall").click()
    expect(page.locator("#article-text")).to_contain_text("A new paragraph about the harbour")
    expect(page.locator("#article-revision")).to_have_text("2")
    expect(notice).to_be_hidden()

    # Another one while selecting; this time "Apply now", by keyboard.
    text2 = text_of(REVISION_2)
    select_span(page, *span_of(text2, "flood wall"))
    revise(article, editor, REVISION_3)
    expect(notice).to_be_visible(timeout=SOON)
    expect(notice).to_contain_text("Revision 3")
    apply_now = page.get_by_role("button", name="Apply now")
    apply_now.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#article-text")).to_contain_text("A longer new paragraph")
    expect(page.locator("#article-revision")).to_have_text("3")
    expect(notice).to_be_hidden()
    assert page.js_errors == []


def test_a_revision_waits_for_unsaved_claim_edits(login_page, article, reviewer, editor):
    claim = claim_create(article=article, user=reviewer, exact=MOVED)
    page = login_page(reviewer)
    dialog = open_claim(page, claim)
    dialog.get_by_role("textbox", name="Claim as restated").fill("The river rose by 3.1 m.")

    revise(article, editor, REVISION_2)  # also moves the claim's version on
    notice = page.locator("#revision-notice")
    expect(notice).to_be_visible(timeout=SOON)
    expect(notice).to_contain_text("when your claim edits are saved or discarded")
    page.wait_for_timeout(POLL_WAIT_MS)
    expect(page.locator("#article-revision")).to_have_text("1")
    expect(dialog.get_by_role("textbox", name="Claim as restated")).to_have_value("The river rose by 3.1 m.")

    # Saving: refused (the revision moved the claim's version on), merged, saved; then the revision comes in.
    save_details(page, dialog)
    expect(dialog.locator(".merge-note")).to_contain_text(
        "This claim changed while you were editing it, not in the fields you edited"
    )
    expect(page.locator("#article-revision")).to_have_text("2")
    expect(notice).to_be_hidden()
    expect(page.locator(f"#article-text mark.claim[data-claim-id='{claim.pk}']")).to_have_text(MOVED)
    claim.refresh_from_db()
    assert claim.restated == "The river rose by 3.1 m." and claim.anchored_revision == 2
    assert page.js_errors == []


def test_a_claim_marked_on_a_stale_page_lands_on_the_same_words(login_page, article, reviewer, editor):
    page = login_page(reviewer)
    open_article(page, article)
    text1 = text_of(REVISION_1)
    span = span_of(text1, MOVED)
    select_span(page, *span)
    # Revision 2 inserts a paragraph before the selection; B presses "c" on the page of revision 1.
    revise(article, editor, REVISION_2)
    with page.expect_response(marking(article)) as answer:
        page.keyboard.press("c")
    sent = answer.value.request.post_data_json
    assert sent == {"start": span[0], "end": span[1], "exact": MOVED, "revision": 1}
    assert answer.value.status == 201
    expect(page.get_by_role("dialog")).to_be_visible()
    claim = Claim.objects.get(article=article)
    text2 = text_of(REVISION_2)
    assert claim.exact == MOVED
    assert (claim.start, claim.end) == span_of(text2, MOVED)
    assert claim.anchored_revision == 2 and claim.anchor_outcome == "moved"
    quote, _ = selectors_for_span(text2, claim.start, claim.end)
    assert (claim.prefix, claim.suffix) == (quote.prefix, quote.suffix)
    # The page follows revision 2 and draws the claim on its words.
    expect(page.locator("#article-revision")).to_have_text("2", timeout=SOON)
    expect(page.locator(f"#article-text mark.claim[data-claim-id='{claim.pk}']")).to_have_text(MOVED)
    page.keyboard.press("Escape")

    # A selection whose words a revision changes cannot be placed: the error shows, the page follows.
    select_span(page, *span_of(text2, "approved a €52 million"))
    revise(article, editor, REVISION_3)
    with page.expect_response(marking(article)) as answer:
        page.keyboard.press("c")
    assert answer.value.status == 409
    assert answer.value.json()["revision"] == 3
    expect(page.locator("#mark-error")).to_contain_text("The claim could not be marked")
    expect(page.locator("#article-revision")).to_have_text("3")
    expect(page.locator("#article-text")).to_contain_text("approved a €60 million")
    assert Claim.objects.filter(article=article).count() == 1
    assert page.js_errors == []
