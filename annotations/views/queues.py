"""The review queues page and its bulk actions: assigning claims, setting or clearing their due dates."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from annotations import policy
from annotations.access import ROLE_RANK
from annotations.errors import ServiceError
from annotations.models import Article, Membership, Priority, Rating, Role, Team
from annotations.selectors.queues import QUEUES, SORTS, QueueFilters, queue_page
from annotations.services.workflow import claims_bulk_assign, claims_bulk_set_due

UNASSIGNED = "none"


def _members(team: Team) -> list[Membership]:
    return list(Membership.objects.filter(team=team).select_related("user").order_by("user__username"))


class QueueFilterForm(forms.Form):
    """The queue page's query string. Invalid values are reported on the form, never a 500."""

    queue = forms.ChoiceField(choices=list(QUEUES.items()), required=False)
    text = forms.CharField(label="Claim text", required=False, max_length=200)
    article = forms.TypedChoiceField(label="Article", coerce=int, required=False, empty_value=None)
    assignee = forms.ChoiceField(label="Assignee", required=False)
    rating = forms.TypedChoiceField(label="Rating", coerce=int, required=False, empty_value=None)
    priority = forms.TypedChoiceField(
        label="Priority", coerce=int, required=False, empty_value=None, choices=[("", "Any"), *Priority.choices]
    )
    due_after = forms.DateField(label="Due from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_before = forms.DateField(label="Due until", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(label="Sort", choices=[(k, v[0]) for k, v in SORTS.items()], required=False)
    cursor = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def __init__(self, data: object, *, team: Team, members: list[Membership]) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        articles = Article.objects.filter(team=team).order_by("-created_at", "-id").values_list("pk", "title")[:500]
        self.fields["article"].choices = [("", "Any"), *articles]  # type: ignore[attr-defined]
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone"),
            (UNASSIGNED, "Nobody"),
            *((str(m.user_id), m.user.get_username()) for m in members),
        ]
        ratings = Rating.objects.filter(scale__team=team).order_by("position").values_list("pk", "label")
        self.fields["rating"].choices = [("", "Any"), *ratings]  # type: ignore[attr-defined]

    def filters(self) -> QueueFilters:
        data = self.cleaned_data
        assignee = data.get("assignee") or ""
        return QueueFilters(
            article=data.get("article"),
            assignee=int(assignee) if assignee.isdigit() else None,
            unassigned=assignee == UNASSIGNED,
            rating=data.get("rating"),
            priority=data.get("priority"),
            due_after=data.get("due_after"),
            due_before=data.get("due_before"),
            text=data.get("text") or "",
        )


