"""Who may do what. Every page and API route names the action it performs; this module says which
roles, and for claims which states, allow each action, and fetches objects together with the check.

A route declares its actions per HTTP method: DRF views with a `policy` class attribute
(`{"GET": "claim.read", "PATCH": "claim.edit"}`), page views with the `@performs(...)` decorator,
framework views with `declare(...)`. `annotations.api.permissions.PolicyPermission` and the
decorator put the action on the request, and the fetchers here (`team_for`, `article_for`,
`claim_for`, `snapshot_for`) check it against the object's team: another team's object is missing
(404), a role too low is NotAllowed (403), a claim in a state the action does not allow is a
Conflict (409). A route without a declared action is refused (and fails tests/test_policy.py).

Lifecycle transitions (assign, propose, approve, publish, …) are claim actions too; their roles
and states come from the one lifecycle table, `annotations.selectors.workflow.TRANSITIONS`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from annotations.access import ROLE_RANK
from annotations.errors import Conflict, NotAllowed
from annotations.models import (
    ApiToken,
    Article,
    Claim,
    ClaimStatus,
    ExternalReview,
    Membership,
    ReviewFeed,
    Role,
    Snapshot,
    Suggestion,
    Team,
)

if TYPE_CHECKING:
    from annotations.selectors.workflow import Transition

AnyUser = User | AnonymousUser

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed in"  # any signed-in user; the object is their own
MEMBER = "member"  # a member of the object's team with at least `role`
STAFF = "staff"  # Django's admin site: staff users, checked by Django itself

S = ClaimStatus


@dataclass(frozen=True)
class Rule:
    """What an action needs: the audience, the least team role, the claim states, and whether a
    team's read-only API key may do it."""

    action: str
    label: str
    audience: str = MEMBER
    role: Role | None = Role.REVIEWER
    states: frozenset[str] | None = None
    team_key: bool = False
    editor_states: frozenset[str] | None = None  # more states allowed from the editor role up

    def states_for(self, role: Role) -> frozenset[str] | None:
        if self.states is None:
            return None
        if self.editor_states is not None and ROLE_RANK[role] >= ROLE_RANK[Role.EDITOR]:
            return self.states | self.editor_states
        return self.states


_OPEN = frozenset({S.NEW, S.IN_RESEARCH, S.CHANGES_REQUESTED})
_PUBLISHED_RECORD = frozenset(
    s for s in ("published", "correction_in_review", "correction_approved", "retracted") if s in S.values
)
# The claim's wording is public once its verdict is; only a correction or retraction changes that record.
_WORDING_EDITABLE = frozenset(S.values) - _PUBLISHED_RECORD

