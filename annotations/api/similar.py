"""Already checked? over the API: earlier claims and other fact-checkers' reviews alike to a claim, and linking one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy
from annotations.api.schema import ETAG
from annotations.api.serializers.claim_json import claims_json
from annotations.api.serializers.claims import ClaimOut
from annotations.api.serializers.common import Input, id_in, version_in
from annotations.api.versions import claim_written, with_version
from annotations.errors import InvalidInput
from annotations.matching.ranking import MEANING, WORDING, Match
from annotations.models import Claim, ExternalReview
from annotations.selectors.similar import similar_to_claim
from annotations.services.workflow import claim_link_duplicate

MATCHED_BY = serializers.ListField(
    child=serializers.ChoiceField(choices=[MEANING, WORDING]),
    help_text='What made it a match: "meaning" (sentence vectors, any language), "wording" (shared words), or both.',
)
SCORE_HELP = "How likely it is the same claim, from 0 to 1 (a calibrated probability), at least the team's threshold."


class LinkInput(Input):
    earlier = id_in(help_text="The earlier, already-checked claim this one repeats.")
    version = version_in(help_text='The claim\'s version you read (or send it as `If-Match: "<version>"` instead).')


class SimilarClaimOut(ClaimOut):
    score = serializers.FloatField(help_text=SCORE_HELP)
    similarity = serializers.FloatField(help_text="The same as `score` (kept for older clients).")
    language = serializers.CharField(allow_blank=True, help_text="The language of the claim's article (BCP 47).")
    matched_by = MATCHED_BY


class ElsewhereOut(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The review on its publisher's site.")
    publisher = serializers.CharField(help_text='Who checked it: shown as "Checked by <publisher>".')
    publisher_url = serializers.CharField(allow_blank=True)
    claim_reviewed = serializers.CharField()
    claimant = serializers.CharField(allow_blank=True)
    rating_text = serializers.CharField(allow_blank=True, help_text="The rating as published.")
    published_at = serializers.DateField(allow_null=True)
    language = serializers.CharField(allow_blank=True)
    score = serializers.FloatField(help_text=SCORE_HELP)
    matched_by = MATCHED_BY


class SimilarOut(serializers.Serializer[dict[str, Any]]):
    threshold = serializers.FloatField(help_text="The team's similarity threshold the results passed.")
    pending = serializers.BooleanField(
        help_text="The claim's meaning vector is still being computed: only its wording was compared. Ask again soon."
    )
    results = SimilarClaimOut(many=True, help_text="Earlier claims of the team, best first.")
    elsewhere = ElsewhereOut(many=True, help_text="Other fact-checkers' imported reviews, best first.")


class ClaimSimilar(APIView):
    """GET: earlier claims of the team, and imported reviews, that make the same claim, in any language.
    POST {"earlier"}: link an earlier claim as the one this repeats."""

    policy = {"GET": "claim.read", "POST": "claim.link_duplicate"}

    @extend_schema(responses=SimilarOut)
    def get(self, request: Request, claim_id: int) -> Response:
        claim = policy.claim_for(request, claim_id)
        found = similar_to_claim(claim=claim)
        return Response(
            {
                "threshold": claim.team.similarity_threshold,
                "pending": found.pending,
                "results": _claims(found.claims),
                "elsewhere": _reviews(found.reviews, team_id=claim.team_id),
            }
        )

    @extend_schema(request=LinkInput, responses=ClaimOut, extensions=ETAG)
    def post(self, request: Request, claim_id: int) -> Response:
        claim = policy.claim_for(request, claim_id)
        data = LinkInput(data=with_version(request))
        data.is_valid(raise_exception=True)
        version = data.validated_data["version"]
        try:
            earlier = Claim.objects.get(pk=data.validated_data["earlier"], team_id=claim.team_id)
        except Claim.DoesNotExist as exc:
            raise InvalidInput("No such earlier in this team.", field="earlier") from exc
        assert isinstance(request.user, User)
        user = request.user
        return claim_written(lambda: claim_link_duplicate(claim=claim, earlier=earlier, user=user, version=version))


def _claims(matches: list[Match]) -> list[dict[str, Any]]:
    by_id = {m.key: m for m in matches}
    languages = dict(Claim.objects.filter(pk__in=by_id).values_list("pk", "article__language"))
    rows = claims_json([{"id": m.key} for m in matches])
    return [
        {
            **row,
            "score": by_id[row["id"]].score,
            "similarity": by_id[row["id"]].score,
            "language": languages.get(row["id"], ""),
            "matched_by": by_id[row["id"]].matched_by,
        }
        for row in rows
    ]


def _reviews(matches: list[Match], *, team_id: int) -> list[dict[str, Any]]:
    fields = ("id", "url", "publisher", "publisher_url", "claim_reviewed", "claimant", "rating_text")
    rows = ExternalReview.objects.filter(team_id=team_id, pk__in=[m.key for m in matches]).in_bulk()
    found = []
    for match in matches:
        review = rows.get(match.key)
        if review is None:
            continue
        found.append(
            {
                **{name: getattr(review, name) for name in fields},
                "published_at": review.published_at.isoformat() if review.published_at else None,
                "language": review.language,
                "score": match.score,
                "matched_by": match.matched_by,
            }
        )
    return found


__all__ = ["ClaimSimilar"]
