import pytest
from django.contrib.auth import authenticate

from annotations.models import Article, Claim, Membership, Team
from annotations.services.demo import demo_seed

pytestmark = pytest.mark.django_db


def test_demo_seed_creates_team_users_and_article_once():
    first = demo_seed(password="pw-one-two-three")
    second = demo_seed(password="pw-one-two-three")
    assert first.article.pk == second.article.pk
    assert Team.objects.filter(slug="demo").count() == 1
    assert Article.objects.filter(team__slug="demo").count() == 1
    assert Claim.objects.filter(article=first.article).count() == 2
    roles = dict(Membership.objects.filter(team__slug="demo").values_list("user__username", "role"))
    assert roles == {"reviewer": "reviewer", "editor": "editor", "admin": "admin"}
    assert authenticate(username="reviewer", password="pw-one-two-three") is not None
    assert second.created_users == ()


def test_demo_seed_keeps_existing_passwords_unless_reset():
    demo_seed(password="original-password")
    demo_seed(password="another-password")
    assert authenticate(username="editor", password="original-password") is not None
    demo_seed(password="another-password", reset_passwords=True)
    assert authenticate(username="editor", password="another-password") is not None
