"""People: invitations by email, deactivating and reactivating members, one's own profile, and the
teams a person signing in through the identity provider joins.

An invitation link carries a random token; the row keeps only its SHA-256. The email is sent by the
worker once the transaction commits (task `annotations.send_invitation`, on the default queue), with
the token as its argument: the database alone never holds a working link. A link that could not be
sent (the broker was down) shows as "not sent" in team settings, and Resend makes a new one.

Deactivating a member removes their membership and keeps a Deactivation row with their role, so
every membership lookup in the project refuses them at once, while their claims, comments, verdicts
and audit events keep their user. Reactivating restores the membership with the same role.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from functools import partial

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from annotations.access import ROLE_RANK
from annotations.errors import Conflict, InvalidInput, NotAllowed
from annotations.models import Deactivation, Invitation, Membership, Role, Team
from annotations.services.audit import audit_record

logger = logging.getLogger(__name__)

SEND_INVITATION = "annotations.send_invitation"
INVITATION_QUEUE = "default"


def invitation_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.INVITATION_EXPIRY_DAYS)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _require_admin(*, team: Team, user: User | AnonymousUser | None) -> Membership:
    membership = None
    if user is not None and user.is_authenticated:
        membership = Membership.objects.filter(team=team, user=user).first()
    if membership is None or ROLE_RANK[Role(membership.role)] < ROLE_RANK[Role.ADMIN]:
        raise NotAllowed("Only the team's admins can manage its members.")
    return membership


def _check_role(role: str) -> Role:
    if role not in Role.values:
        raise InvalidInput(f"Choose one of: {', '.join(Role.values)}.", field="role")
    return Role(role)


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput("Enter a valid email address.", field="email") from exc
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _queue_email(invitation: Invitation, token: str, base_url: str) -> None:
    """Send the invitation email from the worker once the transaction commits."""

    def send() -> None:
        try:
            current_app.send_task(
                SEND_INVITATION, args=(invitation.pk, token, base_url), queue=INVITATION_QUEUE, retry=False
            )
        except Exception:  # the broker is down: the invitation shows as not sent, and Resend sends it
            logger.warning("Could not queue the invitation email for %s.", invitation.pk, exc_info=True)

    transaction.on_commit(partial(send))


@transaction.atomic
def invitation_create(*, team: Team, user: User, email: str, role: str, base_url: str) -> Invitation:
    """Invite `email` to the team with `role`; the worker emails the link after commit.

    `base_url` is the workbench's address as the admin sees it (scheme and host) for the link.
    """
    _require_admin(team=team, user=user)
    role = _check_role(role)
    email = _clean_email(email)
    if Membership.objects.filter(team=team, user__email__iexact=email).exists():
        raise InvalidInput(f"Someone with the address {email} is already a member.", field="email")
    if Invitation.objects.filter(
        team=team, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise InvalidInput(f"{email} is already invited: resend or revoke that invitation.", field="email")
    token, digest = _new_token()
    now = timezone.now()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                team=team,
                email=email,
                role=role,
                token_hash=digest,
                invited_by=user,
                expires_at=now + invitation_lifetime(),
            )
    except IntegrityError as exc:  # another admin invited the same address a moment ago
        raise InvalidInput(f"{email} is already invited: resend or revoke that invitation.", field="email") from exc
    audit_record(
        team=team, actor=user, action="invitation.create", target=invitation, after={"email": email, "role": role}
    )
    _queue_email(invitation, token, base_url)
    return invitation


def _open_invitation_locked(*, team: Team, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id, team=team).first()
    if invitation is None:
        raise InvalidInput("No such invitation.", field="invitation")
    if invitation.accepted_at is not None:
        raise Conflict(f"The invitation to {invitation.email} was already accepted.")
    if invitation.revoked_at is not None:
        raise Conflict(f"The invitation to {invitation.email} was revoked.")
    return invitation


@transaction.atomic
def invitation_resend(*, team: Team, user: User, invitation_id: int, base_url: str) -> Invitation:
    """A new link with a new expiry; the old link stops working at once."""
    _require_admin(team=team, user=user)
    invitation = _open_invitation_locked(team=team, invitation_id=invitation_id)
    token, digest = _new_token()
    before = {"expires_at": invitation.expires_at.isoformat()}
    invitation.token_hash = digest
    invitation.expires_at = timezone.now() + invitation_lifetime()
    invitation.sent_at = None
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at"])
    audit_record(
        team=team,
        actor=user,
        action="invitation.resend",
        target=invitation,
        before=before,
        after={"expires_at": invitation.expires_at.isoformat()},
    )
    _queue_email(invitation, token, base_url)
    return invitation


@transaction.atomic
def invitation_revoke(*, team: Team, user: User, invitation_id: int) -> Invitation:
    _require_admin(team=team, user=user)
    invitation = _open_invitation_locked(team=team, invitation_id=invitation_id)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        team=team, actor=user, action="invitation.revoke", target=invitation, before={"email": invitation.email}
    )
    return invitation


def invitation_email_send(*, invitation_id: int, token: str, base_url: str) -> bool:
    """Email the link, if `token` is still the invitation's and it is open. Returns whether it was sent.

    A resend or revocation in between makes this a no-op: only the newest link is ever mailed.
    """
    invitation = Invitation.objects.select_related("team", "invited_by").filter(pk=invitation_id).first()
    if (
        invitation is None
        or invitation.token_hash != token_hash(token)
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= timezone.now()
    ):
        return False
    link = base_url.rstrip("/") + reverse("invitation_accept", args=[token])
    context = {"invitation": invitation, "link": link, "team": invitation.team, "inviter": invitation.invited_by}
    send_mail(
        subject=f"You are invited to {invitation.team.name} on the fact-check workbench",
        message=render_to_string("people/invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    Invitation.objects.filter(pk=invitation.pk, token_hash=invitation.token_hash).update(sent_at=timezone.now())
    return True


def _join(*, invitation: Invitation, user: User) -> Membership:
    """Make `user` a member with the invitation's role (a set-aside member comes back); the caller
    holds the invitation's lock."""
    team = invitation.team
    Deactivation.objects.filter(team=team, user=user).delete()
    membership, created = Membership.objects.get_or_create(team=team, user=user, defaults={"role": invitation.role})
    if created:
        audit_record(
            team=team,
            actor=user,
            action="member.add",
            target=membership,
            after={"user": user.pk, "role": membership.role, "invitation": invitation.pk},
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(team=team, actor=user, action="invitation.accept", target=invitation, after={"user": user.pk})
    return membership


def _usable_invitation_locked(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().select_related("team").filter(token_hash=token_hash(token)).first()
    )
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= timezone.now()
    ):
        raise Conflict("This invitation link no longer works.")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """A signed-in user accepts the invitation the link carries and joins the team."""
    invitation = _usable_invitation_locked(token)
    if not user.email:
        user.email = invitation.email
        user.save(update_fields=["email"])
    return _join(invitation=invitation, user=user)


