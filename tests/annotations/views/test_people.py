"""The people pages: team settings' invitations and deactivation, the invitee's page in every state,
the profile and password change, and sign-in through a local OpenID Connect provider."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annotations.models import Claim, Deactivation, Invitation, Membership, Role
from annotations.services.people import invitation_email_send
from tests.annotations.oidc_provider import Person, RunningProvider
from tests.factories import TEST_PASSWORD, ArticleFactory, ClaimFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def send_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's task run in the test process when the commit callback queues it."""
    from celery import current_app

    monkeypatch.setattr(
        current_app,
        "send_task",
        lambda name, args, **kw: invitation_email_send(invitation_id=args[0], token=args[1], base_url=args[2]),
    )


@pytest.fixture
def admin(team: Any) -> Any:
    return MembershipFactory(team=team, user=UserFactory(username="ada", email="ada@example.org"), role=Role.ADMIN).user


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _invite(client: Client, team: Any, capture: Any, email: str = "nina@example.org") -> str:
    with capture(execute=True):
        response = client.post(reverse("team_invitation_create", args=[team.slug]), {"email": email, "role": "editor"})
    assert response.status_code == 302
    return mail.outbox[-1].body.split("/invitations/")[1].split("/")[0]


def test_an_admin_invites_from_team_settings_and_sees_the_invitation(team, admin, django_capture_on_commit_callbacks):
    client = _client(admin)
    token = _invite(client, team, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].body.count(f"http://testserver/invitations/{token}/") == 1
    page = client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert "nina@example.org" in page and "Resend" in page and "Revoke" in page
    bad = client.post(reverse("team_invitation_create", args=[team.slug]), {"email": "nina@example.org", "role": "x"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    again = client.post(
        reverse("team_invitation_create", args=[team.slug]), {"email": "NINA@example.org", "role": "editor"}
    )
    assert again.status_code == 400 and "already invited" in again.content.decode()


def test_non_admins_cannot_invite(team, editor):
    response = _client(editor).post(
        reverse("team_invitation_create", args=[team.slug]), {"email": "x@example.org", "role": "editor"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_invitee_sets_a_password_and_lands_in_the_team(team, admin, django_capture_on_commit_callbacks):
    token = _invite(_client(admin), team, django_capture_on_commit_callbacks)
    visitor = Client()
    url = reverse("invitation_accept", args=[token])
    page = visitor.get(url)
    assert page.status_code == 200 and "Join " + team.name in page.content.decode()
    mismatch = visitor.post(url, {"username": "nina", "password1": "a long new passphrase", "password2": "other"})
    assert mismatch.status_code == 400 and "The two passwords differ" in mismatch.content.decode()
    weak = visitor.post(url, {"username": "nina", "password1": "123", "password2": "123"})
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    done = visitor.post(
        url,
        {
            "username": "nina",
            "first_name": "Nina",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("dashboard", args=[team.slug])
    assert Membership.objects.get(team=team, user__username="nina").role == Role.EDITOR
    again = Client().get(url)
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_expired_revoked_and_unknown_links_give_a_clear_page(team, admin, django_capture_on_commit_callbacks):
    client = _client(admin)
    token = _invite(client, team, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8), expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    expired = Client().get(reverse("invitation_accept", args=[token]))
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    posted = Client().post(reverse("invitation_accept", args=[token]), {"username": "nina"})
    assert posted.status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("team_invitation_resend", args=[team.slug, invitation.pk])).status_code == 302
    new = mail.outbox[-1].body.split("/invitations/")[1].split("/")[0]
    assert Client().get(reverse("invitation_accept", args=[token])).status_code == 404  # replaced
    assert Client().get(reverse("invitation_accept", args=[new])).status_code == 200
    assert client.post(reverse("team_invitation_revoke", args=[team.slug, invitation.pk])).status_code == 302
    revoked = Client().get(reverse("invitation_accept", args=[new]))
    assert revoked.status_code == 410 and "withdrawn" in revoked.content.decode()
    twice = client.post(reverse("team_invitation_revoke", args=[team.slug, invitation.pk]))
    assert twice.status_code == 409
    assert Client().get(reverse("invitation_accept", args=["nonsense"])).status_code == 404


def test_an_existing_user_signs_in_and_accepts(team, admin, outsider, django_capture_on_commit_callbacks):
    token = _invite(_client(admin), team, django_capture_on_commit_callbacks, email="olga@example.org")
    url = reverse("invitation_accept", args=[token])
    visitor = Client()
    assert f"{reverse('login')}?next={url}" in visitor.get(url).content.decode()
    signed_in = visitor.post(
        reverse("login"), {"username": "olga", "password": TEST_PASSWORD, "next": url}, follow=True
    )
    assert "Accept and join" in signed_in.content.decode()
    visitor.post(url)
    assert Membership.objects.get(team=team, user=outsider).role == Role.EDITOR


def test_a_deactivated_member_cannot_open_the_team_and_keeps_their_work(team, admin, reviewer):
    claim = ClaimFactory.create(article=ArticleFactory(team=team))
    rita = _client(reviewer)
    assert rita.get(reverse("dashboard", args=[team.slug])).status_code == 200
    member = Membership.objects.get(team=team, user=reviewer)
    response = _client(admin).post(reverse("team_member_deactivate", args=[team.slug, member.pk]))
    assert response.status_code == 302
    assert rita.get(reverse("dashboard", args=[team.slug])).status_code == 404
    assert rita.get(reverse("article", args=[claim.article_id])).status_code == 404
    assert rita.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    assert rita.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": "x"}).status_code in (403, 404)
    page = _client(admin).get(reverse("team_settings", args=[team.slug])).content.decode()
    assert "Deactivated members" in page and "rita" in page
    add = _client(admin).post(reverse("team_member_add", args=[team.slug]), {"username": "rita", "role": "admin"})
    assert add.status_code == 400 and "reactivate" in add.content.decode()
    deactivation = Deactivation.objects.get()
    _client(admin).post(reverse("team_member_reactivate", args=[team.slug, deactivation.pk]))
    assert rita.get(reverse("dashboard", args=[team.slug])).status_code == 200
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_the_profile_changes_name_email_and_password(reviewer):
    client = _client(reviewer)
    assert client.get(reverse("profile")).status_code == 200
    response = client.post(reverse("profile"), {"first_name": "Rita", "last_name": "M", "email": "rita@example.org"})
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert (reviewer.get_full_name(), reviewer.email) == ("Rita M", "rita@example.org")
    assert client.post(reverse("profile"), {"email": "nope"}).status_code == 400
    bad = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "a fresh passphrase", "new_password2": "a fresh passphrase"},
    )
    assert bad.status_code == 400
    good = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "a fresh passphrase", "new_password2": "a fresh passphrase"},
    )
    assert good.status_code == 302 and good["Location"] == reverse("profile")
    reviewer.refresh_from_db()
    assert reviewer.check_password("a fresh passphrase")
    assert Client().get(reverse("profile")).status_code == 302  # sign-in first


# --- OpenID Connect against a local provider ------------------------------------------------------


@pytest.fixture
def provider(settings: Any) -> Iterator[RunningProvider]:
    running = RunningProvider(
        Person(sub="p-1", email="nina@example.org", preferred_username="nina.b", given_name="Nina")
    )
    for name, value in running.provider.settings().items():
        setattr(settings, name, value)
    yield running
    running.stop()


def _sign_in_through(client: Client, running: RunningProvider, next_url: str = "") -> Any:
    """Follow the redirects by hand: the test client reaches the workbench, `requests` the provider."""
    import requests

    start = client.get(reverse("oidc_start") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302 and start["Location"].startswith(running.provider.issuer + "/authorize")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}", follow=True)


def test_without_oidc_settings_the_login_page_has_no_button_and_the_routes_are_missing(client):
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_start")).status_code == 404
    assert client.get(reverse("oidc_callback")).status_code == 404


def test_an_invited_person_signs_in_through_the_provider_and_joins(
    team, admin, provider, django_capture_on_commit_callbacks
):
    _invite(_client(admin), team, django_capture_on_commit_callbacks, email="Nina@example.org")
    client = Client()
    assert "Sign in with" in client.get(reverse("login")).content.decode()
    response = _sign_in_through(client, provider)
    assert response.status_code == 200
    nina = get_user_model().objects.get(email__iexact="nina@example.org")
    assert (nina.username, nina.first_name, nina.has_usable_password()) == ("nina.b", "Nina", False)
    assert Membership.objects.get(team=team, user=nina).role == Role.EDITOR
    assert client.get(reverse("dashboard", args=[team.slug])).status_code == 200
    assert {"/.well-known/openid-configuration", "/authorize", "/token", "/jwks", "/userinfo"} <= set(
        provider.provider.requests
    )


def test_an_existing_account_is_matched_by_verified_email(team, reviewer, provider):
    reviewer.email = "NINA@example.org"
    reviewer.save()
    client = Client()
    _sign_in_through(client, provider, next_url=reverse("dashboard", args=[team.slug]))
    assert int(client.session["_auth_user_id"]) == reviewer.pk
    assert get_user_model().objects.count() == 1


def test_an_unverified_email_is_refused(reviewer, provider):
    reviewer.email = "nina@example.org"
    reviewer.save()
    provider.provider.person.email_verified = False
    client = Client()
    response = _sign_in_through(client, provider)
    assert "_auth_user_id" not in client.session
    assert "did not work" in response.content.decode()


def test_a_token_for_another_client_is_refused(provider, settings):
    client = Client()
    start = client.get(reverse("oidc_start"))
    settings.OIDC_RP_CLIENT_ID = "someone-else"
    import requests

    back = urlsplit(requests.get(start["Location"], allow_redirects=False, timeout=5).headers.get("Location", "/x?"))
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code in (302, 404, 400)
    assert "_auth_user_id" not in client.session
