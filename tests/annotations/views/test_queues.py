import pytest
from django.urls import reverse

from annotations.models import AuditEvent, Claim, ClaimStatus
from annotations.services.workflow import claim_update
from tests.factories import TEST_PASSWORD, ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def test_queue_tabs_show_counts_and_the_claims(client, team, reviewer):
    article = ArticleFactory(team=team, title="Flood story")
    ClaimFactory(article=article)
    mine = ClaimFactory(article=article, exact="river rose")
    Claim.objects.filter(pk=mine.pk).update(assignee=reviewer, status=ClaimStatus.IN_RESEARCH)
    login(client, reviewer)
    response = client.get(reverse("queues", args=[team.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="page">My work<span class="count" aria-label="1 claims">1</span>' in html
    assert "Unassigned<span" in html and "river rose" in html and "Flood story" in html
    assert '<label for="id_text">Claim text</label>' in html
    # Reviewers see no bulk assignment.
    assert 'name="claim_ids"' not in html
    unassigned = client.get(reverse("queues", args=[team.slug]), {"queue": "unassigned"}).content.decode()
    assert "flood wall" in unassigned and "river rose" not in unassigned


def test_queue_page_queries_do_not_grow(client, team, editor, django_assert_max_num_queries):
    login(client, editor)
    article = ArticleFactory(team=team)
    for _ in range(3):
        ClaimFactory(article=article)
    url = reverse("queues", args=[team.slug]) + "?queue=unassigned"
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for _ in range(20):
        ClaimFactory(article=ArticleFactory(team=team))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('name="claim_ids"') == 23


def test_pagination_links_follow_the_cursor(client, team, editor):
    login(client, editor)
    article = ArticleFactory(team=team)
    for _ in range(55):
        ClaimFactory(article=article)
    first = client.get(reverse("queues", args=[team.slug]), {"queue": "unassigned"}).context
    assert len(first["page"].claims) == 50 and first["next_url"]
    second = client.get(reverse("queues", args=[team.slug]) + first["next_url"]).context
    assert len(second["page"].claims) == 5 and second["next_url"] is None and second["first_url"]
    assert not {c.pk for c in first["page"].claims} & {c.pk for c in second["page"].claims}


def test_bad_filters_are_form_errors_not_500(client, team, reviewer):
    login(client, reviewer)
    url = reverse("queues", args=[team.slug])
    response = client.get(url, {"queue": "mine", "priority": "9", "due_after": "yesterday"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    response = client.get(url, {"queue": "mine", "cursor": "garbage!"})
    assert response.status_code == 400 and "cursor is not valid" in response.content.decode()


def test_bulk_assign_from_the_page(client, team, editor, reviewer):
    article = ArticleFactory(team=team)
    picked = [ClaimFactory(article=article) for _ in range(2)]
    left = ClaimFactory(article=article)
    login(client, editor)
    page = client.get(reverse("queues", args=[team.slug]), {"queue": "unassigned"}).content.decode()
    assert '<label for="bulk-assignee">Assign to</label>' in page and "csrfmiddlewaretoken" in page
    response = client.post(
        reverse("queues_bulk_assign", args=[team.slug]),
        {
            "claim_ids": [c.pk for c in picked],
            **{f"version-{c.pk}": c.version for c in picked},
            "assignee": reviewer.pk,
            "next": reverse("queues", args=[team.slug]) + "?queue=unassigned",
        },
        follow=True,
    )
    assert "Assigned 2 claim(s) to rita." in response.content.decode()
    assert f'name="version-{left.pk}" value="1"' in page
    assert set(Claim.objects.filter(assignee=reviewer).values_list("pk", flat=True)) == {c.pk for c in picked}
    assert Claim.objects.get(pk=left.pk).assignee is None
    assert AuditEvent.objects.filter(action="claim.assign").count() == 2
    # An open redirect is refused.
    response = client.post(
        reverse("queues_bulk_assign", args=[team.slug]),
        {"claim_ids": [left.pk], "assignee": reviewer.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("queues", args=[team.slug])
    assert Claim.objects.get(pk=left.pk).assignee is None  # no version sent: nothing written


def test_bulk_assign_leaves_claims_a_colleague_changed(client, team, editor, reviewer):
    claims = [ClaimFactory(article=ArticleFactory(team=team)) for _ in range(2)]
    claim_update(claim=claims[0], user=editor, version=1, claimant="Mayor")
    login(client, editor)
    response = client.post(
        reverse("queues_bulk_assign", args=[team.slug]),
        {"claim_ids": [c.pk for c in claims], **{f"version-{c.pk}": 1 for c in claims}, "assignee": reviewer.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "Assigned 1 claim(s) to rita." in page and "Left 1 that someone changed" in page
    assert Claim.objects.get(pk=claims[0].pk).assignee is None


def test_reviewers_cannot_bulk_assign(client, team, reviewer):
    claim = ClaimFactory(article=ArticleFactory(team=team))
    login(client, reviewer)
    response = client.post(
        reverse("queues_bulk_assign", args=[team.slug]), {"claim_ids": [claim.pk], "assignee": reviewer.pk}, follow=True
    )
    assert "needs the editor role" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).assignee is None


def test_another_teams_members_get_404(client, team, outsider):
    claim = ClaimFactory(article=ArticleFactory(team=team))
    login(client, outsider)
    assert client.get(reverse("queues", args=[team.slug])).status_code == 404
    response = client.post(reverse("queues_bulk_assign", args=[team.slug]), {"claim_ids": [claim.pk], "assignee": 1})
    assert response.status_code == 404
    # The outsider's own team shows none of this team's claims.
    own = outsider.memberships.get().team
    html = client.get(reverse("queues", args=[own.slug]), {"queue": "unassigned"}).content.decode()
    assert "flood wall" not in html


def test_claim_text_is_escaped(client, team, reviewer):
    article = ArticleFactory(team=team, source="<b>x</b> <script>alert(1)</script> tail", source_format="text")
    ClaimFactory(article=article, exact="<script>alert(1)</script>")
    login(client, reviewer)
    html = client.get(reverse("queues", args=[team.slug]), {"queue": "unassigned"}).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def bulk_due(client, team, claims, **data):
    return client.post(
        reverse("queues_bulk_due", args=[team.slug]),
        {
            "claim_ids": [c.pk for c in claims],
            **{f"version-{c.pk}": Claim.objects.get(pk=c.pk).version for c in claims},
            "next": reverse("queues", args=[team.slug]) + "?queue=unassigned",
            **data,
        },
        follow=True,
    )


def test_bulk_set_and_clear_due_dates_from_the_page(client, team, editor, settings):
    settings.TIME_ZONE = "Europe/Paris"
    article = ArticleFactory(team=team)
    picked = [ClaimFactory(article=article) for _ in range(2)]
    left = ClaimFactory(article=article)
    login(client, editor)
    page = client.get(reverse("queues", args=[team.slug]), {"queue": "unassigned"}).content.decode()
    assert '<label for="bulk-due-at">Due</label>' in page and "Europe/Paris" in page
    assert f'formaction="{reverse("queues_bulk_due", args=[team.slug])}"' in page
    response = bulk_due(client, team, picked, due_at="2031-05-06T17:30", operation="set")
    assert "Set the due date of 2 claim(s) to 2031-05-06 17:30." in response.content.decode()
    rows = Claim.objects.filter(pk__in=[c.pk for c in picked])
    # 17:30 in Paris (summer time) is 15:30 UTC.
    assert {c.due_at.isoformat() for c in rows} == {"2031-05-06T15:30:00+00:00"}
    assert Claim.objects.get(pk=left.pk).due_at is None
    assert AuditEvent.objects.filter(action="claim.update", after__bulk=True).count() == 2
    response = bulk_due(client, team, picked[:1], due_at="", operation="clear")
    assert "Cleared the due date of 1 claim(s)." in response.content.decode()
    assert Claim.objects.get(pk=picked[0].pk).due_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"due_at": "", "operation": "set"}, "Enter the date and time"),
        ({"due_at": "next tuesday", "operation": "set"}, "Enter a valid date/time"),
        ({"due_at": "2031-02-31T10:00", "operation": "set"}, "Enter a valid date/time"),
        ({"due_at": "2031-05-06T10:00", "operation": "postpone"}, "Select a valid choice"),
    ],
)
def test_bad_bulk_due_input_is_a_form_error_not_500(client, team, editor, data, message):
    claim = ClaimFactory(article=ArticleFactory(team=team))
    login(client, editor)
    response = bulk_due(client, team, [claim], **data)
    assert response.status_code == 200 and "Due date not changed" in response.content.decode()
    assert message in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).due_at is None and Claim.objects.get(pk=claim.pk).version == 1


def test_bulk_due_needs_the_editor_role_and_the_team(client, team, reviewer, outsider):
    claim = ClaimFactory(article=ArticleFactory(team=team))
    login(client, reviewer)
    response = bulk_due(client, team, [claim], due_at="2031-05-06T10:00", operation="set")
    assert response.status_code == 403
    client.logout()
    login(client, outsider)
    response = bulk_due(client, team, [claim], due_at="2031-05-06T10:00", operation="set")
    assert response.status_code == 404
    # Their own team's page cannot reach this team's claims either.
    own = outsider.memberships.get().team
    response = client.post(
        reverse("queues_bulk_due", args=[own.slug]),
        {"claim_ids": [claim.pk], f"version-{claim.pk}": 1, "due_at": "2031-05-06T10:00", "operation": "set"},
        follow=True,
    )
    assert "do not exist" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).due_at is None


def test_bulk_due_leaves_claims_a_colleague_changed(client, team, editor):
    claims = [ClaimFactory(article=ArticleFactory(team=team)) for _ in range(2)]
    login(client, editor)
    response = client.post(
        reverse("queues_bulk_due", args=[team.slug]),
        {
            "claim_ids": [c.pk for c in claims],
            **{f"version-{c.pk}": 1 for c in claims},
            "due_at": "2031-05-06T10:00",
            "operation": "set",
        },
        follow=True,
    )
    assert "Set the due date of 2 claim(s)" in response.content.decode()
    claim_update(claim=claims[0], user=editor, version=2, claimant="Mayor")
    response = client.post(
        reverse("queues_bulk_due", args=[team.slug]),
        {
            "claim_ids": [c.pk for c in claims],
            **{f"version-{c.pk}": 2 for c in claims},
            "operation": "clear",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Cleared the due date of 1 claim(s)." in page and "Left 1 that someone changed" in page
    assert Claim.objects.get(pk=claims[0].pk).due_at is not None
