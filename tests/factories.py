"""factory_boy factories, one per model. Rows that services seed (rating scales) come from services."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model

from annotations.models import Article, Claim, Membership, Rating, Role, Team
from annotations.services.articles import article_create
from annotations.services.claims import claim_create
from annotations.services.teams import team_create
from annotations.services.workflow import (
    claim_approve,
    claim_approve_correction,
    claim_assign,
    claim_propose,
    claim_propose_correction,
    claim_publish,
    claim_publish_correction,
)

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team

    slug = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")

    @classmethod
    def _create(cls, model_class: type[Team], *args: Any, **kwargs: Any) -> Team:
        return team_create(slug=kwargs["slug"], name=kwargs["name"])


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.REVIEWER


ARTICLE_SOURCE = (
    "The council approved a **€48 million** flood wall on Tuesday.\n\n"
    'Mayor Ines Okafor called it "the largest project in the city\'s history". '
    "The river rose 3.1 metres in April 2025."
)


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    class Meta:
        model = Article

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Article {n}")
    source = ARTICLE_SOURCE
    source_format = "markdown"

    @classmethod
    def _create(cls, model_class: type[Article], *args: Any, **kwargs: Any) -> Article:
        return article_create(user=None, **kwargs)


class ClaimFactory(factory.django.DjangoModelFactory[Claim]):
    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    exact = "flood wall"

    @classmethod
    def _create(cls, model_class: type[Claim], *args: Any, **kwargs: Any) -> Claim:
        return claim_create(user=None, **kwargs)


def rating(team: Team, label: str) -> Rating:
    return Rating.objects.get(scale__team=team, label=label)


def publish_claim(
    claim: Claim,
    *,
    reviewer: Any,
    editor: Any,
    label: str = "False",
    summary: str = "It was €38m.",
    rationale: str = "",
) -> Claim:
    """Take a new claim through the lifecycle to a published verdict: assigned to and proposed by
    `reviewer`, approved and published by `editor`."""
    claim = claim_assign(claim=claim, user=editor, assignee=reviewer)
    claim = claim_propose(
        claim=claim, user=reviewer, rating=rating(claim.team, label), summary=summary, rationale=rationale
    )
    return claim_publish(claim=claim_approve(claim=claim, user=editor), user=editor)


def correct_claim(
    claim: Claim,
    *,
    reviewer: Any,
    editor: Any,
    label: str,
    summary: str,
    note: str,
    rationale: str = "",
) -> Claim:
    """Publish a correction of a claim's published verdict: proposed by `reviewer`, approved and
    published by `editor`."""
    claim = claim_propose_correction(
        claim=claim, user=reviewer, rating=rating(claim.team, label), summary=summary, note=note, rationale=rationale
    )
    return claim_publish_correction(claim=claim_approve_correction(claim=claim, user=editor), user=editor)
