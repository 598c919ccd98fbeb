"""The claim, source and verdict shapes for the schema, and the claim inputs.

The JSON itself is written by PostgreSQL in the shapes these serializers declare (`claim_json`, `sql_json`).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from annotations.api.serializers.common import (
    MAX_INTEGER,
    ChoiceIn,
    DateIn,
    DateTimeIn,
    ErrorOut,
    Input,
    IntegerIn,
    LastChangeOut,
    RatingOut,
    TextIn,
    UserOut,
    id_in,
    page_of,
    url_in,
    version_in,
)
from annotations.models import ClaimantKind, ClaimStatus, Priority, Stance

# --- Schema descriptions of the JSON built in claim_json. ---------------------------------------


class VerdictOut(serializers.Serializer):
    id = serializers.IntegerField()
    rating = RatingOut()
    summary = serializers.CharField()
    rationale = serializers.CharField(allow_blank=True)
    author = UserOut(allow_null=True)
    created_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    corrects = serializers.IntegerField(allow_null=True, help_text="The verdict this one corrects.")
    correction_note = serializers.CharField(allow_blank=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True, help_text="A correction draft withdrawn unpublished.")
    retracted_at = serializers.DateTimeField(allow_null=True, help_text="When the published verdict was retracted.")
    retraction_note = serializers.CharField(allow_blank=True, help_text="The public note of the retraction.")


class SnapshotOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    http_status = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_blank=True)
    final_url = serializers.CharField(allow_blank=True)
    sha256 = serializers.CharField(allow_blank=True)
    content_type = serializers.CharField(allow_blank=True)
    size = serializers.IntegerField(allow_null=True)
    fetched_at = serializers.DateTimeField(allow_null=True)
    stored_copy_url = serializers.CharField(allow_null=True)
    warc_url = serializers.CharField(
        allow_null=True,
        help_text="The fetch as WARC records (every redirect and the response, as received), for web-archive tools.",
    )


class EvidenceOut(serializers.Serializer):
    kind = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    found = serializers.BooleanField(allow_null=True)
    paragraph = serializers.IntegerField(allow_null=True)
    page = serializers.IntegerField(
        allow_null=True, help_text="The PDF page the match is on (null for other documents)."
    )
    start = serializers.IntegerField(
        allow_null=True, help_text="Where the match starts in the snapshot's text (code points)."
    )
    end = serializers.IntegerField(allow_null=True)
    excerpt = serializers.CharField(allow_null=True)
    mark_start = serializers.IntegerField(
        allow_null=True, help_text="Where the match starts in `excerpt` (code points)."
    )
    mark_end = serializers.IntegerField(allow_null=True)
    url = serializers.CharField(
        allow_null=True,
        help_text="The snapshot's text view, at the passage when found: its fragment is a W3C "
        "TextPositionSelector in code points, `#selector(type=TextPositionSelector,start=…,end=…)`.",
    )


class SourceOut(serializers.Serializer):
    id = serializers.IntegerField()
    claim = serializers.IntegerField()
    url = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    stance = serializers.ChoiceField(choices=Stance.choices)
    added_by = UserOut(allow_null=True)
    created_at = serializers.DateTimeField()
    snapshot = SnapshotOut(allow_null=True)
    evidence = EvidenceOut(many=True)
    evidence_pending = serializers.BooleanField(
        help_text="The evidence for the current snapshot and the claim's wording is still to be found (by a "
        "worker, once the snapshot is fetched); until then `evidence` is empty or out of date."
    )


class ClaimOut(serializers.Serializer):
    id = serializers.IntegerField()
    article = serializers.IntegerField()
    exact = serializers.CharField()
    prefix = serializers.CharField(allow_blank=True)
    suffix = serializers.CharField(allow_blank=True)
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)
    anchor_outcome = serializers.CharField()
    anchor_score = serializers.FloatField()
    anchored_revision = serializers.IntegerField(help_text="The article revision start and end count in.")
    restated = serializers.CharField(allow_blank=True)
    restated_by = UserOut(allow_null=True, help_text="Who last wrote the restated wording.")
    restated_at = serializers.DateTimeField(allow_null=True, help_text="When the restated wording was last written.")
    claimant = serializers.CharField(allow_blank=True)
    claimant_kind = serializers.ChoiceField(
        choices=ClaimantKind.choices, help_text="Whether the claimant is a person or an organization."
    )
    claim_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    status_label = serializers.CharField()
    assignee = UserOut(allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices)
    due_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    created_by = UserOut(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    duplicate_of = serializers.IntegerField(allow_null=True, help_text="An earlier claim this one repeats.")
    current_verdict = VerdictOut(allow_null=True)
    sources = SourceOut(many=True)
    wacz_url = serializers.CharField(
        help_text="The sources' preserved copies as one WACZ web archive (404 while none is preserved)."
    )


ClaimPageOut = page_of(ClaimOut, "ClaimPage")
SourcePageOut = page_of(SourceOut, "SourcePage")


class ClaimConflictOut(ErrorOut):
    """A refused claim write. A stale version adds the claim as it is now and the change that made it stale."""

    current = ClaimOut(required=False, help_text="When the version you sent is stale: the claim as it is now.")
    last_change = LastChangeOut(
        required=False, allow_null=True, help_text="When the version you sent is stale: the change since."
    )


class RevisionConflictOut(ErrorOut):
    """A span selected on an earlier revision that cannot be placed exactly on the text now."""

    revision = serializers.IntegerField(help_text="The article's current revision.")


# --- Input. -------------------------------------------------------------------------------------

VERSION_HELP = 'The claim\'s version you read (or send it as `If-Match: "<version>"` instead).'


class _ClaimDetailsIn(Input):
    restated = TextIn(required=False, allow_blank=True, max_length=10000)
    claimant = TextIn(required=False, allow_blank=True, max_length=300)
    claimant_kind = ChoiceIn(choices=ClaimantKind.choices, required=False)
    claim_date = DateIn(required=False, allow_null=True)
    priority = ChoiceIn(choices=Priority.choices, required=False)


class ClaimFromSpanIn(_ClaimDetailsIn):
    """A claim from a span of the text: `start` and `end` in code points (with `exact`, the text they
    hold, and the `revision` they count in). A span that does not hold `exact` falls back to finding
    `exact` near `start` (with `prefix` and `suffix`)."""

    start = IntegerIn(min_value=0, max_value=MAX_INTEGER)
    end = IntegerIn(min_value=0, max_value=MAX_INTEGER)
    exact = TextIn(required=False, trim_whitespace=False, max_length=10000)
    revision = version_in(
        required=False,
        help_text="The article revision start and end count in; the span is carried to the current text.",
    )
    prefix = TextIn(required=False, allow_blank=True, trim_whitespace=False, max_length=1000)
    suffix = TextIn(required=False, allow_blank=True, trim_whitespace=False, max_length=1000)


class ClaimFromQuoteIn(_ClaimDetailsIn):
    """A claim from its quote: `exact` as it occurs in the text, the occurrence nearest `hint` (a code
    point offset) and best matching `prefix` and `suffix`."""

    exact = TextIn(trim_whitespace=False, max_length=10000)
    hint = IntegerIn(required=False, min_value=0, max_value=MAX_INTEGER)
    prefix = TextIn(required=False, allow_blank=True, trim_whitespace=False, max_length=1000)
    suffix = TextIn(required=False, allow_blank=True, trim_whitespace=False, max_length=1000)


ClaimCreateIn = PolymorphicProxySerializer(
    component_name="ClaimCreateIn", serializers=[ClaimFromSpanIn, ClaimFromQuoteIn], resource_type_field_name=None
)


def claim_create_input(data: Any) -> Input:
    """The input serializer of a new claim: a span when the body has `start` or `end`, else a quote."""
    spanned = isinstance(data, dict) and ("start" in data or "end" in data)
    return (ClaimFromSpanIn if spanned else ClaimFromQuoteIn)(data=data)


class ClaimUpdateIn(Input):
    version = version_in(help_text=VERSION_HELP)
    restated = TextIn(required=False, allow_blank=True, max_length=10000)
    claimant = TextIn(required=False, allow_blank=True, max_length=300)
    claimant_kind = ChoiceIn(choices=ClaimantKind.choices, required=False)
    claim_date = DateIn(required=False, allow_null=True)
    priority = ChoiceIn(choices=Priority.choices, required=False)
    due_at = DateTimeIn(required=False, allow_null=True)
    assignee = id_in(required=False, allow_null=True)


class SourceCreateIn(Input):
    url = url_in()
    note = TextIn(required=False, allow_blank=True, max_length=10000)
    stance = ChoiceIn(choices=Stance.choices)


class VerdictCreateIn(Input):
    version = version_in(help_text=VERSION_HELP)
    rating = id_in()
    summary = TextIn(max_length=10000)
    rationale = TextIn(required=False, allow_blank=True, max_length=100000)


VerdictPageOut = page_of(VerdictOut, "VerdictPage")
