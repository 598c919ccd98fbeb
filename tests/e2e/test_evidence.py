"""Evidence a reviewer can see: the claim panel shows the matched excerpt with the match marked and
says "not found" once; its link opens the snapshot's text view with the passage highlighted,
focused and scrolled into view, counted in code points past emoji."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from annotations.models import Snapshot, Source
from annotations.services.articles import article_create
from annotations.services.claims import claim_create
from annotations.services.evidence import source_evidence_check
from tests.e2e.helpers import wait_ready

QUOTE = "the new quay cost $770bn"


def test_following_an_evidence_link_highlights_the_passage_in_the_text_view(
    login_page: Any, team: Any, reviewer: Any
) -> None:
    article = article_create(
        team=team, user=reviewer, title="Harbour", source=f"The mayor said {QUOTE} and “rose 12%”.",
        source_format="text", language="en",
    )  # fmt: skip
    claim = claim_create(article=article, user=reviewer, exact=QUOTE)
    filler = "\n".join(f"Paragraph {n} of the report \U0001f4f0 says nothing about it." for n in range(120))
    text = f"{filler}\nThe harbour chief said the new quay cost 770 billion dollars \U0001f6a2 in all.\nEnd."
    snapshot = Snapshot.objects.create(
        team=team, url="https://news.example/quay", final_url="https://news.example/quay", status="fetched",
        sha256=hashlib.sha256(text.encode()).hexdigest(), fetched_at=timezone.now(), text=text,
        content_type="text/plain", title="Quay report",
    )  # fmt: skip
    source = Source.objects.create(team=team, claim=claim, url=snapshot.url, stance="supports", snapshot=snapshot)
    assert source_evidence_check(source_id=source.pk) == "found"

    page = login_page(reviewer)
    page.goto(f"/articles/{article.pk}/")
    wait_ready(page)
    page.locator(f"#claim-list button.claim-item[data-claim-id='{claim.pk}']").click()
    dialog = page.get_by_role("dialog", name=f"Claim #{claim.pk}")
    evidence = dialog.locator("ul.evidence > li")
    expect(evidence.first).to_be_visible()
    texts = evidence.all_inner_texts()
    assert texts[0].startswith("The quoted claim — not found in the report")
    assert sum(t.count("not found") for t in texts) == sum(1 for e in Source.objects.get().evidence if not e["found"])
    figure = evidence.filter(has_text="$770bn — found in the report, paragraph 121")
    expect(figure.locator("mark")).to_have_text("770 billion dollars")

    with page.context.expect_page() as opened:
        figure.get_by_role("link", name="Show the passage: $770bn — found in the report, paragraph 121").click()
    view = opened.value
    view.wait_for_selector("body[data-passage-shown='1']")
    marked = view.locator("mark.passage")
    expect(marked).to_have_text("770 billion dollars")
    expect(marked).to_be_in_viewport()
    expect(marked).to_be_focused()
    expect(view.locator("#passage-status")).to_have_text("The passage is highlighted.")
    assert not page.js_errors
