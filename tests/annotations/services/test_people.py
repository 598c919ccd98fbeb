"""People: invitations (hashed tokens, one open per address, resend kills the old link, revoke,
expiry), accepting as a new or existing user, deactivation and reactivation, the profile."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput, NotAllowed
from annotations.models import AuditEvent, Comment, Deactivation, Invitation, Membership, Role
from annotations.services.comments import comment_add
from annotations.services.people import (
    invitation_accept,
    invitation_accept_as_new_user,
    invitation_create,
    invitation_email_send,
    invitation_resend,
    invitation_revoke,
    member_deactivate,
    member_reactivate,
    oidc_user_joins,
    profile_update,
    token_hash,
)
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
BASE = "https://desk.example.org/"


@pytest.fixture
def admin(team: Any) -> Any:
    return MembershipFactory(team=team, user=UserFactory(username="ada", email="ada@example.org"), role=Role.ADMIN).user


def _token_sent() -> str:
    """The token in the link of the last email sent."""
    return mail.outbox[-1].body.split("/invitations/")[1].split("/")[0]


@pytest.fixture(autouse=True)
def send_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's task, run in the test process when the commit callback would queue it."""
    from celery import current_app

    def send_task(name: str, args: tuple[Any, ...], **kwargs: Any) -> None:
        assert name == "annotations.send_invitation" and kwargs["queue"] == "default"
        invitation_email_send(invitation_id=args[0], token=args[1], base_url=args[2])

    monkeypatch.setattr(current_app, "send_task", send_task)


