"""Routes of /api/v1/. One block per resource module; keep each module's routes together."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from annotations.api import (
    articles,
    claimreview,
    claims,
    comments,
    events,
    highlights,
    notifications,
    sources,
    teams,
    tokens,
    verdicts,
    webhooks,
)
from annotations.api.w3c import views as w3c_views
from annotations.policy import declare

urlpatterns: list[URLPattern | URLResolver] = [
    # --- Schema and docs (served locally through drf-spectacular-sidecar, no CDN). ---
    path("schema/", declare(SpectacularAPIView.as_view(), "api.describe"), name="api-schema"),
    path("docs/", declare(SpectacularSwaggerView.as_view(url_name="api-schema"), "api.describe"), name="api-docs"),
    # --- Teams. ---
    path("teams/", teams.TeamList.as_view(), name="api-teams"),
    path("teams/<int:team_id>/", teams.TeamDetail.as_view(), name="api-team"),
    path("teams/<int:team_id>/claimreview", claimreview.TeamClaimReviewFeed.as_view(), name="api-team-claimreview"),
    path("teams/<int:team_id>/api-keys/", tokens.TeamKeyList.as_view(), name="api-team-keys"),
    path("teams/<int:team_id>/webhooks/", webhooks.EndpointList.as_view(), name="api-team-webhooks"),
    # --- One's notifications and notification choices. ---
    path("notifications/", notifications.NotificationList.as_view(), name="api-notifications"),
    path("notifications/read-all/", notifications.NotificationReadAll.as_view(), name="api-notifications-read-all"),
    path(
        "notifications/preferences/",
        notifications.NotificationPreferences.as_view(),
        name="api-notification-preferences",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.NotificationRead.as_view(),
        name="api-notification-read",
    ),
    # --- Personal API tokens. ---
    path("tokens/", tokens.TokenList.as_view(), name="api-tokens"),
    path("tokens/<int:token_id>/", tokens.TokenDetail.as_view(), name="api-token"),
    # --- Webhook endpoints and their delivery log. ---
    path("webhooks/<int:endpoint_id>/", webhooks.EndpointDetail.as_view(), name="api-webhook"),
    path("webhooks/<int:endpoint_id>/deliveries/", webhooks.DeliveryList.as_view(), name="api-webhook-deliveries"),
    # --- Articles. ---
    path("articles/", articles.ArticleList.as_view(), name="api-articles"),
    path("articles/<int:article_id>/", articles.ArticleDetail.as_view(), name="api-article"),
    path("articles/<int:article_id>/claims/", claims.ArticleClaimList.as_view(), name="api-article-claims"),
    path(
        "articles/<int:article_id>/highlights/", highlights.ArticleHighlights.as_view(), name="api-article-highlights"
    ),
    # W3C Web Annotation Protocol container of the article's claims.
    path(
        "articles/<int:article_id>/annotations/",
        w3c_views.AnnotationContainer.as_view(),
        name="api-article-annotations",
    ),
    path(
        "articles/<int:article_id>/annotations/pages/<int:number>",
        w3c_views.AnnotationPage.as_view(),
        name="api-article-annotation-page",
    ),
    path(
        "articles/<int:article_id>/annotations/<int:claim_id>",
        w3c_views.AnnotationDetail.as_view(),
        name="api-article-annotation",
    ),
    # --- Claims. ---
    path("claims/", claims.ClaimList.as_view(), name="api-claims"),
    path("claims/<int:claim_id>/", claims.ClaimDetail.as_view(), name="api-claim"),
    path("claims/<int:claim_id>/annotation", w3c_views.ClaimAnnotation.as_view(), name="api-claim-annotation"),
    path("claims/<int:claim_id>/claimreview", claimreview.ClaimReviewDetail.as_view(), name="api-claim-claimreview"),
    path("claims/<int:claim_id>/sources/", sources.ClaimSourceList.as_view(), name="api-claim-sources"),
    path("claims/<int:claim_id>/verdicts/", verdicts.ClaimVerdictList.as_view(), name="api-claim-verdicts"),
    path("claims/<int:claim_id>/comments/", comments.ClaimCommentList.as_view(), name="api-claim-comments"),
    path("claims/<int:claim_id>/events/", events.ClaimEventList.as_view(), name="api-claim-events"),
    # --- Sources. ---
    path("sources/<int:source_id>/", sources.SourceDetail.as_view(), name="api-source"),
    path("sources/<int:source_id>/refetch/", sources.SourceRefetch.as_view(), name="api-source-refetch"),
]

# --- Claim suggestions (annotations/api/suggestions.py). ---
from annotations.api import suggestions  # noqa: E402

urlpatterns += [
    path(
        "articles/<int:article_id>/suggestions/",
        suggestions.ArticleSuggestionList.as_view(),
        name="api-article-suggestions",
    ),
    path(
        "suggestions/<int:suggestion_id>/accept/", suggestions.SuggestionAccept.as_view(), name="api-suggestion-accept"
    ),
    path(
        "suggestions/<int:suggestion_id>/dismiss/",
        suggestions.SuggestionDismiss.as_view(),
        name="api-suggestion-dismiss",
    ),
]

# --- Workflow (annotations/api/workflow.py) and team settings (annotations/api/team_settings.py). ---
from annotations.api import similar, team_settings, workflow  # noqa: E402

urlpatterns += [
    path("claims/<int:claim_id>/transitions/", workflow.ClaimTransitions.as_view(), name="api-claim-transitions"),
    path("claims/<int:claim_id>/similar/", similar.ClaimSimilar.as_view(), name="api-claim-similar"),
    path("queues/", workflow.QueueList.as_view(), name="api-queues"),
    path("queues/bulk-assign/", workflow.QueueBulkAssign.as_view(), name="api-queues-bulk-assign"),
    path("teams/<int:team_id>/members/", team_settings.TeamMembers.as_view(), name="api-team-members"),
    path("teams/<int:team_id>/members/<int:member_id>/", team_settings.TeamMember.as_view(), name="api-team-member"),
    path("teams/<int:team_id>/rating-scale/", team_settings.TeamRatingScale.as_view(), name="api-team-rating-scale"),
    path("teams/<int:team_id>/workflow/", team_settings.TeamWorkflowSettings.as_view(), name="api-team-workflow"),
]

# --- Checked elsewhere: other fact-checkers' ClaimReview (annotations/api/external_reviews.py). ---
from annotations.api import external_reviews  # noqa: E402

urlpatterns += [
    path("teams/<int:team_id>/review-feeds/", external_reviews.TeamReviewFeeds.as_view(), name="api-team-review-feeds"),
    path("review-feeds/<int:feed_id>/", external_reviews.ReviewFeedDetail.as_view(), name="api-review-feed"),
    path(
        "review-feeds/<int:feed_id>/refresh/",
        external_reviews.ReviewFeedRefresh.as_view(),
        name="api-review-feed-refresh",
    ),
    path(
        "teams/<int:team_id>/external-reviews/",
        external_reviews.TeamExternalReviews.as_view(),
        name="api-team-external-reviews",
    ),
    path(
        "external-reviews/<int:review_id>/", external_reviews.ExternalReviewDetail.as_view(), name="api-external-review"
    ),
]

# --- Pages captured in the reader's browser (annotations/api/capture.py). ---
from annotations.api import capture  # noqa: E402

urlpatterns += [path("captures/", capture.CaptureCreate.as_view(), name="api-captures")]
