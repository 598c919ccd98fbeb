"""The invitee's page (open a link, create an account or accept signed in) and one's own profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from annotations import policy
from annotations.errors import ServiceError
from annotations.selectors.people import EXPIRED, OPEN, invitation_for_link, user_memberships
from annotations.services.people import invitation_accept, invitation_accept_as_new_user, profile_update
from workbench.oidc import oidc_enabled


class NewAccountForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150, help_text="Letters, digits and @ . + - _ only.")
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The two passwords differ.")
        return data


_GONE = {
    EXPIRED: "This invitation has expired. Ask the team's admin to send it again.",
    "revoked": "This invitation was withdrawn by the team's admin.",
    "accepted": "This invitation has already been used. Sign in to reach the team.",
    "unknown": "This invitation link does not work: it may have been replaced by a newer one. "
    "Use the latest email, or ask the team's admin to send it again.",
}


def _invitation_page(
    request: HttpRequest, token: str, *, form: NewAccountForm | None = None, status: int = 200
) -> HttpResponse:
    link = invitation_for_link(token=token)
    if link.state != OPEN:
        return render(
            request,
            "people/invitation_gone.html",
            {"message": _GONE[link.state]},
            status=410 if link.invitation else 404,
        )
    return render(
        request,
        "people/invitation.html",
        {
            "invitation": link.invitation,
            "invited_team": link.invitation.team if link.invitation else None,
            "form": form or NewAccountForm(),
            "oidc_enabled": oidc_enabled(),
            "token": token,
        },
        status=status,
    )


@policy.performs(GET="invitation.accept", POST="invitation.accept")
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the invitation; POST accepts it, signed in or as a new account."""
    if request.method != "POST":
        return _invitation_page(request, token)
    link = invitation_for_link(token=token)
    if link.state != OPEN or link.invitation is None:
        return _invitation_page(request, token)
    team = link.invitation.team
    if request.user.is_authenticated:
        assert isinstance(request.user, User)
        try:
            membership = invitation_accept(token=token, user=request.user)
        except ServiceError:
            return _invitation_page(request, token)
        messages.success(request, f"Welcome to {team.name}: you are {membership.get_role_display().lower()}.")
        return redirect("dashboard", team_slug=team.slug)
    form = NewAccountForm(request.POST)
    if not form.is_valid():
        return _invitation_page(request, token, form=form, status=400)
    try:
        membership = invitation_accept_as_new_user(
            token=token,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
    except ServiceError as exc:
        if invitation_for_link(token=token).state != OPEN:
            return _invitation_page(request, token)
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _invitation_page(request, token, form=form, status=400)
    login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Welcome to {team.name}: you are {membership.get_role_display().lower()}.")
    return redirect("dashboard", team_slug=team.slug)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(label="Email address", max_length=254, required=False)


def _profile_page(request: HttpRequest, user: User, form: ProfileForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "people/profile.html",
        {"form": form, "profile_user": user, "memberships": list(user_memberships(user=user))},
        status=status,
    )


@policy.performs(GET="profile.edit", POST="profile.edit")
def profile_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method != "POST":
        form = ProfileForm(initial={"first_name": user.first_name, "last_name": user.last_name, "email": user.email})
        return _profile_page(request, user, form)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            profile_update(user=user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Saved your profile.")
            return redirect("profile")
    return _profile_page(request, user, form, status=400)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "people/password_change.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Changed your password.")
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


password_change_view = policy.performs(GET="profile.edit", POST="profile.edit")(PasswordChangeView.as_view())
