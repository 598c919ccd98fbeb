import pytest
from rest_framework.test import APIClient

from annotations.models import AuditEvent, Claim, ClaimStatus, Membership, Rating, Role
from annotations.services.workflow import claim_assign, claim_propose, claim_update
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, UserFactory, rating

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def chief(team):
    return MembershipFactory(team=team, user=UserFactory(username="sam"), role=Role.EDITOR).user


@pytest.fixture
def in_review(team, reviewer, editor):
    claim = claim_assign(claim=ClaimFactory(article=ArticleFactory(team=team)), user=editor, assignee=reviewer)
    return claim_propose(claim=claim, user=reviewer, rating=rating(team, "False"), summary="No.")


def test_allowed_transitions_depend_on_role(team, reviewer, editor, in_review):
    url = f"/api/v1/claims/{in_review.pk}/transitions/"
    as_editor = api(editor).get(url).json()
    assert {t["action"] for t in as_editor["allowed"]} == {"request_changes", "approve", "not_check_worthy"}
    request_changes = next(t for t in as_editor["allowed"] if t["action"] == "request_changes")
    assert request_changes["needs"] == ["note"] and request_changes["label"] == "Request changes"
    # The reviewer wrote the verdict: nothing to do while it is in review.
    assert api(reviewer).get(url).json()["allowed"] == []


def stepper(claim):
    """POST one transition with the claim's current version; the claim JSON."""
    url = f"/api/v1/claims/{claim.pk}/transitions/"

    def step(user, **body):
        body.setdefault("version", Claim.objects.get(pk=claim.pk).version)
        response = api(user).post(url, body, format="json")
        assert response.status_code == 200, response.json()
        return response.json()

    return step


def offered(user, claim):
    return {t["action"]: t for t in api(user).get(f"/api/v1/claims/{claim.pk}/transitions/").json()["allowed"]}


def test_the_whole_lifecycle_through_the_api(team, reviewer, editor, chief):
    claim = ClaimFactory(article=ArticleFactory(team=team))
    step = stepper(claim)

    data = step(editor, action="assign", assignee=reviewer.pk, version=1)
    assert data["status"] == "in_research" and data["assignee"]["username"] == "rita" and data["due_at"]
    data = step(reviewer, action="propose", rating=rating(team, "False").pk, summary="No.", version=data["version"])
    assert data["status"] == "in_review" and data["current_verdict"]["rating"]["label"] == "False"
    data = step(editor, action="request_changes", note="Add the budget document.")
    data = step(reviewer, action="resume")
    data = step(reviewer, action="propose", rating=rating(team, "Mostly false").pk, summary="Mostly not.")
    data = step(editor, action="approve")
    data = step(chief, action="publish")
    assert data["status"] == "published" and data["current_verdict"]["published_at"]
    published = data["current_verdict"]["id"]

    correction = offered(reviewer, claim)["propose_correction"]
    assert correction["needs"] == ["rating", "summary", "rationale", "note"]
    data = step(
        reviewer, action="propose_correction", rating=rating(team, "Half true").pk, summary="Partly.", note="New data."
    )
    assert data["status"] == "correction_in_review" and data["status_label"] == "Correction in review"
    assert data["current_verdict"]["id"] == published  # still the published one
    assert "approve_correction" not in offered(reviewer, claim)
    assert {"approve_correction", "withdraw_correction", "retract"} <= set(offered(editor, claim))
    data = step(editor, action="approve_correction")
    assert data["status"] == "correction_approved" and data["current_verdict"]["id"] == published
    data = step(chief, action="publish_correction")
    assert data["status"] == "published" and data["current_verdict"]["rating"]["label"] == "Half true"
    assert (
        data["current_verdict"]["corrects"] == published and data["current_verdict"]["correction_note"] == "New data."
    )

    retract = offered(editor, claim)["retract"]
    assert retract["needs"] == ["note"] and retract["label"] == "Retract the verdict"
    data = step(editor, action="retract", note="The budget document was forged.")
    assert data["status"] == "retracted" and data["current_verdict"] is None
    assert set(offered(editor, claim)) == {"reopen"}
    data = step(editor, action="reopen")
    assert data["status"] == "new"
    actions = list(AuditEvent.objects.filter(claim=claim).values_list("action", flat=True))
    assert {
        "claim.assign",
        "claim.propose",
        "claim.approve",
        "claim.publish",
        "claim.propose_correction",
        "claim.approve_correction",
        "claim.publish_correction",
        "claim.retract",
        "claim.reopen",
        "verdict.correct",
    } <= set(actions)


