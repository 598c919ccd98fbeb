"""Team settings: members and roles, the rating scale, the default due time, the match score "Already checked?"
needs and the public profile.
Admins change; members look."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from annotations import policy
from annotations.errors import Conflict, NotAllowed, ServiceError
from annotations.matching.ranking import DEFAULT_THRESHOLD
from annotations.models import Membership, Rating, Role, Team
from annotations.selectors.people import deactivated_username, team_deactivations, team_invitations
from annotations.services.people import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
    member_deactivate,
    member_reactivate,
)
from annotations.services.workflow import (
    rating_scale_update,
    team_default_due_days_set,
    team_member_add,
    team_member_remove,
    team_member_set_role,
)
from annotations.services.workflow.team_settings import (
    MAX_DUE_DAYS,
    MAX_PUBLIC_NAME,
    MAX_PUBLIC_URL,
    MAX_SIMILARITY_THRESHOLD,
    MIN_SIMILARITY_THRESHOLD,
    RatingInput,
    team_public_profile_set,
    team_similarity_threshold_set,
)
from annotations.views.external_reviews import checked_elsewhere


class MemberAddForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.REVIEWER)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.REVIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class DueDaysForm(forms.Form):
    default_due_days = forms.IntegerField(
        label="Days allowed before a claim is due", min_value=1, max_value=MAX_DUE_DAYS
    )


class SimilarityThresholdForm(forms.Form):
    similarity_threshold = forms.FloatField(
        label="Match score needed (0 to 1)",
        min_value=MIN_SIMILARITY_THRESHOLD,
        max_value=MAX_SIMILARITY_THRESHOLD,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text=(
            "“Already checked?” in the claim panel lists an earlier claim when its match score is at least this. "
            "Lower finds more, including looser matches; higher shows only close ones. "
            f"{DEFAULT_THRESHOLD} is the default."
        ),
    )


class PublicProfileForm(forms.Form):
    public_name = forms.CharField(
        label="Public name",
        max_length=MAX_PUBLIC_NAME,
        required=False,
        help_text="The name your public fact-checks are published under. Empty: the team's name.",
    )
    public_url = forms.URLField(
        label="Public address",
        max_length=MAX_PUBLIC_URL,
        required=False,
        assume_scheme="https",
        help_text="Your organisation's website. Empty: the team's public index of fact-checks.",
    )
    logo_url = forms.URLField(
        label="Logo address",
        max_length=MAX_PUBLIC_URL,
        required=False,
        assume_scheme="https",
        help_text="The address of your logo image, used in the ClaimReview markup. Empty: no logo.",
    )

    @classmethod
    def of(cls, team: Team) -> PublicProfileForm:
        return cls(initial={"public_name": team.public_name, "public_url": team.public_url, "logo_url": team.logo_url})


class RatingForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label="Label", max_length=60, required=False)
    value = forms.IntegerField(label="Value", required=False, min_value=-100, max_value=100)
    color = forms.CharField(label="Colour", max_length=7, widget=forms.TextInput(attrs={"type": "color"}))


RatingFormSet = formset_factory(RatingForm, extra=1, can_delete=True, can_order=True)


def _rating_formset(team: Team, data: Any = None) -> Any:
    ratings = Rating.objects.filter(scale__team=team).order_by("position")
    initial = [
        {"id": r.pk, "label": r.label, "value": r.value, "color": r.color, "ORDER": i + 1}
        for i, r in enumerate(ratings)
    ]
    formset = RatingFormSet(data, initial=initial, prefix="rating")
    for form in formset.extra_forms:
        form.fields["color"].initial = "#777777"
    return formset


def _page(
    request: HttpRequest,
    membership: Membership,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    **forms_given: Any,
) -> HttpResponse:
    team = membership.team
    members = list(Membership.objects.filter(team=team).select_related("user").order_by("user__username"))
    return render(
        request,
        "annotations/team_settings.html",
        {
            "team": team,
            "membership": membership,
            "is_admin": membership.role == Role.ADMIN,
            "members": members,
            "roles": Role.choices,
            "add_form": forms_given.get("add_form") or MemberAddForm(),
            "invite_form": forms_given.get("invite_form") or InvitationForm(),
            "invitations": team_invitations(team=team) if membership.role == Role.ADMIN else [],
            "deactivated": list(team_deactivations(team=team)),
            "due_form": forms_given.get("due_form") or DueDaysForm(initial={"default_due_days": team.default_due_days}),
            "ratings": forms_given.get("ratings") or _rating_formset(team),
            "profile_form": forms_given.get("profile_form") or PublicProfileForm.of(team),
            "similarity_form": forms_given.get("similarity_form")
            or SimilarityThresholdForm(initial={"similarity_threshold": team.similarity_threshold}),
            "can_manage_suggestions": policy.refusal(action="suggestions.manage", membership=membership) is None,
            "errors": errors or {},
            **checked_elsewhere(membership, forms_given),
        },
        status=status,
    )


@policy.performs(GET="member.read")
def team_settings(request: HttpRequest, team_slug: str) -> HttpResponse:
    return _page(request, policy.membership_for(request, team_slug=team_slug))


def _admin_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@policy.performs(POST="member.manage")
def team_member_add_view(request: HttpRequest, team_slug: str) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    form = MemberAddForm(request.POST)
    if form.is_valid() and deactivated_username(team=membership.team, username=form.cleaned_data["username"]):
        form.add_error("username", "This person was deactivated here: reactivate them in the list below.")
    if form.is_valid():
        try:
            added = team_member_add(
                team=membership.team,
                user=_admin_user(request),
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
            )
        except NotAllowed as exc:
            return _page(request, membership, status=403, errors={"page": exc.message})
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Added {added.user.get_username()} as {added.get_role_display().lower()}.")
            return redirect("team_settings", team_slug=team_slug)
    return _page(request, membership, status=400, add_form=form)


def _team_member(membership: Membership, member_id: int) -> Membership:
    try:
        return Membership.objects.select_related("user").get(pk=member_id, team=membership.team)
    except Membership.DoesNotExist as exc:
        raise Http404("No such member.") from exc


@policy.performs(POST="member.manage")
def team_member_role_view(request: HttpRequest, team_slug: str, member_id: int) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    member = _team_member(membership, member_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _page(request, membership, status=400, errors={"member": "Choose a role."})
    try:
        team_member_set_role(
            team=membership.team, user=_admin_user(request), membership=member, role=form.cleaned_data["role"]
        )
    except NotAllowed as exc:
        return _page(request, membership, status=403, errors={"page": exc.message})
    except ServiceError as exc:
        return _page(request, membership, status=400, errors={"member": f"{member.user.get_username()}: {exc.message}"})
    messages.success(request, f"{member.user.get_username()} is now {form.cleaned_data['role']}.")
    return redirect("team_settings", team_slug=team_slug)


@policy.performs(POST="member.manage")
def team_member_remove_view(request: HttpRequest, team_slug: str, member_id: int) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    member = _team_member(membership, member_id)
    try:
        team_member_remove(team=membership.team, user=_admin_user(request), membership=member)
    except NotAllowed as exc:
        return _page(request, membership, status=403, errors={"page": exc.message})
    except ServiceError as exc:
        return _page(request, membership, status=400, errors={"member": f"{member.user.get_username()}: {exc.message}"})
    messages.success(request, f"Removed {member.user.get_username()} from the team.")
    if member.user_id == request.user.pk:
        return redirect("home")
    return redirect("team_settings", team_slug=team_slug)


def _site_address(request: HttpRequest) -> str:
    """The workbench's address as the admin reached it, for the link in an invitation email."""
    return request.build_absolute_uri("/")