@transaction.atomic
def invitation_accept_as_new_user(
    *, token: str, username: str, password: str, first_name: str = "", last_name: str = ""
) -> Membership:
    """Create the invitee's account (the invited address as its email) and join the team."""
    invitation = _usable_invitation_locked(token)
    users = get_user_model()
    username = username.strip()
    username_field = users._meta.get_field("username")
    try:
        username_field.run_validators(username)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="username") from exc
    if not username:
        raise InvalidInput("Choose a username.", field="username")
    if users.objects.filter(username__iexact=username).exists():
        raise InvalidInput("That username is taken; choose another.", field="username")
    if users.objects.filter(email__iexact=invitation.email).exists():
        raise InvalidInput(
            f"An account with the address {invitation.email} exists already: sign in to accept.", field="username"
        )
    candidate = users(
        username=username, email=invitation.email, first_name=first_name.strip(), last_name=last_name.strip()
    )
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password1") from exc
    candidate.set_password(password)
    candidate.save()
    return _join(invitation=invitation, user=candidate)


def _keeps_an_admin(*, team: Team, leaving: Membership) -> None:
    admins = set(Membership.objects.select_for_update().filter(team=team, role=Role.ADMIN).values_list("pk", flat=True))
    if leaving.role == Role.ADMIN and admins <= {leaving.pk}:
        raise Conflict("A team needs at least one active admin: make someone else an admin first.")


