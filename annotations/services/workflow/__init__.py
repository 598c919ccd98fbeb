"""The team review workflow: the claim lifecycle, claim edits under optimistic locking, team settings.

`transitions` moves claims through the lifecycle the table in annotations.selectors.workflow
describes; `editing` changes a claim's fields (stale versions raise ClaimConflict); `team_settings`
is the admin's side: members and roles, the rating scale, the default due time, the match threshold.
"""

from annotations.services.workflow.deadlines import BulkDueResult, claims_bulk_set_due
from annotations.services.workflow.editing import (
    BulkAssignResult,
    ClaimConflict,
    claim_delete,
    claim_link_duplicate,
    claim_update,
    claims_bulk_assign,
)
from annotations.services.workflow.team_settings import (
    rating_scale_update,
    team_default_due_days_set,
    team_member_add,
    team_member_remove,
    team_member_set_role,
    team_similarity_threshold_set,
    team_workflow_update,
)
from annotations.services.workflow.transitions import (
    claim_approve,
    claim_approve_correction,
    claim_assign,
    claim_mark_not_check_worthy,
    claim_propose,
    claim_propose_correction,
    claim_publish,
    claim_publish_correction,
    claim_reopen,
    claim_request_changes,
    claim_resume,
    claim_retract,
    claim_transition,
    claim_withdraw_correction,
)

__all__ = [
    "BulkAssignResult",
    "BulkDueResult",
    "ClaimConflict",
    "claim_approve",
    "claim_approve_correction",
    "claim_assign",
    "claim_delete",
    "claim_link_duplicate",
    "claim_mark_not_check_worthy",
    "claim_propose",
    "claim_propose_correction",
    "claim_publish",
    "claim_publish_correction",
    "claim_reopen",
    "claim_request_changes",
    "claim_resume",
    "claim_retract",
    "claim_transition",
    "claim_update",
    "claim_withdraw_correction",
    "claims_bulk_assign",
    "claims_bulk_set_due",
    "rating_scale_update",
    "team_default_due_days_set",
    "team_member_add",
    "team_member_remove",
    "team_member_set_role",
    "team_similarity_threshold_set",
    "team_workflow_update",
]
