"""Notifications in headless Chromium: an editor assigns a claim to a reviewer and mentions her in a
comment; in her own browser the header counts them and the inbox lists them. The inbox and the
preferences page have no serious or critical accessibility violation that axe-core finds."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from annotations.models import Notification, Team
from annotations.services.claims import claim_create
from tests.e2e.helpers import serious_violations, wait_ready
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_assignment_and_a_mention_reach_the_colleagues_header_and_inbox(
    login_page: Any, team: Team, reviewer: Any, editor: Any, celery_worker: Any
) -> None:
    article = ArticleFactory(team=team)
    claim = claim_create(article=article, user=editor, exact="€48 million flood wall")
    eddie, rita = login_page(editor), login_page(reviewer)
    rita.goto(f"/t/{team.slug}/")
    expect(rita.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    # The editor assigns the claim in the claim panel, and mentions the reviewer in a comment.
    eddie.goto(f"/articles/{article.pk}/")
    wait_ready(eddie)
    eddie.locator(f"#claim-list button.claim-item[data-claim-id='{claim.pk}']").click()
    dialog = eddie.get_by_role("dialog", name=f"Claim #{claim.pk}")
    workflow = dialog.get_by_role("region", name="Workflow")
    workflow.get_by_role("button", name="Assign", exact=True).click()
    form = workflow.get_by_role("form", name="Assign")
    form.get_by_role("combobox", name="Assign to").select_option(label="rita (reviewer)")
    form.get_by_role("button", name="Assign", exact=True).click()
    expect(dialog.locator(".panel-summary .status")).to_have_text("In research")
    status = eddie.evaluate(
        """async ([path, body]) => {
          const { api } = await import("/static/js/api.js");
          try { await api(path, { method: "POST", body }); return 201; } catch (e) { return e.status; }
        }""",
        [f"/api/v1/claims/{claim.pk}/comments/", {"body": "@rita, the tender is on page 4."}],
    )
    assert status in (200, 201)

    # The reviewer's header counts both (the worker sends them on commit; reloading shows them).
    badge = rita.locator("#unread-notifications")
    for _ in range(50):
        rita.reload()
        if badge.count() and badge.inner_text().startswith("2"):
            break
        rita.wait_for_timeout(200)
    expect(badge).to_have_text("2 unread")
    rita.get_by_role("link", name="Notifications 2 unread").click()
    items = rita.get_by_role("list", name="Notifications, newest first").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("eddie mentioned you in a comment on “€48 million flood wall”.")
    expect(items.nth(1)).to_contain_text("eddie assigned you the claim “€48 million flood wall”.")
    assert serious_violations(rita) == []

    # Opening one marks it read and goes to the claim; the header counts one.
    items.nth(1).get_by_role("button", name="Open the claim").click()
    rita.wait_for_url(f"**/articles/{article.pk}/#claim-{claim.pk}")
    expect(rita.locator("#claim-panel")).to_be_visible()
    expect(rita.locator(f"#article-text mark.claim[data-claim-id='{claim.pk}']").first).to_have_class(
        re.compile("active")
    )
    expect(rita.locator("#unread-notifications")).to_have_text("1 unread")
    assert Notification.objects.filter(recipient=reviewer, read_at__isnull=True).count() == 1

    # Mark all read, then the preferences page, by keyboard.
    rita.goto("/notifications/")
    rita.get_by_role("button", name="Mark all read").click()
    expect(rita.locator("#unread-notifications")).to_have_count(0)
    rita.get_by_role("link", name="Choose which notifications you get").click()
    email = rita.get_by_role("checkbox", name="My verdict is approved: by email")
    expect(email).not_to_be_checked()
    email.focus()
    rita.keyboard.press("Space")
    rita.get_by_role("button", name="Save choices").click()
    expect(rita.get_by_role("status")).to_have_text("Your notification choices are saved.")
    expect(rita.get_by_role("checkbox", name="My verdict is approved: by email")).to_be_checked()
    assert serious_violations(rita) == []
    assert not eddie.js_errors and not rita.js_errors
