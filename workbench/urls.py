from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from annotations.policy import declare
from annotations.views import archives, corrections, favicon, health, pages, signing, snapshots
from annotations.views import external_reviews as external_review_views
from annotations.views import integrations as integration_views
from annotations.views import notifications as notification_views
from annotations.views import ns as ns_views
from annotations.views import people as people_views
from annotations.views import public as public_views
from annotations.views import queues as queue_views
from annotations.views import replay as replay_views
from annotations.views import suggestions as suggestion_views
from annotations.views import team_settings as team_settings_views
from workbench import oidc

PUBLIC_READ = {"GET": "public.read", "HEAD": "public.read"}

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path(
        "login/",
        declare(oidc.SignInView.as_view(), "session.login"),
        name="login",
    ),
    path("logout/", declare(signing.SignOutView.as_view(), "session.login"), name="logout"),
    path("", pages.home, name="home"),
    path("t/<slug:team_slug>/", pages.dashboard, name="dashboard"),
    path("t/<slug:team_slug>/articles/new/", pages.article_new, name="article_new"),
    path("articles/<int:article_id>/", pages.article_detail, name="article"),
    path("articles/<int:article_id>/edit/", pages.article_edit, name="article_edit"),
    path("snapshots/<int:snapshot_id>/copy", snapshots.snapshot_copy, name="snapshot_copy"),
    path("snapshots/<int:snapshot_id>/text", snapshots.snapshot_text, name="snapshot_text"),
    path("snapshots/<int:snapshot_id>/warc", snapshots.snapshot_warc, name="snapshot_warc"),
    path("claims/<int:claim_id>/sources.wacz", archives.claim_wacz, name="claim_wacz"),
    path("articles/<int:article_id>/sources.wacz", archives.article_wacz, name="article_wacz"),
    path("snapshots/<int:snapshot_id>/replay/", replay_views.snapshot_replay, name="snapshot_replay"),
    path("corrections/<slug:team_slug>/", corrections.corrections_log, name="corrections_log"),
    path("fact-checks/<slug:team_slug>/", public_views.fact_check_index, name="public_index"),
    path(
        "fact-checks/<slug:team_slug>/feed/",
        declare(require_safe(public_views.TeamFactCheckFeed()), PUBLIC_READ),
        name="public_feed",
    ),
    path("fact-checks/<slug:team_slug>/<int:claim_id>/", public_views.fact_check, name="public_fact_check"),
    path(
        "fact-checks/<slug:team_slug>/<int:claim_id>/sources.wacz",
        archives.fact_check_wacz,
        name="public_fact_check_wacz",
    ),
    path(
        "sitemap.xml",
        declare(require_safe(sitemap_views.sitemap), PUBLIC_READ),
        {"sitemaps": public_views.SITEMAPS, "template_name": "public/sitemap.xml"},
        name="sitemap",
    ),
    path("t/<slug:team_slug>/queues/", queue_views.queues, name="queues"),
    path("t/<slug:team_slug>/queues/bulk-assign/", queue_views.queues_bulk_assign, name="queues_bulk_assign"),
    path("t/<slug:team_slug>/queues/bulk-due/", queue_views.queues_bulk_due, name="queues_bulk_due"),
    path("t/<slug:team_slug>/settings/", team_settings_views.team_settings, name="team_settings"),
    path("t/<slug:team_slug>/settings/members/add/", team_settings_views.team_member_add_view, name="team_member_add"),
    path(
        "t/<slug:team_slug>/settings/members/<int:member_id>/role/",
        team_settings_views.team_member_role_view,
        name="team_member_role",
    ),
    path(
        "t/<slug:team_slug>/settings/members/<int:member_id>/remove/",
        team_settings_views.team_member_remove_view,
        name="team_member_remove",
    ),
    path("t/<slug:team_slug>/settings/ratings/", team_settings_views.rating_scale_view, name="team_rating_scale"),
    path("t/<slug:team_slug>/settings/due/", team_settings_views.team_due_days_view, name="team_due_days"),
    path(
        "t/<slug:team_slug>/settings/matching/",
        team_settings_views.team_similarity_threshold_view,
        name="team_similarity_threshold",
    ),
    path("t/<slug:team_slug>/settings/profile/", team_settings_views.team_profile_view, name="team_profile"),
    # "Checked elsewhere": other fact-checkers' ClaimReview (annotations/views/external_reviews.py).
    path(
        "t/<slug:team_slug>/settings/checked-elsewhere/import/",
        external_review_views.team_review_import_view,
        name="team_review_import",
    ),
    path(
        "t/<slug:team_slug>/settings/checked-elsewhere/feeds/",
        external_review_views.team_review_feed_add_view,
        name="team_review_feed_add",
    ),
    path(
        "t/<slug:team_slug>/settings/checked-elsewhere/feeds/<int:feed_id>/refresh/",
        external_review_views.team_review_feed_refresh_view,
        name="team_review_feed_refresh",
    ),
    path(
        "t/<slug:team_slug>/settings/checked-elsewhere/feeds/<int:feed_id>/remove/",
        external_review_views.team_review_feed_remove_view,
        name="team_review_feed_remove",
    ),
    path("t/<slug:team_slug>/settings/suggestions/", suggestion_views.team_suggestions_view, name="team_suggestions"),
    # Integrations: the team's webhooks and their delivery logs (annotations/views/integrations.py).
    path("t/<slug:team_slug>/settings/integrations/", integration_views.integrations, name="integrations"),
    path("t/<slug:team_slug>/settings/integrations/add/", integration_views.webhook_add, name="webhook_add"),
    path(
        "t/<slug:team_slug>/settings/integrations/<int:endpoint_id>/",
        integration_views.webhook_endpoint,
        name="webhook_endpoint",
    ),
    path(
        "t/<slug:team_slug>/settings/integrations/<int:endpoint_id>/active/",
        integration_views.webhook_set_active,
        name="webhook_set_active",
    ),
    path(
        "t/<slug:team_slug>/settings/integrations/<int:endpoint_id>/delete/",
        integration_views.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "t/<slug:team_slug>/settings/integrations/<int:endpoint_id>/ping/",
        integration_views.webhook_ping_view,
        name="webhook_ping",
    ),
    path(
        "t/<slug:team_slug>/settings/integrations/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        integration_views.webhook_redeliver_view,
        name="webhook_redeliver",
    ),
    # The workbench's JSON-LD context and the agents its Web Annotations name (annotations/views/ns.py).
    path("ns/workbench.jsonld", ns_views.workbench_context, name="ns-workbench-context"),
    path("ns/agents/<str:key>", ns_views.agent, name="ns-agent"),
    # One's notifications: the inbox and the choices (annotations/views/notifications.py).
    path("notifications/", notification_views.notification_inbox, name="notification_inbox"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:notification_id>/read/", notification_views.notification_read, name="notification_read"),
    path("notifications/preferences/", notification_views.notification_preferences, name="notification_preferences"),
    # People: invitations, deactivation, one's profile, sign-in through an identity provider
    # (annotations/views/people.py, annotations/views/team_settings.py, workbench/oidc.py).
    path(
        "t/<slug:team_slug>/settings/invitations/",
        team_settings_views.team_invitation_create_view,
        name="team_invitation_create",
    ),
    path(
        "t/<slug:team_slug>/settings/invitations/<int:invitation_id>/resend/",
        team_settings_views.team_invitation_resend_view,
        name="team_invitation_resend",
    ),
    path(
        "t/<slug:team_slug>/settings/invitations/<int:invitation_id>/revoke/",
        team_settings_views.team_invitation_revoke_view,
        name="team_invitation_revoke",
    ),
    path(
        "t/<slug:team_slug>/settings/members/<int:member_id>/deactivate/",
        team_settings_views.team_member_deactivate_view,
        name="team_member_deactivate",
    ),
    path(
        "t/<slug:team_slug>/settings/deactivated/<int:deactivation_id>/reactivate/",
        team_settings_views.team_member_reactivate_view,
        name="team_member_reactivate",
    ),
    path("invitations/<str:token>/", people_views.invitation_accept_view, name="invitation_accept"),
    path("profile/", people_views.profile_view, name="profile"),
    path("profile/password/", people_views.password_change_view, name="password_change"),
    path("oidc/start/", declare(oidc.SignInRedirectView.as_view(), "session.login"), name="oidc_start"),
    path("oidc/callback/", declare(oidc.SignInCallbackView.as_view(), "session.login"), name="oidc_callback"),
    path("api/v1/", include("annotations.api.urls")),
    path("admin/", admin.site.urls),
]

# --- Capturing pages in the reader's browser (annotations/views/capture.py). ---
from annotations.views import capture as capture_views  # noqa: E402

urlpatterns += [
    path("t/<slug:team_slug>/capture/", capture_views.send_to_workbench, name="capture_send"),
    path("t/<slug:team_slug>/capture/window/", capture_views.capture_window, name="capture_window"),
    path("t/<slug:team_slug>/capture/extension.zip", capture_views.extension_download, name="capture_extension"),
]