_RULES: tuple[Rule, ...] = (
    # Signing in, the API's description, public pages.
    Rule("session.login", "Sign in or out", audience=PUBLIC, role=None),
    Rule("site.health", "Health check", audience=PUBLIC, role=None),
    Rule("site.asset", "Fetch the site's icon", audience=PUBLIC, role=None),
    Rule("api.describe", "Read the API schema and docs", audience=PUBLIC, role=None),
    Rule("corrections.read", "Read a team's public corrections log", audience=PUBLIC, role=None),
    Rule(
        "public.read",
        "Read published fact-checks: their pages, the index, feeds and sitemap",
        audience=PUBLIC,
        role=None,
    ),
    Rule("team_profile.manage", "Set the team's public name, address and logo", role=Role.ADMIN),
    Rule("admin.site", "Use Django's admin site", audience=STAFF, role=None),
    # One's own account.
    Rule("home.read", "Open the start page", audience=SIGNED_IN, role=None),
    Rule("token.manage", "Manage one's personal API tokens", audience=SIGNED_IN, role=None),
    Rule("profile.edit", "Change one's own name, email address and password", audience=SIGNED_IN, role=None),
    Rule(
        "invitation.accept",
        "Open an invitation link, and accept it (creating an account, or signed in)",
        audience=PUBLIC,
        role=None,
    ),
    Rule("notification.read", "Read one's notifications", audience=SIGNED_IN, role=None),
    Rule(
        "notification.manage",
        "Mark one's notifications read and choose which to get, in the app and by email",
        audience=SIGNED_IN,
        role=None,
    ),
    # Reading a team's work.
    Rule("team.read", "See a team and its dashboard", team_key=True),
    Rule("article.read", "Read articles", team_key=True),
    Rule("claim.read", "Read claims, their sources, verdicts, comments and history", team_key=True),
    Rule("claimreview.read", "Read published verdicts as ClaimReview", team_key=True),
    Rule("snapshot.read", "Open a stored copy of a source", team_key=False),
    Rule("queue.read", "Work through the review queues"),
    Rule("member.read", "See the team's members, rating scale and settings"),
    Rule("external_review.read", "See the other fact-checkers' reviews the team imported, and their feeds"),
    # Annotating and researching.
    Rule("article.create", "Add an article"),
    Rule("claim.create", "Mark a claim"),
    Rule("suggestion.read", "Read the claims suggested in an article", team_key=True),
    Rule("suggestion.decide", "Accept a suggested claim (marking it) or dismiss it"),
    Rule(
        "claim.edit_wording",
        "Edit a claim's restated wording, claimant and date",
        states=frozenset(_OPEN),
        editor_states=_WORDING_EDITABLE - _OPEN,
    ),
    Rule("claim.edit", "Save a claim's details (each field as its own action allows)"),
    Rule("claim.transition", "Move a claim through the lifecycle (each step as the lifecycle table allows)"),
    Rule("claim.link_duplicate", "Link a claim to an earlier, already-checked one", states=_WORDING_EDITABLE),
    Rule("verdict.draft", "Record a draft verdict on an open claim", states=frozenset(_OPEN)),
    Rule("source.add", "Add a source to a claim"),
    Rule("source.refetch", "Fetch a source again"),
    Rule("comment.add", "Comment on a claim"),
    Rule("claim.delete", "Delete a claim (reviewers: a new claim they marked)", states=_WORDING_EDITABLE),
    # Running the desk.
    Rule("article.revise", "Replace an article's text with a new revision", role=Role.EDITOR),
    Rule("claim.plan", "Set a claim's priority, due date and assignee", role=Role.EDITOR),
    Rule("queue.bulk_assign", "Assign many claims at once", role=Role.EDITOR),
    Rule("queue.bulk_due", "Set or clear many claims' due dates at once", role=Role.EDITOR),
    Rule("suggestions.manage", "Turn the team's claim suggestions on or off", role=Role.EDITOR),
    Rule("workflow.edit", "Change the team's workflow settings (each as its own action allows)", role=Role.EDITOR),
    Rule(
        "external_review.manage",
        "Import other fact-checkers' ClaimReview, and add, read again or remove the feeds it comes from",
        role=Role.EDITOR,
    ),
    # Administering the team.
    Rule("member.manage", "Add and remove members, change roles", role=Role.ADMIN),
    Rule("rating_scale.manage", "Change the rating scale", role=Role.ADMIN),
    Rule("workflow.manage", "Change the default due time and the match threshold", role=Role.ADMIN),
    Rule("team_key.manage", "Issue and revoke the team's read-only API keys", role=Role.ADMIN),
    Rule("webhook.manage", "Register webhooks and read their deliveries", role=Role.ADMIN),
)

# Lifecycle steps that act on the verdict rather than on the claim alone.
_VERDICT_STEPS = frozenset(
    {
        "propose",
        "request_changes",
        "approve",
        "publish",
        "propose_correction",
        "approve_correction",
        "publish_correction",
        "withdraw_correction",
        "retract",
    }
)


def transition_action(step: str) -> str:
    """The policy name of a lifecycle step: "publish" is "verdict.publish", "assign" is "claim.assign"."""
    return f"{'verdict' if step in _VERDICT_STEPS else 'claim'}.{step}"