def _query(params: dict[str, object]) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@policy.performs(GET="queue.read")
def queues(request: HttpRequest, team_slug: str) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    team = membership.team
    members = _members(team)
    form = QueueFilterForm(request.GET, team=team, members=members)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    queue = data.get("queue") or "mine"
    sort = data.get("sort") or ("due" if queue == "due" else "updated")
    page = None
    status = 200
    if valid:
        try:
            page = queue_page(
                team=team,
                user=request.user,
                queue=queue,
                filters=form.filters(),
                sort=sort,
                cursor=data.get("cursor") or None,
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    if page is None:
        status = 400
    filter_params = {k: request.GET.get(k, "") for k in form.fields if k not in ("queue", "cursor")}
    tabs = [
        {
            "name": name,
            "label": label,
            "count": page.counts.get(name, 0) if page else None,
            "url": "?" + _query({**filter_params, "queue": name, "sort": ""}),
        }
        for name, label in QUEUES.items()
    ]
    here = request.get_full_path()
    return render(
        request,
        "annotations/queues.html",
        {
            "team": team,
            "membership": membership,
            "form": form,
            "queue": queue,
            "queue_label": QUEUES.get(queue, ""),
            "tabs": tabs,
            "page": page,
            "overdue": page.counts.get("overdue", 0) if page else 0,
            "can_assign": ROLE_RANK[Role(membership.role)] >= ROLE_RANK[Role.EDITOR],
            "time_zone": timezone.get_current_timezone_name(),
            "members": members,
            "next_url": "?" + _query({**filter_params, "queue": queue, "sort": sort, "cursor": page.next_cursor})
            if page and page.next_cursor
            else None,
            "first_url": "?" + _query({**filter_params, "queue": queue, "sort": sort}) if data.get("cursor") else None,
            "here": here,
            "now": timezone.now(),
        },
        status=status,
    )


def _back(request: HttpRequest, team: Team) -> str:
    """Where a bulk action returns: the queue page it was sent from, never another site."""
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = reverse("queues", args=[team.slug])
    return back


def _selection(request: HttpRequest) -> tuple[list[int], dict[int, int]] | None:
    """The selected claim ids and the version each was read at; None when a version is missing."""
    ids = [int(i) for i in request.POST.getlist("claim_ids") if i.isdigit() and len(i) < 19]
    versions = {i: int(v) for i in ids if (v := request.POST.get(f"version-{i}", "")).isdigit() and len(v) < 10}
    if len(versions) != len(set(ids)):
        return None
    return ids, versions


LOST_VERSIONS = "The form lost the versions of the selected claims: reload the queue and try again."


@policy.performs(POST="queue.bulk_assign")
def queues_bulk_assign(request: HttpRequest, team_slug: str) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    team = membership.team
    back = _back(request, team)
    assignee_id = request.POST.get("assignee") or ""
    assignee = (
        Membership.objects.filter(team=team, user_id=int(assignee_id)).select_related("user").first()
        if assignee_id.isdigit() and len(assignee_id) < 19
        else None
    )
    if assignee is None:
        messages.error(request, "Choose a team member to assign the claims to.")
        return redirect(back)
    assert isinstance(request.user, User)
    selection = _selection(request)
    if selection is None:
        messages.error(request, LOST_VERSIONS)
        return redirect(back)
    ids, versions = selection
    try:
        result = claims_bulk_assign(
            team=team, claim_ids=ids, versions=versions, assignee=assignee.user, user=request.user
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    text = f"Assigned {len(result.assigned)} claim(s) to {assignee.user.get_username()}."
    if result.skipped:
        text += f" Skipped {len(result.skipped)} that cannot be assigned in their state."
    if result.changed:
        text += f" Left {len(result.changed)} that someone changed after you loaded the queue: check them again."
    messages.success(request, text)
    return redirect(back)


class BulkDueForm(forms.Form):
    """The due date for the selected claims, in the site's time zone; "clear" removes it."""

    due_at = forms.DateTimeField(
        label="Due", required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
    )
    operation = forms.ChoiceField(choices=[("set", "Set due date"), ("clear", "Clear due date")])

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("operation") == "set" and not data.get("due_at") and "due_at" not in self.errors:
            self.add_error("due_at", "Enter the date and time the claims are due.")
        return data


@policy.performs(POST="queue.bulk_due")
def queues_bulk_due(request: HttpRequest, team_slug: str) -> HttpResponse:
    """Set or clear the due date of the selected claims, then back to the queue with what was done."""
    membership = policy.membership_for(request, team_slug=team_slug)
    team = membership.team
    back = _back(request, team)
    form = BulkDueForm(request.POST)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, "Due date not changed: " + " ".join(problems))
        return redirect(back)
    selection = _selection(request)
    if selection is None:
        messages.error(request, LOST_VERSIONS)
        return redirect(back)
    ids, versions = selection
    due_at = form.cleaned_data["due_at"] if form.cleaned_data["operation"] == "set" else None
    assert isinstance(request.user, User)
    try:
        result = claims_bulk_set_due(team=team, claim_ids=ids, versions=versions, due_at=due_at, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if due_at is None:
        text = f"Cleared the due date of {len(result.updated)} claim(s)."
    else:
        when = timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M")
        text = f"Set the due date of {len(result.updated)} claim(s) to {when}."
    if result.skipped:
        text += f" Skipped {len(result.skipped)} that are published or set aside: they have no due date to meet."
    if result.changed:
        text += f" Left {len(result.changed)} that someone changed after you loaded the queue: check them again."
    messages.success(request, text)
    return redirect(back)
