"""The demo team, users and article that `make run` seeds. Safe to run again: nothing is duplicated."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from django.contrib.auth import get_user_model
from django.db import transaction

from annotations.models import Article, Role, Team
from annotations.services.articles import article_create
from annotations.services.claims import claim_create
from annotations.services.teams import membership_set, team_create

DEMO_TEAM_SLUG = "demo"
DEMO_USERS = (("reviewer", Role.REVIEWER), ("editor", Role.EDITOR), ("admin", Role.ADMIN))
DEMO_ARTICLE_TITLE = "Riverside council approves €48 million flood wall after record spring"
DEMO_CLAIMS = (
    ("the river rose 3.1 metres above its normal level in April 2025", "Regional water authority"),
    ("will cost every household €400 a year for a decade", "Tomás Reyes"),
)


@dataclass(frozen=True)
class DemoSeed:
    team: Team
    article: Article
    password: str
    created_users: tuple[str, ...]


@transaction.atomic
def demo_seed(*, password: str, reset_passwords: bool = False) -> DemoSeed:
    """Create what is missing of the demo data. Existing users keep their passwords unless reset."""
    team = Team.objects.filter(slug=DEMO_TEAM_SLUG).first() or team_create(slug=DEMO_TEAM_SLUG, name="Demo desk")
    user_model = get_user_model()
    created: list[str] = []
    for username, role in DEMO_USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(
                username=username, password=password, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN
            )
            created.append(username)
        elif reset_passwords:
            user.set_password(password)
            user.save(update_fields=["password"])
        membership_set(team=team, user=user, role=role)
    article = Article.objects.filter(team=team, title=DEMO_ARTICLE_TITLE).first()
    if article is None:
        reviewer = user_model.objects.get(username="reviewer")
        source = resources.files("annotations.demo").joinpath("article.md").read_text(encoding="utf-8")
        article = article_create(
            team=team,
            user=reviewer,
            title=DEMO_ARTICLE_TITLE,
            source=source,
            source_format="markdown",
            canonical_url="https://example.org/riverside/flood-wall",
            publisher="Riverside Gazette (demo)",
            authors=["Demo Reporter"],
            language="en",
        )
        for exact, claimant in DEMO_CLAIMS:
            claim_create(article=article, user=reviewer, exact=exact, claimant=claimant)
    return DemoSeed(team=team, article=article, password=password, created_users=tuple(created))