def _transition_rules() -> dict[str, Rule]:
    from annotations.selectors.workflow import REVIEWER_NOT_CHECK_WORTHY_FROM, TRANSITIONS

    rules: dict[str, Rule] = {}
    for step, transition in TRANSITIONS.items():
        name = transition_action(step)
        states = frozenset(transition.sources)
        editor_states = None
        if step == "not_check_worthy":
            # Reviewers may set aside a claim still being researched; later it takes an editor.
            editor_states, states = states - REVIEWER_NOT_CHECK_WORTHY_FROM, frozenset(REVIEWER_NOT_CHECK_WORTHY_FROM)
        rules[name] = Rule(name, transition.label, role=transition.role, states=states, editor_states=editor_states)
    return rules


@functools.cache
def rules() -> dict[str, Rule]:
    """Every action by name: the table above and the lifecycle's steps."""
    table = {rule.action: rule for rule in _RULES}
    for name, rule in _transition_rules().items():
        assert name not in table, name
        table[name] = rule
    return table


def rule(action: str) -> Rule:
    try:
        return rules()[action]
    except KeyError:
        raise LookupError(f"Undeclared action {action!r}: add it to annotations.policy.") from None


def has_role(membership: Membership | None, role: Role | str | None) -> bool:
    if role is None:
        return True
    return membership is not None and ROLE_RANK[Role(membership.role)] >= ROLE_RANK[Role(role)]


def refusal(*, action: str, membership: Membership | None, claim: Claim | None = None) -> NotAllowed | Conflict | None:
    """Why the member may not take `action` (on `claim`, for state rules), or None if they may."""
    r = rule(action)
    if r.audience != MEMBER:
        return None
    if membership is None:
        return NotAllowed("Only members of the team can do this.")
    if not has_role(membership, r.role):
        assert r.role is not None
        return NotAllowed(f"“{r.label}” needs the {Role(r.role).label.lower()} role.")
    if claim is not None:
        states = r.states_for(Role(membership.role))
        if states is not None and claim.status not in states:
            if r.editor_states and claim.status in r.editor_states:
                return NotAllowed(f"“{r.label}” on a claim that is {_status(claim)} needs the editor role.")
            return Conflict(f"“{r.label}” is not possible while the claim is {_status(claim)}.")
    return None


def _status(claim: Claim) -> str:
    return str(S(claim.status).label).lower()


def check(*, action: str, membership: Membership | None, claim: Claim | None = None) -> None:
    """Raise the refusal, if any (see `refusal`)."""
    problem = refusal(action=action, membership=membership, claim=claim)
    if problem is not None:
        raise problem


# --- Routes declare their actions ---------------------------------------------------------------

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
V = TypeVar("V", bound=Callable[..., Any])


