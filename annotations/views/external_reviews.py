"""The Team settings page's "Checked elsewhere" section: other fact-checkers' ClaimReview, imported from a
file or read from feeds. Members see the feeds and counts; editors import, add, read again and remove."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from annotations import policy
from annotations.claimreview_import import MAX_DOCUMENT_BYTES
from annotations.errors import NotAllowed, ServiceError
from annotations.fetching.urls import MAX_URL_LENGTH
from annotations.models import Membership, ReviewFeed
from annotations.selectors.external_reviews import external_review_counts, review_feeds_of_team
from annotations.services.external_reviews import (
    external_reviews_import_file,
    review_feed_add,
    review_feed_refresh_now,
    review_feed_remove,
)

SKIPPED_SHOWN = 5
"""Reasons of skipped items listed after an import; the rest are counted."""
IMPORT_PREFIX, FEED_PREFIX = "reviews", "feed"


class ReviewImportForm(forms.Form):
    file = forms.FileField(
        label="ClaimReview file",
        help_text=(
            "JSON-LD: a ClaimReview, a list of them, an @graph or a schema.org DataFeed (as Google's Fact Check "
            f"Markup Tool exports it), JSON Lines, or a saved page. At most {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB; split it into smaller files."
            )
        return upload


class ReviewFeedForm(forms.Form):
    url = forms.URLField(
        label="Feed or page address",
        max_length=MAX_URL_LENGTH,
        assume_scheme="https",
        help_text="A DataFeed of ClaimReview, or a fact-check page whose JSON-LD holds ClaimReview.",
    )


def checked_elsewhere(membership: Membership, forms_given: dict[str, Any]) -> dict[str, Any]:
    """The section's context for the Team settings page."""
    team = membership.team
    return {
        "review_feeds": list(review_feeds_of_team(team=team).order_by("url")),
        "external_reviews": external_review_counts(team=team),
        "can_import_reviews": policy.refusal(action="external_review.manage", membership=membership) is None,
        "review_import_form": forms_given.get("review_import_form") or ReviewImportForm(prefix=IMPORT_PREFIX),
        "review_feed_form": forms_given.get("review_feed_form") or ReviewFeedForm(prefix=FEED_PREFIX),
        "refresh_hours": settings.REVIEW_FEED_REFRESH_HOURS,
    }


def _settings_page(request: HttpRequest, membership: Membership, *, status: int, **given: Any) -> HttpResponse:
    from annotations.views.team_settings import _page  # the page that embeds this section

    return _page(request, membership, status=status, **given)


def _editor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _team_feed(request: HttpRequest, membership: Membership, feed_id: int) -> ReviewFeed:
    feed = policy.review_feed_for(request, feed_id)
    if feed.team_id != membership.team_id:
        raise Http404("No such review feed.")
    return feed


@policy.performs(POST="external_review.manage")
def team_review_import_view(request: HttpRequest, team_slug: str) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    form = ReviewImportForm(request.POST, request.FILES, prefix=IMPORT_PREFIX)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = external_reviews_import_file(
                team=membership.team, user=_editor(request), body=upload.read(), content_type=upload.content_type or ""
            )
        except NotAllowed as exc:
            return _settings_page(request, membership, status=403, errors={"page": exc.message})
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            found = outcome.created + outcome.updated + outcome.unchanged
            if not found:
                first = outcome.skipped[0].reason if outcome.skipped else "the file lists no items."
                form.add_error("file", f"No ClaimReview could be read from the file: {first}")
            else:
                messages.success(
                    request,
                    f"Imported {found} review{'s' if found != 1 else ''}: {outcome.created} new, "
                    f"{outcome.updated} updated, {outcome.unchanged} unchanged; {len(outcome.skipped)} skipped.",
                )
                for skipped in outcome.skipped[:SKIPPED_SHOWN]:
                    messages.warning(request, f"Skipped item {skipped.index}: {skipped.reason}")
                return redirect("team_settings", team_slug=team_slug)
    return _settings_page(request, membership, status=400, review_import_form=form)


@policy.performs(POST="external_review.manage")
def team_review_feed_add_view(request: HttpRequest, team_slug: str) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    form = ReviewFeedForm(request.POST, prefix=FEED_PREFIX)
    if form.is_valid():
        try:
            feed, created = review_feed_add(team=membership.team, user=_editor(request), url=form.cleaned_data["url"])
        except NotAllowed as exc:
            return _settings_page(request, membership, status=403, errors={"page": exc.message})
        except ServiceError as exc:
            form.add_error("url", exc.message)
        else:
            if created:
                hours = settings.REVIEW_FEED_REFRESH_HOURS
                messages.success(request, f"Added {feed.url}: it is read in a moment, then every {hours:g} hours.")
            else:
                messages.info(request, f"The team already reads {feed.url}.")
            return redirect("team_settings", team_slug=team_slug)
    return _settings_page(request, membership, status=400, review_feed_form=form)


@policy.performs(POST="external_review.manage")
def team_review_feed_refresh_view(request: HttpRequest, team_slug: str, feed_id: int) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    feed = _team_feed(request, membership, feed_id)
    try:
        review_feed_refresh_now(feed=feed, user=_editor(request))
    except NotAllowed as exc:
        return _settings_page(request, membership, status=403, errors={"page": exc.message})
    messages.success(request, f"{feed.url} is read again in a moment.")
    return redirect("team_settings", team_slug=team_slug)


@policy.performs(POST="external_review.manage")
def team_review_feed_remove_view(request: HttpRequest, team_slug: str, feed_id: int) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    feed = _team_feed(request, membership, feed_id)
    try:
        removed = review_feed_remove(feed=feed, user=_editor(request))
    except NotAllowed as exc:
        return _settings_page(request, membership, status=403, errors={"page": exc.message})
    messages.success(
        request, f"Stopped reading {feed.url} and removed its {removed} review{'s' if removed != 1 else ''}."
    )
    return redirect("team_settings", team_slug=team_slug)
