"""The desk's day in headless Chromium: assigning, proposing, requesting changes, approving,
publishing and correcting (proposed, approved by another editor, published) through the claim
panel, the lifecycle timeline, and linking a new claim to an already-checked one."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from annotations.models import Article, AuditEvent, Claim, ClaimStatus, ExternalReview, Role, Team, Verdict
from annotations.services.articles import article_create
from annotations.services.claims import claim_create
from annotations.services.workflow import claim_transition
from tests.e2e.helpers import wait_ready
from tests.factories import ArticleFactory, MembershipFactory, UserFactory, publish_claim, rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_claim(page: Page, claim: Claim) -> Locator:
    """Load the claim's article and open the claim from the sidebar; the claim panel."""
    page.goto(f"/articles/{claim.article_id}/")
    wait_ready(page)
    page.locator(f"#claim-list button.claim-item[data-claim-id='{claim.pk}']").click()
    dialog = page.get_by_role("dialog", name=f"Claim #{claim.pk}")
    expect(dialog).to_be_visible()
    return dialog


def workflow(dialog: Locator) -> Locator:
    return dialog.get_by_role("region", name="Workflow")


def expect_status(page: Page, claim: Claim, label: str, status: str) -> None:
    """The status shows in the panel and in the sidebar, and is the stored one."""
    dialog = page.get_by_role("dialog", name=f"Claim #{claim.pk}")
    expect(dialog.locator(".panel-summary .status")).to_have_text(label)
    expect(page.locator(f"#claim-list button[data-claim-id='{claim.pk}'] .status")).to_have_text(label)
    claim.refresh_from_db()
    assert claim.status == status


def claim_actions(claim: Claim) -> list[str]:
    events = AuditEvent.objects.filter(claim=claim, action__startswith="claim.").order_by("created_at", "pk")
    return list(events.values_list("action", flat=True))


def take(dialog: Locator, label: str) -> Locator:
    """Click the workflow button `label`; the form asking for what the transition needs."""
    workflow(dialog).get_by_role("button", name=label, exact=True).click()
    form = workflow(dialog).get_by_role("form", name=label)
    expect(form).to_be_visible()
    return form


def api_status(page: Page, path: str, body: dict[str, Any]) -> int:
    """POST to the API from the page with its session and CSRF token; the answer's status."""
    return int(
        page.evaluate(
            """async ([path, body]) => {
              const { api } = await import("/static/js/api.js");
              try { await api(path, { method: "POST", body }); return 200; } catch (e) { return e.status; }
            }""",
            [path, body],
        )
    )


@pytest.fixture
def second_editor(team: Team) -> Any:
    return MembershipFactory(team=team, user=UserFactory(username="erin"), role=Role.EDITOR).user


