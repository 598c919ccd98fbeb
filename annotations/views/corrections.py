from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from annotations import policy
from annotations.models import Team
from annotations.selectors.corrections import corrections_for_team


@policy.performs(GET="corrections.read")
def corrections_log(request: HttpRequest, team_slug: str) -> HttpResponse:
    """The public corrections log: every published correction with the verdict it replaced, and every
    retraction's tombstone, newest first. No login needed: what was published stays accountable."""
    team = get_object_or_404(Team, slug=team_slug)
    page = Paginator(corrections_for_team(team=team), 50).get_page(request.GET.get("page"))
    return render(request, "annotations/corrections.html", {"log_team": team, "page": page})
