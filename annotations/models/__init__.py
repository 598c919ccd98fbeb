from annotations.models.api_keys import ApiToken, TokenKind
from annotations.models.articles import Article, ArticleOrigin, ArticleRevision, SourceFormat
from annotations.models.claims import AnchorOutcome, Claim, ClaimantKind, ClaimStatus, Priority
from annotations.models.discussion import AuditEvent, Comment
from annotations.models.matching import ClaimEmbedding, ExternalReview, ReviewFeed
from annotations.models.notifications import (
    Notification,
    NotificationDispatch,
    NotificationKind,
    NotificationPreference,
)
from annotations.models.people import Deactivation, Invitation
from annotations.models.ratings import Rating, RatingScale
from annotations.models.sources import Snapshot, SnapshotFold, SnapshotStatus, Source, Stance
from annotations.models.suggestions import Suggestion, SuggestionModel, SuggestionScan, SuggestionStatus
from annotations.models.teams import Membership, Role, Team
from annotations.models.verdicts import Verdict
from annotations.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "AnchorOutcome",
    "ApiToken",
    "Article",
    "ArticleOrigin",
    "ArticleRevision",
    "AuditEvent",
    "Claim",
    "ClaimEmbedding",
    "ClaimStatus",
    "ClaimantKind",
    "Comment",
    "Deactivation",
    "DeliveryStatus",
    "ExternalReview",
    "Invitation",
    "Membership",
    "Notification",
    "NotificationDispatch",
    "NotificationKind",
    "NotificationPreference",
    "Priority",
    "Rating",
    "RatingScale",
    "ReviewFeed",
    "Role",
    "Snapshot",
    "SnapshotFold",
    "SnapshotStatus",
    "Source",
    "SourceFormat",
    "Stance",
    "Suggestion",
    "SuggestionModel",
    "SuggestionScan",
    "SuggestionStatus",
    "Team",
    "TokenKind",
    "Verdict",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