def test_desk_day_from_assignment_to_correction(
    login_page, team, reviewer, editor, second_editor, artifacts_dir
):  # fmt: skip
    article = ArticleFactory(team=team)
    claim = claim_create(article=article, user=reviewer, exact="€48 million flood wall")
    eddie, rita, erin = login_page(editor), login_page(reviewer), login_page(second_editor)

    # An editor assigns the claim to a reviewer.
    dialog = open_claim(eddie, claim)
    expect_status(eddie, claim, "New", ClaimStatus.NEW)
    form = take(dialog, "Assign")
    form.get_by_role("combobox", name="Assign to").select_option(label="rita (reviewer)")
    form.get_by_role("button", name="Assign", exact=True).click()
    expect_status(eddie, claim, "In research", ClaimStatus.IN_RESEARCH)
    assert claim.assignee == reviewer and claim.due_at is not None
    timeline = dialog.get_by_role("list", name="Lifecycle timeline").get_by_role("listitem")
    expect(timeline).to_have_count(2)
    expect(timeline.nth(1)).to_contain_text("In research")
    expect(timeline.nth(1)).to_contain_text("to rita")
    expect(timeline.nth(1)).to_contain_text("eddie")

    # The reviewer proposes a verdict, by keyboard: Tab to the button, Enter, fill, Enter.
    dialog = open_claim(rita, claim)
    expect(workflow(dialog).get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    propose = workflow(dialog).get_by_role("button", name="Propose verdict", exact=True)
    expect(propose).to_be_visible()
    dialog.focus()
    for _ in range(15):
        rita.keyboard.press("Tab")
        if rita.evaluate("document.activeElement.dataset.action") == "propose":
            break
    expect(propose).to_be_focused()
    rita.keyboard.press("Enter")
    form = workflow(dialog).get_by_role("form", name="Propose verdict")
    expect(form.get_by_role("combobox", name="Rating")).to_be_focused()
    form.get_by_role("combobox", name="Rating").select_option(label="Mostly false")
    rita.keyboard.press("Tab")
    rita.keyboard.type("The wall costs €41 million.")
    rita.keyboard.press("Tab")
    rita.keyboard.type("Council minutes, item 7.")
    rita.keyboard.press("Tab")
    expect(form.get_by_role("button", name="Propose verdict")).to_be_focused()
    rita.keyboard.press("Enter")
    expect_status(rita, claim, "In review", ClaimStatus.IN_REVIEW)
    first = Verdict.objects.get(claim=claim)
    assert (first.author, first.rating.label, first.summary, first.rationale) == (
        reviewer,
        "Mostly false",
        "The wall costs €41 million.",
        "Council minutes, item 7.",
    )
    expect(dialog.locator(".current-verdict")).to_contain_text("Mostly false")
    expect(dialog.locator(".current-verdict")).to_contain_text("proposed by rita")

    # The editor's open panel hears of it by polling and now offers review; they request changes.
    dialog = eddie.get_by_role("dialog", name=f"Claim #{claim.pk}")
    form = take(dialog, "Request changes")
    form.get_by_role("textbox", name="What needs to change").fill("Cite the tender, not the minutes.")
    form.get_by_role("button", name="Request changes").click()
    expect_status(eddie, claim, "Changes requested", ClaimStatus.CHANGES_REQUESTED)
    expect(timeline.last).to_contain_text("Cite the tender, not the minutes.")

    # The reviewer resumes and proposes again (the form starts from the current verdict).
    dialog = open_claim(rita, claim)
    workflow(dialog).get_by_role("button", name="Resume research", exact=True).click()
    expect_status(rita, claim, "In research", ClaimStatus.IN_RESEARCH)
    form = take(dialog, "Propose verdict")
    expect(form.get_by_role("textbox", name="Summary")).to_have_value("The wall costs €41 million.")
    form.get_by_role("combobox", name="Rating").select_option(label="False")
    form.get_by_role("textbox", name="Summary").fill("The tender puts the wall at €39 million.")
    form.get_by_role("textbox", name="Rationale").fill("Tender 2025/114.")
    form.get_by_role("button", name="Propose verdict").click()
    expect_status(rita, claim, "In review", ClaimStatus.IN_REVIEW)
    second = Verdict.objects.get(claim=claim, is_current=True)
    assert second.pk != first.pk and second.author == reviewer and second.rating.label == "False"

    # A second editor, not the verdict's author, approves; then publishes.
    dialog = open_claim(erin, claim)
    workflow(dialog).get_by_role("button", name="Approve", exact=True).click()
    expect_status(erin, claim, "Approved", ClaimStatus.APPROVED)
    second.refresh_from_db()
    assert second.approved_by == second_editor and second.approved_at is not None
    workflow(dialog).get_by_role("button", name="Publish", exact=True).click()
    expect_status(erin, claim, "Published", ClaimStatus.PUBLISHED)
    expect(erin.locator(f"#claim-list button[data-claim-id='{claim.pk}'] .rating")).to_have_text("False")
    second.refresh_from_db()
    assert second.published_at is not None

    # The reviewer proposes a correction with a note; the published verdict stays current meanwhile.
    dialog = open_claim(rita, claim)
    expect(workflow(dialog).get_by_role("button", name="Not check-worthy", exact=True)).to_have_count(0)
    form = take(dialog, "Propose a correction")
    form.get_by_role("combobox", name="Rating").select_option(label="Mostly false")
    form.get_by_role("textbox", name="Summary").fill("The tender was revised to €44 million.")
    form.get_by_role("textbox", name="Correction note").fill("The council revised the tender on 3 June.")
    form.get_by_role("button", name="Propose a correction").click()
    expect_status(rita, claim, "Correction in review", ClaimStatus.CORRECTION_IN_REVIEW)
    expect(dialog.locator(".current-verdict")).to_contain_text("The tender puts the wall at €39 million.")
    third = Verdict.objects.get(claim=claim, corrects=second)
    assert not third.is_current and third.published_at is None and third.author == reviewer
    assert Verdict.objects.get(claim=claim, is_current=True) == second

    # Four eyes: an editor other than its author approves it, then it is published in place of the old one.
    dialog = open_claim(eddie, claim)
    workflow(dialog).get_by_role("button", name="Approve the correction", exact=True).click()
    expect_status(eddie, claim, "Correction approved", ClaimStatus.CORRECTION_APPROVED)
    workflow(dialog).get_by_role("button", name="Publish the correction", exact=True).click()
    expect(dialog.locator(".current-verdict")).to_contain_text("The tender was revised to €44 million.")
    expect_status(eddie, claim, "Published", ClaimStatus.PUBLISHED)
    log = dialog.get_by_role("list", name="Corrections log")
    expect(log).to_contain_text("The tender puts the wall at €39 million.")
    expect(log).to_contain_text("The council revised the tender on 3 June.")
    third.refresh_from_db()
    assert third.is_current and third.published_at is not None and third.approved_by == editor
    assert third.correction_note == "The council revised the tender on 3 June."
    assert Verdict.objects.filter(claim=claim).count() == 3
    assert not Verdict.objects.get(pk=second.pk).is_current

    # Every step is audited and the timeline reads as the lifecycle, in order.
    steps = [
        "claim.create",
        "claim.assign",
        "claim.propose",
        "claim.request_changes",
        "claim.resume",
        "claim.propose",
        "claim.approve",
        "claim.publish",
        "claim.propose_correction",
        "claim.approve_correction",
        "claim.publish_correction",
    ]
    assert claim_actions(claim) == steps
    assert AuditEvent.objects.filter(claim=claim, action="verdict.correct").count() == 1
    timeline = dialog.get_by_role("list", name="Lifecycle timeline").get_by_role("listitem")
    expect(timeline).to_have_count(len(steps))
    assert timeline.evaluate_all("(items) => items.map((i) => i.dataset.action)") == steps
    statuses = dialog.get_by_role("list", name="Lifecycle timeline").locator(".status").all_text_contents()
    assert statuses == [
        "New",
        "In research",
        "In review",
        "Changes requested",
        "In research",
        "In review",
        "Approved",
        "Published",
        "Correction in review",
        "Correction approved",
        "Published",
    ]
    expect(timeline.nth(6)).to_contain_text("erin")
    dialog.screenshot(path=str(artifacts_dir / "workflow-claim-panel.png"))

    # The author of a verdict is not offered "Approve" and cannot approve through the API either.
    own = claim_create(article=article, user=editor, exact="3.1 metres")
    claim_transition(claim=own, user=editor, action="assign", assignee=editor)
    own.refresh_from_db()
    claim_transition(claim=own, user=editor, action="propose", rating=rating(team, "True"), summary="Gauge data agree.")
    dialog = open_claim(eddie, own)
    expect(workflow(dialog).get_by_role("button", name="Request changes", exact=True)).to_be_visible()
    expect(workflow(dialog).get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    own.refresh_from_db()
    assert api_status(eddie, f"claims/{own.pk}/transitions/", {"action": "approve", "version": own.version}) == 403
    own.refresh_from_db()
    assert own.status == ClaimStatus.IN_REVIEW
    dialog = open_claim(erin, own)
    expect(workflow(dialog).get_by_role("button", name="Approve", exact=True)).to_be_visible()
    assert eddie.js_errors == [] and rita.js_errors == [] and erin.js_errors == []


def test_new_claim_links_to_an_already_checked_one(login_page, team, reviewer, editor, outsider):
    earlier_article = ArticleFactory(team=team, title="Spring floods")
    earlier = claim_create(article=earlier_article, user=reviewer, exact="The river rose 3.1 metres in April 2025")
    claim_transition(claim=earlier, user=editor, action="assign", assignee=reviewer)
    claim_transition(
        claim=earlier,
        user=reviewer,
        action="propose",
        rating=rating(team, "Mostly true"),
        summary="Gauge data show 3.0 metres.",
    )
    claim_transition(claim=earlier, user=editor, action="approve")
    claim_transition(claim=earlier, user=editor, action="publish")
    # The same words in another team are never suggested.
    other_team_article = ArticleFactory(team=outsider.memberships.get().team)
    claim_create(article=other_team_article, user=outsider, exact="The river rose 3.1 metres in April 2025")

    article: Article = article_create(
        team=team,
        user=reviewer,
        title="Autumn review",
        source="Officials repeated that the river rose 3.1 metres in April 2025, a record.",
        source_format="markdown",
    )
    page = login_page(reviewer)
    page.goto(f"/articles/{article.pk}/")
    wait_ready(page)
    page.get_by_role("textbox", name="Quote to mark as a claim").fill("the river rose 3.1 metres in April 2025")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    claim = Claim.objects.get(article=article)

    suggestions = dialog.get_by_role("region", name="Already checked?")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("listitem")).to_have_count(1)
    suggestion = suggestions.get_by_role("listitem").first
    expect(suggestion).to_contain_text("The river rose 3.1 metres in April 2025")
    expect(suggestion.locator(".rating")).to_have_text("Mostly true")
    expect(suggestion).to_contain_text("Published")
    expect(suggestion).to_contain_text("Gauge data show 3.0 metres.")

    suggestions.get_by_role("button", name=f"Link to claim #{earlier.pk}").click()
    expect(suggestions).to_contain_text(f"Linked to already-checked claim #{earlier.pk}")
    expect_status(page, claim, "Not check-worthy", ClaimStatus.NOT_CHECK_WORTHY)
    assert claim.duplicate_of == earlier
    assert claim.not_check_worthy_reason == f"Already checked: claim #{earlier.pk}."
    assert claim_actions(claim) == ["claim.create", "claim.link_duplicate"]
    timeline = dialog.get_by_role("list", name="Lifecycle timeline")
    expect(timeline.get_by_role("listitem").last).to_contain_text("Linked to an already-checked claim")
    expect(timeline.get_by_role("listitem").last).to_contain_text(f"claim #{earlier.pk}")
    expect(suggestions.get_by_role("button", name=f"Link to claim #{earlier.pk}")).to_have_count(0)

    # Reopening the claim shows the link again.
    dialog = open_claim(page, claim)
    expect(dialog.get_by_role("region", name="Already checked?")).to_contain_text(
        f"Linked to already-checked claim #{earlier.pk}"
    )
    assert page.js_errors == []


def test_already_checked_lists_an_earlier_claim_with_its_language_and_rating(login_page, team, reviewer, editor):
    spanish = article_create(
        team=team,
        user=reviewer,
        title="Inundaciones de primavera",
        source="Según el alcalde, el río subió 3,1 metros en abril de 2025.",
        source_format="markdown",
        language="es",
    )
    earlier = publish_claim(
        claim_create(article=spanish, user=reviewer, exact="el río subió 3,1 metros en abril de 2025"),
        reviewer=reviewer,
        editor=editor,
        label="Mostly true",
        summary="Los datos del medidor muestran 3,0 metros.",
    )
    later_article = article_create(
        team=team,
        user=reviewer,
        title="Resumen de otoño",
        source="Los vecinos repiten que el río subió 3,1 metros en abril de 2025, un récord.",
        source_format="markdown",
        language="es",
    )
    later = claim_create(article=later_article, user=reviewer, exact="el río subió 3,1 metros en abril de 2025")
    ExternalReview.objects.create(
        team=team,
        url="https://maldita.example/2025/rio",
        publisher="Maldita",
        claim_reviewed="El río subió 3,1 metros en abril de 2025",
        rating_text="Engañoso",
        published_at=datetime.date(2025, 5, 2),
        language="es",
    )
    page = login_page(reviewer)

    suggestions = open_claim(page, later).get_by_role("region", name="Already checked?")
    matches = suggestions.get_by_role("list", name="Earlier claims of your team")
    expect(matches.get_by_role("listitem")).to_have_count(1)
    match = matches.get_by_role("listitem").first
    expect(match.locator("blockquote")).to_have_text("el río subió 3,1 metros en abril de 2025")
    expect(match.locator("blockquote")).to_have_attribute("lang", "es")
    expect(match.locator(".match-language")).to_have_text("Spanish")
    expect(match.locator(".rating")).to_have_text("Mostly true")
    expect(match).to_contain_text("Published")
    expect(match).to_contain_text(f"claim #{earlier.pk}")
    # The score is said in words, not only shown as a colour.
    expect(match.locator(".match-score")).to_have_text(re.compile(r"^\d{1,3}% match, (strong|good|possible)$"))
    match.get_by_role("button", name=f"Link to claim #{earlier.pk}").focus()
    expect(match.get_by_role("button", name=f"Link to claim #{earlier.pk}")).to_be_focused()
    elsewhere = suggestions.get_by_role("list", name="Checked elsewhere").get_by_role("listitem")
    expect(elsewhere).to_have_count(1)
    expect(elsewhere.first).to_contain_text("Checked by Maldita")
    review_link = elsewhere.first.get_by_role("link", name="Maldita (opens in a new tab)")
    expect(review_link).to_have_attribute("href", "https://maldita.example/2025/rio")
    expect(review_link).to_have_attribute("target", "_blank")
    expect(elsewhere.first.locator(".rating")).to_have_text("Engañoso")
    expect(elsewhere.first.locator("time")).to_have_text("May 2, 2025")

    # The earliest claim has no earlier claim of the team before it: the section says so (the
    # review checked elsewhere still shows).
    suggestions = open_claim(page, earlier).get_by_role("region", name="Already checked?")
    expect(suggestions).to_contain_text("No earlier claim of your team matches this one")
    expect(suggestions.get_by_role("list", name="Earlier claims of your team")).to_have_count(0)
    expect(suggestions.get_by_role("list", name="Checked elsewhere").get_by_role("listitem")).to_have_count(1)
    assert page.js_errors == []


def test_a_review_checked_elsewhere_links_out_and_shows_its_text_as_text(login_page, team, reviewer):
    """Another fact-checker's review as the panel draws it: the publisher links to the review, and
    nothing in it is read as HTML."""
    article = ArticleFactory(team=team)
    page = login_page(reviewer)
    page.goto(f"/articles/{article.pk}/")
    wait_ready(page)
    drawn = page.evaluate(
        """async (review) => {
          const { workflowMethods } = await import("/static/js/panel-workflow.js");
          const item = workflowMethods.elsewhereItem.call(workflowMethods, review);
          document.body.append(item);
          const a = item.querySelector("a");
          return {
            text: item.textContent,
            href: a.href, rel: a.rel, target: a.target, link: a.textContent,
            lang: item.querySelector("blockquote").lang,
            time: item.querySelector("time").getAttribute("datetime"),
            elements: Array.from(item.querySelectorAll("*")).map((e) => e.tagName.toLowerCase()),
          };
        }""",
        {
            "id": 7,
            "url": "https://maldita.example/2025/rio",
            "publisher": "Maldita <img src=x onerror=alert(1)>",
            "claim_reviewed": "<script>alert(1)</script> El río subió 3,1 metros",
            "claimant": "Un alcalde",
            "rating_text": "Engañoso",
            "published_at": "2025-05-02",
            "language": "es",
            "score": 0.812,
            "matched_by": ["meaning"],
        },
    )
    assert drawn["href"] == "https://maldita.example/2025/rio"
    assert set(drawn["rel"].split()) >= {"noopener", "noreferrer"} and drawn["target"] == "_blank"
    assert drawn["link"] == "Maldita <img src=x onerror=alert(1)> (opens in a new tab)"
    assert "Checked by Maldita <img" in drawn["text"] and "<script>alert(1)</script> El río" in drawn["text"]
    assert "Engañoso" in drawn["text"] and "said by Un alcalde" in drawn["text"] and "May 2, 2025" in drawn["text"]
    assert "Spanish" in drawn["text"] and "81% match, strong" in drawn["text"] and "same meaning" in drawn["text"]
    assert drawn["lang"] == "es" and drawn["time"] == "2025-05-02"
    assert "img" not in drawn["elements"] and "script" not in drawn["elements"]
    assert page.js_errors == []