def _member_change(
    request: HttpRequest, team_slug: str, change: Callable[[Team, User], str], *, error_key: str = "member"
) -> HttpResponse:
    """Run one change to the team's people: back to the page with a message, or the page with the error."""
    membership = policy.membership_for(request, team_slug=team_slug)
    try:
        done = change(membership.team, _admin_user(request))
    except NotAllowed as exc:
        return _page(request, membership, status=403, errors={"page": exc.message})
    except ServiceError as exc:
        return _page(
            request, membership, status=409 if isinstance(exc, Conflict) else 400, errors={error_key: exc.message}
        )
    messages.success(request, done)
    return redirect(f"{reverse('team_settings', args=[team_slug])}#members-heading")


@policy.performs(POST="member.manage")
def team_invitation_create_view(request: HttpRequest, team_slug: str) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitation_create(
                team=membership.team,
                user=_admin_user(request),
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=_site_address(request),
            )
        except NotAllowed as exc:
            return _page(request, membership, status=403, errors={"page": exc.message})
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                f"Invited {invitation.email} as {invitation.get_role_display().lower()}; the email is on its way.",
            )
            return redirect(f"{reverse('team_settings', args=[team_slug])}#invitations-heading")
    return _page(request, membership, status=400, invite_form=form)


@policy.performs(POST="member.manage")
def team_invitation_resend_view(request: HttpRequest, team_slug: str, invitation_id: int) -> HttpResponse:
    def change(team: Team, user: User) -> str:
        invitation = invitation_resend(
            team=team, user=user, invitation_id=invitation_id, base_url=_site_address(request)
        )
        return f"Sent a new link to {invitation.email}; the earlier link no longer works."

    return _member_change(request, team_slug, change, error_key="invitations")


