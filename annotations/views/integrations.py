"""Team settings → Integrations: the team's webhook endpoints, their delivery logs, a test ping
and redelivery. Admins only (the "webhook.manage" action); the services check again."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from annotations import policy
from annotations.errors import NotAllowed, ServiceError
from annotations.models import Membership, WebhookDelivery, WebhookEndpoint, WebhookEvent
from annotations.selectors.webhooks import (
    webhook_deliveries_for_endpoint,
    webhook_endpoint_of_team,
    webhook_endpoints_for_team,
)
from annotations.services.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_set_active,
    webhook_ping,
    webhook_redeliver,
)

DELIVERIES_PER_PAGE = 25
MANAGE = "webhook.manage"


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="Endpoint address",
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
        help_text="An https:// address on the public internet. Deliveries are POSTed there as JSON.",
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[WebhookEvent.VERDICT_PUBLISHED],
        error_messages={"required": "Choose at least one event."},
    )


class ActiveForm(forms.Form):
    active = forms.BooleanField(required=False)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _endpoint(membership: Membership, endpoint_id: int) -> WebhookEndpoint:
    endpoint = webhook_endpoint_of_team(team=membership.team, endpoint_id=endpoint_id)
    if endpoint is None:
        raise Http404("No such webhook endpoint.")
    return endpoint


def _page(
    request: HttpRequest,
    membership: Membership,
    *,
    status: int = 200,
    form: EndpointForm | None = None,
    created: WebhookEndpoint | None = None,
    error: str = "",
) -> HttpResponse:
    return render(
        request,
        "integrations/integrations.html",
        {
            "team": membership.team,
            "membership": membership,
            "endpoints": list(webhook_endpoints_for_team(team=membership.team)),
            "form": form or EndpointForm(),
            "created": created,
            "error": error,
        },
        status=status,
    )


@policy.performs(GET=MANAGE)
def integrations(request: HttpRequest, team_slug: str) -> HttpResponse:
    return _page(request, policy.membership_for(request, team_slug=team_slug))


@policy.performs(POST=MANAGE)
def webhook_add(request: HttpRequest, team_slug: str) -> HttpResponse:
    """On success the page itself answers (no redirect): it is the only time the secret is shown."""
    membership = policy.membership_for(request, team_slug=team_slug)
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint = webhook_endpoint_create(
                team=membership.team,
                user=_user(request),
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except NotAllowed:
            raise
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return _page(request, membership, status=201, created=endpoint)
    return _page(request, membership, status=400, form=form)


@policy.performs(POST=MANAGE)
def webhook_set_active(request: HttpRequest, team_slug: str, endpoint_id: int) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    endpoint = _endpoint(membership, endpoint_id)
    form = ActiveForm(request.POST)
    form.is_valid()
    active = bool(form.cleaned_data.get("active"))
    webhook_endpoint_set_active(endpoint=endpoint, user=_user(request), is_active=active)
    messages.success(request, f"{'Resumed' if active else 'Paused'} {endpoint.url}.")
    if request.POST.get("next") == "endpoint":
        return redirect("webhook_endpoint", team_slug=team_slug, endpoint_id=endpoint.pk)
    return redirect("integrations", team_slug=team_slug)


@policy.performs(POST=MANAGE)
def webhook_delete(request: HttpRequest, team_slug: str, endpoint_id: int) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    endpoint = _endpoint(membership, endpoint_id)
    url = endpoint.url
    webhook_endpoint_delete(endpoint=endpoint, user=_user(request))
    messages.success(request, f"Deleted the endpoint {url} and its delivery log.")
    return redirect("integrations", team_slug=team_slug)


def _endpoint_page(
    request: HttpRequest, membership: Membership, endpoint: WebhookEndpoint, *, status: int = 200, error: str = ""
) -> HttpResponse:
    page = Paginator(webhook_deliveries_for_endpoint(endpoint=endpoint), DELIVERIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "integrations/endpoint.html",
        {"team": membership.team, "membership": membership, "endpoint": endpoint, "page": page, "error": error},
        status=status,
    )


@policy.performs(GET=MANAGE)
def webhook_endpoint(request: HttpRequest, team_slug: str, endpoint_id: int) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    return _endpoint_page(request, membership, _endpoint(membership, endpoint_id))


@policy.performs(POST=MANAGE)
def webhook_ping_view(request: HttpRequest, team_slug: str, endpoint_id: int) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    endpoint = _endpoint(membership, endpoint_id)
    try:
        delivery = webhook_ping(endpoint=endpoint, user=_user(request))
    except NotAllowed:
        raise
    except ServiceError as exc:
        return _endpoint_page(request, membership, endpoint, status=409, error=exc.message)
    messages.success(request, f"Queued a test ping (delivery {delivery.pk}).")
    return redirect("webhook_endpoint", team_slug=team_slug, endpoint_id=endpoint.pk)


@policy.performs(POST=MANAGE)
def webhook_redeliver_view(request: HttpRequest, team_slug: str, endpoint_id: int, delivery_id: int) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    endpoint = _endpoint(membership, endpoint_id)
    delivery = (
        WebhookDelivery.objects.select_related("endpoint__team")
        .filter(pk=delivery_id, endpoint=endpoint, team=membership.team)
        .first()
    )
    if delivery is None:
        raise Http404("No such delivery.")
    try:
        again = webhook_redeliver(delivery=delivery, user=_user(request))
    except NotAllowed:
        raise
    except ServiceError as exc:
        return _endpoint_page(request, membership, endpoint, status=409, error=exc.message)
    messages.success(request, f"Queued delivery {delivery.pk} again as delivery {again.pk}.")
    return redirect("webhook_endpoint", team_slug=team_slug, endpoint_id=endpoint.pk)