def test_a_published_claim_refuses_other_steps_with_a_pointer(team, reviewer, editor, chief):
    claim = ClaimFactory(article=ArticleFactory(team=team))
    step = stepper(claim)
    step(editor, action="assign", assignee=reviewer.pk)
    step(reviewer, action="propose", rating=rating(team, "False").pk, summary="No.")
    step(editor, action="approve")
    step(chief, action="publish")
    url = f"/api/v1/claims/{claim.pk}/transitions/"
    for body in (
        {"action": "not_check_worthy", "reason": "Opinion."},
        {"action": "reopen"},
        {"action": "assign", "assignee": reviewer.pk},
        {"action": "propose", "rating": rating(team, "True").pk, "summary": "Yes."},
    ):
        version = Claim.objects.get(pk=claim.pk).version
        refused = api(editor).post(url, {**body, "version": version}, format="json")
        assert refused.status_code == 409, body
        assert "propose a correction or retract" in refused.json()["error"]["message"]
    assert set(offered(editor, claim)) == {"propose_correction", "retract"}
    version = Claim.objects.get(pk=claim.pk).version
    missing = api(editor).post(url, {"action": "retract", "version": version}, format="json")
    assert missing.status_code == 400 and "note" in missing.json()["error"]["fields"]
    refused = api(reviewer).post(url, {"action": "retract", "note": "x", "version": version}, format="json")
    assert refused.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PUBLISHED


