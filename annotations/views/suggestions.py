"""Claim suggestions on the Team settings page: editors turn them on or off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from annotations import policy
from annotations.services.suggestions import team_suggestions_set


@policy.performs(POST="suggestions.manage")
def team_suggestions_view(request: HttpRequest, team_slug: str) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    enabled = request.POST.get("suggestions_enabled") == "on"
    assert isinstance(request.user, User)
    team_suggestions_set(team=membership.team, user=request.user, enabled=enabled)
    messages.success(request, "Claim suggestions are on." if enabled else "Claim suggestions are off.")
    return redirect("team_settings", team_slug=team_slug)