def test_an_invitation_stores_only_a_hash_and_mails_the_link_on_commit(team, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(team=team, user=admin, email="Nina@Example.ORG", role=Role.EDITOR, base_url=BASE)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Nina@example.org"]
    assert team.name in message.subject
    token = message.body.split("/invitations/")[1].split("/")[0]
    assert f"{BASE}invitations/{token}/" in message.body
    invitation.refresh_from_db()
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash
    assert invitation.sent_at is not None
    assert abs(invitation.expires_at - invitation.created_at - datetime.timedelta(days=7)) < datetime.timedelta(
        seconds=5
    )
    assert AuditEvent.objects.filter(team=team, action="invitation.create", actor=admin).exists()


def test_nothing_is_mailed_when_the_transaction_rolls_back(team, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        invitation_create(team=team, user=admin, email="nina@example.org", role=Role.EDITOR, base_url=BASE)
        raise RuntimeError
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_one_open_invitation_per_team_and_address(team, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(team=team, user=admin, email="nina@example.org", role=Role.EDITOR, base_url=BASE)
    with pytest.raises(InvalidInput) as exc:
        invitation_create(team=team, user=admin, email="NINA@example.org", role=Role.REVIEWER, base_url=BASE)
    assert exc.value.field == "email"
    first = Invitation.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            team=team, email="nina@EXAMPLE.org", token_hash="a" * 64, expires_at=timezone.now() + datetime.timedelta(1)
        )
    # Another team may invite the same address.
    other = MembershipFactory(role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(team=other.team, user=other.user, email="nina@example.org", role=Role.ADMIN, base_url=BASE)
    # Once revoked, the address may be invited again.
    invitation_revoke(team=team, user=admin, invitation_id=first.pk)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(team=team, user=admin, email="nina@example.org", role=Role.REVIEWER, base_url=BASE)


def test_only_admins_invite_and_bad_input_is_a_field_error(team, admin, editor):
    with pytest.raises(NotAllowed):
        invitation_create(team=team, user=editor, email="x@example.org", role=Role.REVIEWER, base_url=BASE)
    with pytest.raises(InvalidInput) as exc:
        invitation_create(team=team, user=admin, email="not an address", role=Role.REVIEWER, base_url=BASE)
    assert exc.value.field == "email"
    with pytest.raises(InvalidInput) as exc:
        invitation_create(team=team, user=admin, email="x@example.org", role="owner", base_url=BASE)
    assert exc.value.field == "role"
    with pytest.raises(InvalidInput):  # already a member
        invitation_create(team=team, user=admin, email="ADA@example.org", role=Role.REVIEWER, base_url=BASE)


def test_accepting_as_a_new_user_creates_the_account_and_membership(team, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(team=team, user=admin, email="nina@example.org", role=Role.EDITOR, base_url=BASE)
    token = _token_sent()
    membership = invitation_accept_as_new_user(
        token=token, username="nina", password="a long new passphrase", first_name="Nina", last_name="Berg"
    )
    user = membership.user
    assert (user.username, user.email, user.get_full_name()) == ("nina", "nina@example.org", "Nina Berg")
    assert user.check_password("a long new passphrase")
    assert (membership.team, membership.role) == (team, Role.EDITOR)
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    with pytest.raises(Conflict):  # used once
        invitation_accept_as_new_user(token=token, username="nina2", password="a long new passphrase")


def test_a_weak_password_or_taken_username_is_refused_and_the_link_still_works(
    team, admin, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(team=team, user=admin, email="nina@example.org", role=Role.EDITOR, base_url=BASE)
    token = _token_sent()
    with pytest.raises(InvalidInput) as exc:
        invitation_accept_as_new_user(token=token, username="nina", password="123")
    assert exc.value.field == "password1"
    with pytest.raises(InvalidInput) as exc:
        invitation_accept_as_new_user(token=token, username="EDDIE", password="a long new passphrase")
    assert exc.value.field == "username"
    assert not get_user_model().objects.filter(username="nina").exists()
    assert invitation_accept_as_new_user(token=token, username="nina", password="a long new passphrase").pk


def test_an_existing_user_accepts_signed_in(team, admin, outsider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(team=team, user=admin, email="olga@example.org", role=Role.REVIEWER, base_url=BASE)
    membership = invitation_accept(token=_token_sent(), user=outsider)
    assert membership.team == team and membership.role == Role.REVIEWER
    outsider.refresh_from_db()
    assert outsider.email == "olga@example.org"


def test_resend_kills_the_old_link_and_sets_a_new_expiry(team, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(team=team, user=admin, email="nina@example.org", role=Role.EDITOR, base_url=BASE)
    old = _token_sent()
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=9), expires_at=timezone.now() - datetime.timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(team=team, user=admin, invitation_id=invitation.pk, base_url=BASE)
    new = _token_sent()
    assert new != old and len(mail.outbox) == 2
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=6)
    with pytest.raises(Conflict):
        invitation_accept_as_new_user(token=old, username="nina", password="a long new passphrase")
    # A queued email for the old link is not sent once it was replaced.
    assert invitation_email_send(invitation_id=invitation.pk, token=old, base_url=BASE) is False
    assert invitation_accept_as_new_user(token=new, username="nina", password="a long new passphrase").pk


def test_revoked_and_expired_links_do_not_work(team, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(team=team, user=admin, email="nina@example.org", role=Role.EDITOR, base_url=BASE)
    token = _token_sent()
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    with pytest.raises(Conflict):
        invitation_accept_as_new_user(token=token, username="nina", password="a long new passphrase")
    invitation_revoke(team=team, user=admin, invitation_id=invitation.pk)
    with pytest.raises(Conflict):
        invitation_revoke(team=team, user=admin, invitation_id=invitation.pk)
    with pytest.raises(Conflict):
        invitation_resend(team=team, user=admin, invitation_id=invitation.pk, base_url=BASE)
    assert AuditEvent.objects.filter(team=team, action="invitation.revoke").count() == 1


def test_deactivation_keeps_the_work_attributed_and_reactivation_restores_the_role(team, admin, reviewer):
    claim = ClaimFactory.create(article=ArticleFactory(team=team))
    comment = comment_add(claim=claim, user=reviewer, body="Check the minutes.")
    membership = Membership.objects.get(team=team, user=reviewer)
    deactivation = member_deactivate(team=team, user=admin, membership_id=membership.pk)
    assert not Membership.objects.filter(team=team, user=reviewer).exists()
    assert deactivation.role == Role.REVIEWER
    assert Comment.objects.get(pk=comment.pk).author == reviewer
    assert AuditEvent.objects.filter(action="member.deactivate", before__user=reviewer.pk).exists()
    assert get_user_model().objects.filter(pk=reviewer.pk, is_active=True).exists()  # other teams unaffected
    membership = member_reactivate(team=team, user=admin, deactivation_id=deactivation.pk)
    assert membership.role == Role.REVIEWER and not Deactivation.objects.exists()


def test_the_last_admin_cannot_be_deactivated(team, admin):
    with pytest.raises(Conflict):
        member_deactivate(team=team, user=admin, membership_id=Membership.objects.get(user=admin).pk)


def test_only_admins_deactivate(team, editor, reviewer):
    with pytest.raises(NotAllowed):
        member_deactivate(team=team, user=editor, membership_id=Membership.objects.get(user=reviewer).pk)


def test_profile_update_refuses_an_address_another_account_uses(team, admin, reviewer):
    user = profile_update(user=reviewer, first_name=" Rita ", last_name="Moreno", email="rita@Example.org")
    assert (user.first_name, user.last_name, user.email) == ("Rita", "Moreno", "rita@example.org")
    with pytest.raises(InvalidInput) as exc:
        profile_update(user=reviewer, first_name="", last_name="", email="ADA@example.org")
    assert exc.value.field == "email"


def test_oidc_sign_in_accepts_open_invitations_else_joins_the_default_team(
    team, admin, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(team=team, user=admin, email="nina@example.org", role=Role.EDITOR, base_url=BASE)
    nina = UserFactory(username="nina", email="nina@example.org")
    assert [(m.team, m.role) for m in oidc_user_joins(user=nina, email="NINA@example.org")] == [(team, Role.EDITOR)]
    default = TeamFactory(slug="newsroom")
    settings.OIDC_DEFAULT_TEAM, settings.OIDC_DEFAULT_ROLE = "newsroom", Role.REVIEWER
    paul = UserFactory(username="paul", email="paul@example.org")
    assert [(m.team, m.role) for m in oidc_user_joins(user=paul, email=paul.email)] == [(default, Role.REVIEWER)]
    assert oidc_user_joins(user=nina, email=nina.email) == []  # has a team already
