"""The claim, source and verdict shapes for the schema, and the claim inputs.

The JSON itself is built in `claim_json`, from rows.
"""

from __future__ import annotations

from rest_framework import serializers

from annotations.api.serializers.common import RatingOut, UserOut, page_of
from annotations.models import ClaimStatus, Priority, Stance

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


class EvidenceOut(serializers.Serializer):
    kind = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    found = serializers.BooleanField(allow_null=True)
    paragraph = serializers.IntegerField(allow_null=True)
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)
    excerpt = serializers.CharField(allow_null=True)


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
    claimant = serializers.CharField(allow_blank=True)
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


ClaimPageOut = page_of(ClaimOut, "ClaimPage")
SourcePageOut = page_of(SourceOut, "SourcePage")


class ClaimConflictOut(serializers.Serializer):
    from annotations.api.serializers.common import ErrorBody as _ErrorBody

    error = _ErrorBody()
    current = ClaimOut(allow_null=True)
    last_change = serializers.DictField(allow_null=True)


# --- Input. -------------------------------------------------------------------------------------


class ClaimCreateIn(serializers.Serializer):
    start = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    end = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    exact = serializers.CharField(required=False, trim_whitespace=False, max_length=10000)
    hint = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The article revision start and end count in; the span is carried to the current text.",
    )
    prefix = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=1000)
    suffix = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=1000)
    restated = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    claimant = serializers.CharField(required=False, allow_blank=True, max_length=300)
    claim_date = serializers.DateField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)


class ClaimUpdateIn(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    restated = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    claimant = serializers.CharField(required=False, allow_blank=True, max_length=300)
    claim_date = serializers.DateField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    assignee = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)


class SourceCreateIn(serializers.Serializer):
    url = serializers.CharField(max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    stance = serializers.ChoiceField(choices=Stance.choices)


class VerdictCreateIn(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="The claim's version you read (or If-Match)."
    )
    rating = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    summary = serializers.CharField(max_length=10000)
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=100000)


VerdictPageOut = page_of(VerdictOut, "VerdictPage")
