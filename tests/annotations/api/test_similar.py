"""GET/POST /api/v1/claims/{id}/similar/: earlier claims and imported reviews making the same claim; linking one."""

import pytest
from rest_framework.test import APIClient

from annotations.matching.ranking import MEANING
from annotations.models import ExternalReview
from annotations.services.embeddings import review_embed
from tests.annotations.selectors.similar_quality import make_claim
from tests.factories import publish_claim

pytestmark = pytest.mark.django_db

LEAD = "Lead levels in the capital's drinking water exceed what the law allows."
LEAD_FRENCH = "L'eau du robinet de la capitale contient plus de plomb que la limite légale."


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_claim_in_another_language_finds_the_earlier_check_and_another_fact_checkers(team, reviewer, editor):
    earlier = publish_claim(make_claim(team, LEAD), reviewer=reviewer, editor=editor, label="True")
    review = ExternalReview.objects.create(
        team=team,
        url="https://factcheck.example/plomb",
        publisher="Exemple Vérif",
        publisher_url="https://factcheck.example/",
        claim_reviewed="Le plomb dans l'eau potable de la capitale dépasse le seuil autorisé par la loi.",
        rating_text="Vrai",
        language="fr",
        wording="Le plomb dans l'eau potable de la capitale dépasse le seuil autorisé par la loi.",
    )
    review_embed(review_id=review.pk)
    french = make_claim(team, LEAD_FRENCH, language="fr")

    body = api(reviewer).get(f"/api/v1/claims/{french.pk}/similar/").json()
    assert body["threshold"] == team.similarity_threshold and body["pending"] is False
    [found] = body["results"]
    assert found["id"] == earlier.pk and found["language"] == "en" and found["status"] == "published"
    assert found["current_verdict"]["rating"]["label"] == "True"
    assert body["threshold"] <= found["score"] <= 1 and found["similarity"] == found["score"]
    assert MEANING in found["matched_by"]
    [elsewhere] = body["elsewhere"]
    assert elsewhere["url"] == review.url and elsewhere["publisher"] == "Exemple Vérif"
    assert elsewhere["rating_text"] == "Vrai" and elsewhere["language"] == "fr" and 0 < elsewhere["score"] <= 1


def test_linking_and_team_isolation(team, reviewer, outsider):
    earlier = make_claim(team, LEAD)
    later = make_claim(team, LEAD)
    found = api(reviewer).get(f"/api/v1/claims/{later.pk}/similar/").json()["results"]
    assert [c["id"] for c in found] == [earlier.pk] and found[0]["score"] > 0.95
    linked = api(reviewer).post(
        f"/api/v1/claims/{later.pk}/similar/", {"earlier": earlier.pk, "version": later.version}, format="json"
    )
    assert linked.status_code == 200 and linked.json()["status"] == "not_check_worthy"
    assert api(outsider).get(f"/api/v1/claims/{later.pk}/similar/").status_code == 404
    other = make_claim(outsider.memberships.get().team, LEAD)
    refused = api(reviewer).post(
        f"/api/v1/claims/{later.pk}/similar/", {"earlier": other.pk, "version": linked.json()["version"]}, format="json"
    )
    assert refused.status_code == 400 and "earlier" in refused.json()["error"]["fields"]