def route_actions(callback: Any) -> dict[str, str]:
    """The actions a URL pattern's view declares, by HTTP method ({} when it declares none)."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    declared = getattr(view_class, "policy", None) if view_class is not None else None
    if declared is None:
        declared = getattr(callback, "policy", None)
    if not isinstance(declared, dict):
        return {}
    return {method.upper(): action for method, action in declared.items()}


def declare(view: V, action: str | dict[str, str]) -> V:
    """Declare the action(s) of a view this project does not define (sign-in, the API schema)."""
    actions = action if isinstance(action, dict) else dict.fromkeys(METHODS, action)
    for name in actions.values():
        rule(name)
    view.policy = actions  # type: ignore[attr-defined]
    return view


def performs(action: str | None = None, **by_method: str) -> Callable[[V], V]:
    """Declare a page view's action per method (GET=…, POST=…), or one action for every method.

    The action is put on the request for the fetchers below; pages for members need a sign-in.
    A method the view does not declare is refused with 405.
    """
    actions = dict.fromkeys(METHODS, action) if action else {m.upper(): a for m, a in by_method.items()}
    if "GET" in actions:
        actions.setdefault("HEAD", actions["GET"])
    audiences = {rule(name).audience for name in actions.values() if name}

    def decorate(view: V) -> V:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            name = actions.get(request.method or "GET")
            if name is None:
                from django.http import HttpResponseNotAllowed

                return HttpResponseNotAllowed(sorted(actions))
            request.policy_action = name  # type: ignore[attr-defined]
            try:
                return view(request, *args, **kwargs)
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc

        guarded: Any = wrapped if audiences <= {PUBLIC} else login_required(wrapped)
        guarded.policy = {m: a for m, a in actions.items() if a}
        return guarded

    return decorate


def request_action(request: Any) -> str:
    """The action the route declared for this request (set by PolicyPermission or @performs)."""
    action = getattr(request, "policy_action", None)
    if action is None:
        inner = getattr(request, "_request", None)
        action = getattr(inner, "policy_action", None)
    if action is None:
        raise PermissionDenied("This route declares no action.")
    return str(action)


# --- Fetching objects with the check -----------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user (session or personal token), or a team's read-only key."""

    user: User | None
    key: ApiToken | None = None

    @classmethod
    def of(cls, request: Any) -> Actor:
        auth = getattr(request, "auth", None)
        from annotations.models import TokenKind

        if isinstance(auth, ApiToken) and auth.kind == TokenKind.TEAM_READ:
            return cls(user=None, key=auth)
        user = getattr(request, "user", None)
        return cls(user=user if isinstance(user, User) and user.is_authenticated else None)

    def team_ids(self) -> Iterable[int] | Any:
        if self.key is not None:
            return Team.objects.filter(pk=self.key.team_id or 0).values("pk")
        if self.user is None:
            return Team.objects.none().values("pk")
        return Membership.objects.filter(user=self.user).values("team_id")

    def membership(self, team_id: int) -> Membership | None:
        if self.user is None:
            return None
        return Membership.objects.select_related("team").filter(team_id=team_id, user=self.user).first()


def _allow(actor: Actor, action: str, team_id: int, claim: Claim | None = None) -> Membership | None:
    """Check `action` for the actor on an object of `team_id`; the member's membership (None for a key)."""
    r = rule(action)
    if r.audience == PUBLIC:
        return actor.membership(team_id)
    if actor.key is not None:
        if not r.team_key:
            raise NotAllowed("A team API key is read-only.")
        return None
    membership = actor.membership(team_id)
    if membership is None:
        raise Http404("Not found.")
    check(action=action, membership=membership, claim=claim)
    return membership


def team_for(request: Any, *, team_id: int | None = None, slug: str | None = None) -> tuple[Team, Membership | None]:
    """The team with the request's declared action checked; another team is missing (404)."""
    actor = Actor.of(request)
    teams = Team.objects.filter(pk__in=actor.team_ids())
    team = teams.filter(pk=team_id).first() if team_id is not None else teams.filter(slug=slug).first()
    if team is None:
        raise Http404("No such team.")
    return team, _allow(actor, request_action(request), team.pk)


def membership_for(request: Any, *, team_slug: str | None = None, team_id: int | None = None) -> Membership:
    """The caller's membership of the team (by slug on pages, by id in the API), with the declared
    action checked; another team, or a team key (no membership), is missing (404)."""
    _, membership = team_for(request, team_id=team_id, slug=team_slug)
    if membership is None:
        raise Http404("No such team.")
    return membership


ARTICLE_TEXTS = ("source", "text", "layout")
"""An article's text columns: each about the size of the text (a megabyte article carries megabytes)."""