def test_transition_errors_have_the_error_shape(team, reviewer, editor, in_review, outsider):
    url = f"/api/v1/claims/{in_review.pk}/transitions/"
    version = in_review.version
    refused = api(reviewer).post(url, {"action": "approve", "version": version}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["status"] == 403
    missing = api(editor).post(url, {"action": "request_changes", "version": version}, format="json")
    assert missing.status_code == 400 and "note" in missing.json()["error"]["fields"]
    stale = api(editor).post(url, {"action": "approve", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == in_review.version
    assert stale.json()["last_change"]["by"]["username"] == "rita"
    wrong_state = api(editor).post(url, {"action": "publish", "version": version}, format="json")
    assert wrong_state.status_code == 409
    other_rating = api(editor).post(
        url, {"action": "assign", "assignee": outsider.pk, "version": version}, format="json"
    )
    assert other_rating.status_code == 400 and "assignee" in other_rating.json()["error"]["fields"]
    assert api(outsider).get(url).status_code == 404
    assert api(outsider).post(url, {"action": "approve", "version": version}, format="json").status_code == 404
    assert Claim.objects.get(pk=in_review.pk).status == ClaimStatus.IN_REVIEW


def test_queue_list_counts_pages_and_isolation(team, reviewer, editor, outsider, django_assert_max_num_queries):
    article = ArticleFactory(team=team)
    for _ in range(5):
        ClaimFactory(article=article)
    url = f"/api/v1/queues/?team={team.pk}&queue=unassigned&limit=2"
    client = api(editor)
    with django_assert_max_num_queries(12) as few:
        first = client.get(url).json()
    baseline = len(few.captured_queries)
    assert first["counts"]["unassigned"] == 5 and len(first["results"]) == 2 and first["next_cursor"]
    seen = [c["id"] for c in first["results"]]
    nxt = first["next"]
    while nxt:
        page = client.get(nxt).json()
        seen += [c["id"] for c in page["results"]]
        nxt = page["next"]
    assert sorted(seen) == sorted(Claim.objects.filter(team=team).values_list("pk", flat=True))
    for _ in range(10):
        ClaimFactory(article=article)
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200
    assert api(outsider).get(url).status_code == 404
    bad = client.get(f"/api/v1/queues/?team={team.pk}&queue=nope&priority=9")
    assert bad.status_code == 400 and {"queue", "priority"} <= set(bad.json()["error"]["fields"])
    assert client.get(f"/api/v1/queues/?team={team.pk}&cursor=zzz").status_code == 400


def test_bulk_assign_api(team, reviewer, editor, outsider):
    claims = [ClaimFactory(article=ArticleFactory(team=team)) for _ in range(2)]
    without = {"team": team.pk, "claim_ids": [c.pk for c in claims], "assignee": reviewer.pk}
    assert api(editor).post("/api/v1/queues/bulk-assign/", without, format="json").status_code == 428
    claim_update(claim=claims[1], user=editor, version=1, priority=3)  # a colleague's change since
    body = {"team": team.pk, "claims": [{"id": c.pk, "version": 1} for c in claims], "assignee": reviewer.pk}
    response = api(editor).post("/api/v1/queues/bulk-assign/", body, format="json")
    assert response.status_code == 200
    assert response.json() == {"assigned": [claims[0].pk], "skipped": [], "changed": [claims[1].pk]}
    assert Claim.objects.get(pk=claims[1].pk).assignee is None
    assert api(reviewer).post("/api/v1/queues/bulk-assign/", body, format="json").status_code == 403
    assert api(outsider).post("/api/v1/queues/bulk-assign/", body, format="json").status_code == 404


def test_team_settings_api(team, reviewer, outsider):
    admin = MembershipFactory(team=team, user=UserFactory(username="ada"), role=Role.ADMIN).user
    UserFactory(username="newbie")
    base = f"/api/v1/teams/{team.pk}"
    members = api(reviewer).get(f"{base}/members/").json()["results"]
    assert {m["user"]["username"] for m in members} == {"rita", "ada"}
    refused = api(reviewer).post(f"{base}/members/", {"username": "newbie", "role": "editor"}, format="json")
    assert refused.status_code == 403
    added = api(admin).post(f"{base}/members/", {"username": "newbie", "role": "editor"}, format="json")
    assert added.status_code == 201 and added.json()["role"] == "editor"
    own = Membership.objects.get(team=team, user=admin)
    last_admin = api(admin).patch(f"{base}/members/{own.pk}/", {"role": "reviewer"}, format="json")
    assert last_admin.status_code == 409
    scale = api(admin).get(f"{base}/rating-scale/").json()["ratings"]
    scale.reverse()
    for item in scale:
        item.pop("position")
    updated = api(admin).put(f"{base}/rating-scale/", {"ratings": scale}, format="json")
    assert updated.status_code == 200 and updated.json()["ratings"][0]["label"] == "Unproven"
    assert Rating.objects.filter(scale__team=team).order_by("position").first().label == "Unproven"
    bad = api(admin).put(f"{base}/rating-scale/", {"ratings": [{"label": "X", "color": "red"}]}, format="json")
    assert bad.status_code == 400 and "ratings.0.color" in bad.json()["error"]["fields"]
    assert api(admin).patch(f"{base}/workflow/", {"default_due_days": 6}, format="json").json()["default_due_days"] == 6
    for path in ("members/", "rating-scale/", "workflow/"):
        assert api(outsider).get(f"{base}/{path}").status_code == 404, path


def test_queue_page_queries_do_not_grow_with_the_page_size(
    team, reviewer, editor, django_assert_num_queries, django_assert_max_num_queries
):
    """Each claim on a page has an author, an assignee and a verdict: nothing may be loaded per row."""
    article = ArticleFactory(team=team)
    for _ in range(12):
        claim = ClaimFactory(article=article)
        claim_assign(claim=claim, user=editor, assignee=reviewer)
        claim_propose(claim=claim, user=reviewer, rating=rating(team, "False"), summary="No.")
    Claim.objects.filter(team=team).update(created_by=reviewer)
    client = api(editor)
    url = f"/api/v1/queues/?team={team.pk}&queue=needs_review&limit="
    with django_assert_max_num_queries(20) as small:
        assert len(client.get(url + "2").json()["results"]) == 2
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url + "12").json()["results"]) == 12
