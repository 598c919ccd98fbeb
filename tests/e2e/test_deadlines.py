"""Deadlines in headless Chromium: a due date set in the claim panel, due dates set in bulk in
the review queues, and axe-core on the dashboard, the queues and the New article page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from annotations.models import Claim, ClaimStatus
from annotations.services.workflow import claim_update
from tests.e2e.helpers import serious_violations, wait_ready
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local_input(page: Page, moment: datetime.datetime) -> str:
    """The datetime-local value the browser shows for `moment` (its own time zone)."""
    return page.evaluate(
        """async (iso) => (await import("/static/js/due-dates.js")).toLocalInput(iso)""", moment.isoformat()
    )


def test_an_editor_sets_changes_and_clears_a_due_date_in_the_claim_panel(login_page, team, editor):
    claim = ClaimFactory(article=ArticleFactory(team=team))
    page = login_page(editor)
    page.goto(f"/articles/{claim.article_id}/")
    wait_ready(page)
    page.locator(f"#claim-list button.claim-item[data-claim-id='{claim.pk}']").click()
    dialog = page.get_by_role("dialog", name=f"Claim #{claim.pk}")
    section = dialog.get_by_role("region", name="Due date")
    expect(section).to_contain_text("No due date.")
    due = datetime.datetime(2031, 5, 6, 15, 30, tzinfo=datetime.UTC)
    section.get_by_label("Due date and time").fill(local_input(page, due))
    section.get_by_role("button", name="Save due date").click()
    expect(page.locator("#reader-status")).to_contain_text("Due date saved")
    claim.refresh_from_db()
    assert claim.due_at == due and claim.version == 2
    # A colleague moves it meanwhile: the next save is refused and says so, then goes through.
    claim_update(claim=claim, user=editor, version=2, due_at=due + datetime.timedelta(days=1))
    later = due + datetime.timedelta(days=2)
    section.get_by_label("Due date and time").fill(local_input(page, later))
    section.get_by_role("button", name="Save due date").click()
    expect(section.get_by_role("alert")).to_contain_text("Your due date was not saved")
    save = section.get_by_role("button", name="Save due date")
    save.click()
    expect(save).to_be_enabled()
    expect(section.get_by_role("alert")).to_be_empty()
    claim.refresh_from_db()
    assert claim.due_at == later
    section.get_by_role("button", name="Clear due date").click()
    expect(page.locator("#reader-status")).to_have_text("Due date cleared.")
    claim.refresh_from_db()
    assert claim.due_at is None
    assert not page.js_errors


def test_a_reviewer_reads_the_due_date_without_an_input(login_page, team, reviewer):
    claim = ClaimFactory(article=ArticleFactory(team=team))
    Claim.objects.filter(pk=claim.pk).update(due_at=timezone.now() - datetime.timedelta(hours=2))
    page = login_page(reviewer)
    page.goto(f"/articles/{claim.article_id}/")
    wait_ready(page)
    page.locator(f"#claim-list button.claim-item[data-claim-id='{claim.pk}']").click()
    section = page.get_by_role("dialog", name=f"Claim #{claim.pk}").get_by_role("region", name="Due date")
    expect(section).to_contain_text("(overdue)")
    expect(section.locator("input")).to_have_count(0)


def test_an_editor_sets_due_dates_in_bulk_from_the_queue(login_page, team, editor, settings):
    article = ArticleFactory(team=team)
    picked = [ClaimFactory(article=article) for _ in range(2)]
    left = ClaimFactory(article=article)
    page = login_page(editor)
    page.goto(f"/t/{team.slug}/queues/?queue=unassigned")
    for claim in picked:
        page.get_by_label(f"Select claim {claim.pk}").check()
    page.get_by_label("Due", exact=True).fill("2031-05-06T17:30")
    page.get_by_role("button", name="Set due date").click()
    expect(page.get_by_role("status")).to_contain_text("Set the due date of 2 claim(s) to 2031-05-06 17:30.")
    expected = datetime.datetime(2031, 5, 6, 17, 30, tzinfo=timezone.get_current_timezone())
    assert {c.due_at for c in Claim.objects.filter(pk__in=[c.pk for c in picked])} == {expected}
    assert Claim.objects.get(pk=left.pk).due_at is None
    expect(page.locator(f"#select-{picked[0].pk}").locator("xpath=ancestor::tr")).to_contain_text("2031-05-06 17:30")


def test_no_serious_axe_violations_on_the_dashboard_queues_and_new_article(login_page, team, editor, reviewer):
    article = ArticleFactory(team=team)
    claim = ClaimFactory(article=article)
    claim_update(claim=claim, user=editor, version=1, assignee=editor)
    Claim.objects.filter(pk=claim.pk).update(
        status=ClaimStatus.IN_RESEARCH, due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    ClaimFactory(article=article)
    page = login_page(editor)
    found: dict[str, list[str]] = {}
    for path in (
        f"/t/{team.slug}/",
        f"/t/{team.slug}/?q=nothing-matches",
        f"/t/{team.slug}/queues/?queue=unassigned",
        f"/t/{team.slug}/queues/?queue=due",
        f"/t/{team.slug}/articles/new/",
    ):
        page.goto(path)
        found[path] = serious_violations(page)
    assert all(not problems for problems in found.values()), found