@transaction.atomic
def member_deactivate(*, team: Team, user: User, membership_id: int) -> Deactivation:
    """Set a member aside: they can no longer open or change anything of the team's."""
    _require_admin(team=team, user=user)
    membership = (
        Membership.objects.select_for_update().select_related("user").filter(pk=membership_id, team=team).first()
    )
    if membership is None:
        raise InvalidInput("No such member.", field="member")
    _keeps_an_admin(team=team, leaving=membership)
    deactivation = Deactivation.objects.create(
        team=team,
        user=membership.user,
        role=membership.role,
        member_since=membership.created_at,
        deactivated_by=user,
    )
    audit_record(
        team=team,
        actor=user,
        action="member.deactivate",
        target=deactivation,
        before={"user": membership.user_id, "role": membership.role},
    )
    membership.delete()
    return deactivation


@transaction.atomic
def member_reactivate(*, team: Team, user: User, deactivation_id: int) -> Membership:
    _require_admin(team=team, user=user)
    deactivation = (
        Deactivation.objects.select_for_update().select_related("user").filter(pk=deactivation_id, team=team).first()
    )
    if deactivation is None:
        raise InvalidInput("No such deactivated member.", field="member")
    membership, _ = Membership.objects.get_or_create(
        team=team, user=deactivation.user, defaults={"role": deactivation.role}
    )
    audit_record(
        team=team,
        actor=user,
        action="member.reactivate",
        target=membership,
        after={"user": deactivation.user_id, "role": membership.role},
    )
    deactivation.delete()
    return membership


@transaction.atomic
def profile_update(*, user: User, first_name: str, last_name: str, email: str) -> User:
    """One's own name and address. Addresses are unique (case aside): sign-in through the identity
    provider finds accounts by address."""
    email = _clean_email(email) if email.strip() else ""
    if email and get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise InvalidInput("Another account uses this address.", field="email")
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.first_name, user.last_name, user.email = first_name.strip(), last_name.strip(), email
    user.save(update_fields=["first_name", "last_name", "email"])
    return user


@transaction.atomic
def oidc_user_joins(*, user: User, email: str) -> list[Membership]:
    """The teams a person signing in through the identity provider joins: every open invitation to
    their verified address is accepted; with none and no team yet, OIDC_DEFAULT_TEAM (if set) with
    OIDC_DEFAULT_ROLE. A team that set them aside does not take them back this way."""
    joined: list[Membership] = []
    invitations = (
        Invitation.objects.select_for_update()
        .select_related("team")
        .filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("pk")
    )
    for invitation in invitations:
        joined.append(_join(invitation=invitation, user=user))
    slug = settings.OIDC_DEFAULT_TEAM
    if not joined and slug and not Membership.objects.filter(user=user).exists():
        team = Team.objects.filter(slug=slug).first()
        if team is not None and not Deactivation.objects.filter(team=team, user=user).exists():
            membership, created = Membership.objects.get_or_create(
                team=team, user=user, defaults={"role": _check_role(settings.OIDC_DEFAULT_ROLE)}
            )
            if created:
                audit_record(
                    team=team,
                    actor=user,
                    action="member.add",
                    target=membership,
                    after={"user": user.pk, "role": membership.role, "via": "oidc"},
                )
                joined.append(membership)
    return joined