@policy.performs(POST="member.manage")
def team_invitation_revoke_view(request: HttpRequest, team_slug: str, invitation_id: int) -> HttpResponse:
    def change(team: Team, user: User) -> str:
        invitation = invitation_revoke(team=team, user=user, invitation_id=invitation_id)
        return f"Revoked the invitation to {invitation.email}."

    return _member_change(request, team_slug, change, error_key="invitations")


@policy.performs(POST="member.manage")
def team_member_deactivate_view(request: HttpRequest, team_slug: str, member_id: int) -> HttpResponse:
    def change(team: Team, user: User) -> str:
        deactivation = member_deactivate(team=team, user=user, membership_id=member_id)
        return f"Deactivated {deactivation.user.get_username()}: their work stays under their name."

    return _member_change(request, team_slug, change)


@policy.performs(POST="member.manage")
def team_member_reactivate_view(request: HttpRequest, team_slug: str, deactivation_id: int) -> HttpResponse:
    def change(team: Team, user: User) -> str:
        membership = member_reactivate(team=team, user=user, deactivation_id=deactivation_id)
        return f"Reactivated {membership.user.get_username()} as {membership.get_role_display().lower()}."

    return _member_change(request, team_slug, change)


def _setting_saved(
    request: HttpRequest,
    team_slug: str,
    form: forms.Form,
    save: Callable[[Team, User, Any], object],
    *,
    field: str,
    form_key: str,
    error_field: str | None,
    done: str,
) -> HttpResponse:
    """Save one workflow setting from its form: back to the page with a message, or the page with the error."""
    membership = policy.membership_for(request, team_slug=team_slug)
    if form.is_valid():
        try:
            save(membership.team, _admin_user(request), form.cleaned_data[field])
        except NotAllowed as exc:
            return _page(request, membership, status=403, errors={"page": exc.message})
        except ServiceError as exc:
            form.add_error(error_field, exc.message)
        else:
            messages.success(request, done)
            return redirect("team_settings", team_slug=team_slug)
    given: dict[str, Any] = {form_key: form}
    return _page(request, membership, status=400, **given)


@policy.performs(POST="workflow.manage")
def team_due_days_view(request: HttpRequest, team_slug: str) -> HttpResponse:
    return _setting_saved(
        request,
        team_slug,
        DueDaysForm(request.POST),
        lambda team, user, days: team_default_due_days_set(team=team, user=user, days=days),
        field="default_due_days",
        form_key="due_form",
        error_field=None,
        done="Saved the default due time.",
    )


@policy.performs(POST="workflow.manage")
def team_similarity_threshold_view(request: HttpRequest, team_slug: str) -> HttpResponse:
    return _setting_saved(
        request,
        team_slug,
        SimilarityThresholdForm(request.POST),
        lambda team, user, value: team_similarity_threshold_set(team=team, user=user, threshold=value),
        field="similarity_threshold",
        form_key="similarity_form",
        error_field="similarity_threshold",
        done="Saved the match score “Already checked?” needs.",
    )


@policy.performs(POST="rating_scale.manage")
def rating_scale_view(request: HttpRequest, team_slug: str) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    formset = _rating_formset(membership.team, request.POST)
    if formset.is_valid():
        rows: list[tuple[int, int, RatingInput]] = []
        for index, form in enumerate(formset.forms):
            data = form.cleaned_data
            if not data or form in formset.deleted_forms or (data.get("id") is None and not data.get("label")):
                continue
            item: RatingInput = {"id": data.get("id"), "label": data.get("label") or "", "value": data.get("value")}
            item["color"] = data.get("color") or ""
            rows.append((data.get("ORDER") or 10_000, index, item))
        try:
            rating_scale_update(
                team=membership.team, user=_admin_user(request), ratings=[item for _, _, item in sorted(rows)]
            )
        except NotAllowed as exc:
            return _page(request, membership, status=403, errors={"page": exc.message})
        except ServiceError as exc:
            return _page(request, membership, status=400, ratings=formset, errors={"ratings": exc.message})
        messages.success(request, "Saved the rating scale.")
        return redirect("team_settings", team_slug=team_slug)
    return _page(request, membership, status=400, ratings=formset, errors={"ratings": "Correct the marked fields."})


@policy.performs(POST="team_profile.manage")
def team_profile_view(request: HttpRequest, team_slug: str) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    form = PublicProfileForm(request.POST)
    if form.is_valid():
        try:
            team_public_profile_set(team=membership.team, user=_admin_user(request), **form.cleaned_data)
        except NotAllowed as exc:
            return _page(request, membership, status=403, errors={"page": exc.message})
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Saved the public profile.")
            return redirect("team_settings", team_slug=team_slug)
    return _page(request, membership, status=400, profile_form=form)