def article_for(request: Any, article_id: int, *, for_update: bool = False, defer: tuple[str, ...] = ()) -> Article:
    """The article with the request's declared action checked. With for_update, the row is locked;
    the columns in `defer` (ARTICLE_TEXTS, say) are left unread."""
    actor = Actor.of(request)
    articles = Article.objects.filter(pk=article_id, team__in=actor.team_ids())
    if defer:
        articles = articles.defer(*defer)
    if for_update:
        articles = articles.select_for_update(of=("self",))
    article = articles.select_related("team").first()
    if article is None:
        raise Http404("No such article.")
    _allow(actor, request_action(request), article.team_id)
    return article


def claim_for(request: Any, claim_id: int, *, action: str | None = None) -> Claim:
    """The claim with the request's declared action (or `action`) checked, state rules included."""
    actor = Actor.of(request)
    claim = Claim.objects.select_related("team", "article").filter(pk=claim_id, team__in=actor.team_ids()).first()
    if claim is None:
        raise Http404("No such claim.")
    _allow(actor, action or request_action(request), claim.team_id, claim)
    return claim


def snapshot_for(request: Any, snapshot_id: int) -> Snapshot:
    actor = Actor.of(request)
    snapshot = Snapshot.objects.select_related("team").filter(pk=snapshot_id, team__in=actor.team_ids()).first()
    if snapshot is None:
        raise Http404("No such snapshot.")
    _allow(actor, request_action(request), snapshot.team_id)
    return snapshot


def suggestion_for(request: Any, suggestion_id: int) -> Suggestion:
    """A claim suggestion, with the request's declared action checked; a team that turned
    suggestions off has none to show."""
    actor = Actor.of(request)
    suggestion = (
        Suggestion.objects.select_related("team")
        .filter(pk=suggestion_id, team__in=actor.team_ids(), team__suggestions_enabled=True)
        .first()
    )
    if suggestion is None:
        raise Http404("No such suggestion.")
    _allow(actor, request_action(request), suggestion.team_id)
    return suggestion


def review_feed_for(request: Any, feed_id: int) -> ReviewFeed:
    actor = Actor.of(request)
    feed = ReviewFeed.objects.select_related("team").filter(pk=feed_id, team__in=actor.team_ids()).first()
    if feed is None:
        raise Http404("No such review feed.")
    _allow(actor, request_action(request), feed.team_id)
    return feed


def external_review_for(request: Any, review_id: int) -> ExternalReview:
    actor = Actor.of(request)
    reviews = ExternalReview.objects.select_related("team").defer("data", "vector")
    review = reviews.filter(pk=review_id, team__in=actor.team_ids()).first()
    if review is None:
        raise Http404("No such imported review.")
    _allow(actor, request_action(request), review.team_id)
    return review


def transition_rule(transition: Transition) -> Rule:
    return rule(transition_action(transition.action))


# --- The roles × actions table ------------------------------------------------------------------


def _states(names: Iterable[str]) -> str:
    order = {s: i for i, s in enumerate(S.values)}
    return ", ".join(str(S(s).label).lower() for s in sorted(names, key=lambda s: order.get(s, 99)))


def roles_table() -> str:
    """The README's roles × actions table (Markdown), built from the rules."""
    lines = [
        "| action | what it is | reviewer | editor | admin |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in sorted(rules().values(), key=lambda r: r.action):
        if r.audience != MEMBER:
            who = {PUBLIC: "anyone", SIGNED_IN: "any signed-in user", STAFF: "staff (Django admin)"}[r.audience]
            lines.append(f"| `{r.action}` | {r.label} | {who} | {who} | {who} |")
            continue
        cells = []
        for role in (Role.REVIEWER, Role.EDITOR, Role.ADMIN):
            if r.role is not None and ROLE_RANK[role] < ROLE_RANK[Role(r.role)]:
                cells.append("—")
                continue
            states = r.states_for(role)
            cells.append("yes" if states is None else f"when {_states(states)}")
        key = " (also a team key)" if r.team_key else ""
        lines.append(f"| `{r.action}` | {r.label}{key} | {' | '.join(cells)} |")
    return "\n".join(lines)
