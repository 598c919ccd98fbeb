from annotations.models.articles import Article, ArticleRevision, SourceFormat
from annotations.models.claims import AnchorOutcome, Claim, ClaimStatus, Priority
from annotations.models.discussion import AuditEvent, Comment
from annotations.models.ratings import Rating, RatingScale
from annotations.models.sources import Snapshot, SnapshotStatus, Source, Stance
from annotations.models.teams import Membership, Role, Team
from annotations.models.verdicts import Verdict

__all__ = [
    "AnchorOutcome",
    "Article",
    "ArticleRevision",
    "AuditEvent",
    "Claim",
    "ClaimStatus",
    "Comment",
    "Membership",
    "Priority",
    "Rating",
    "RatingScale",
    "Role",
    "Snapshot",
    "SnapshotStatus",
    "Source",
    "SourceFormat",
    "Stance",
    "Team",
    "Verdict",
]
