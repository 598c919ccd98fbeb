"""Already checked? finds the same claim in another language or other words, scored 0–1, within the team."""

import pytest

from annotations.matching.ranking import MEANING, WORDING
from annotations.models import Claim, ExternalReview
from annotations.selectors.similar import similar_to_claim
from annotations.services.embeddings import review_embed
from annotations.services.workflow import claim_link_duplicate
from tests.annotations.selectors.similar_quality import make_claim
from tests.factories import TeamFactory, publish_claim

pytestmark = pytest.mark.django_db

LEAD = "Lead levels in the capital's drinking water exceed what the law allows."
LEAD_REWORDED = "Tap water in the capital contains lead above the legal limit."
LEAD_SPANISH = "El agua del grifo de la capital tiene más plomo del que permite la ley."
BRIDGE = "The new bridge over the river will open to traffic in May."


def test_the_same_claim_in_other_words_and_another_language_is_found_with_its_verdict(
    team, reviewer, editor, django_assert_max_num_queries
):
    checked = publish_claim(make_claim(team, LEAD), reviewer=reviewer, editor=editor, label="True")
    make_claim(team, BRIDGE)
    make_claim(TeamFactory(), LEAD)  # another team's identical claim never shows
    reworded = make_claim(team, LEAD_REWORDED)
    spanish = make_claim(team, LEAD_SPANISH, "es")

    with django_assert_max_num_queries(10):
        found = similar_to_claim(claim=spanish)
    assert not found.pending
    assert [m.key for m in found.claims] == [checked.pk, reworded.pk] or [m.key for m in found.claims] == [
        reworded.pk,
        checked.pk,
    ]
    assert all(team.similarity_threshold <= m.score <= 1 for m in found.claims)
    assert all(MEANING in m.matched_by for m in found.claims)

    on_reworded = similar_to_claim(claim=reworded)
    assert [m.key for m in on_reworded.claims] == [checked.pk]  # later claims are not "earlier"


def test_identical_wording_is_found_before_the_vector_is_computed(team):
    earlier = make_claim(team, LEAD)
    again = make_claim(team, LEAD, embedded=False)
    found = similar_to_claim(claim=again)
    assert found.pending
    assert [(m.key, m.meaning) for m in found.claims] == [(earlier.pk, None)]
    assert found.claims[0].matched_by == [WORDING] and found.claims[0].score > 0.9


def test_the_teams_threshold_decides_and_unrelated_claims_never_pass(team):
    earlier = make_claim(team, LEAD)
    bridge = make_claim(team, BRIDGE)
    reworded = make_claim(team, LEAD_REWORDED)
    assert [m.key for m in similar_to_claim(claim=reworded).claims] == [earlier.pk]
    assert similar_to_claim(claim=bridge).claims == []
    team.similarity_threshold = 0.9999
    team.save()
    reworded = Claim.objects.select_related("team").get(pk=reworded.pk)
    assert similar_to_claim(claim=reworded).claims == []
    assert [m.key for m in similar_to_claim(claim=reworded, threshold=0.0).claims][:1] == [earlier.pk]


def test_linked_duplicates_show_their_original(team, reviewer):
    original = make_claim(team, LEAD)
    duplicate = make_claim(team, LEAD_REWORDED)
    claim_link_duplicate(claim=duplicate, earlier=original, user=reviewer)
    newest = make_claim(team, LEAD_SPANISH, "es")
    assert [m.key for m in similar_to_claim(claim=newest).claims] == [original.pk]


def test_other_fact_checkers_reviews_match_the_same_way(team):
    review = ExternalReview.objects.create(
        team=team,
        url="https://factcheck.example/lead-water",
        publisher="Example Check",
        claim_reviewed="Die Bleiwerte im Trinkwasser der Hauptstadt liegen über dem gesetzlichen Grenzwert.",
        rating_text="Falsch",
        language="de",
        wording="Die Bleiwerte im Trinkwasser der Hauptstadt liegen über dem gesetzlichen Grenzwert.",
    )
    ExternalReview.objects.create(
        team=TeamFactory(), url=review.url, publisher="Elsewhere", claim_reviewed=review.claim_reviewed, wording="x"
    )
    review_embed(review_id=review.pk)
    found = similar_to_claim(claim=make_claim(team, LEAD))
    assert [m.key for m in found.reviews] == [review.pk]
    assert found.claims == []
