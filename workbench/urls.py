from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from annotations.policy import declare
from annotations.views import archives, corrections, health, pages, signing, snapshots
from annotations.views import external_reviews as external_review_views
from annotations.views import ns as ns_views
from annotations.views import public as public_views
from annotations.views import queues as queue_views
from annotations.views import replay as replay_views
from annotations.views import suggestions as suggestion_views
from annotations.views import team_settings as team_settings_views

PUBLIC_READ = {"GET": "public.read", "HEAD": "public.read"}

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path(
        "login/",
        declare(auth_views.LoginView.as_view(redirect_authenticated_user=True), "session.login"),
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
    # The workbench's JSON-LD context and the agents its Web Annotations name (annotations/views/ns.py).
    path("ns/workbench.jsonld", ns_views.workbench_context, name="ns-workbench-context"),
    path("ns/agents/<str:key>", ns_views.agent, name="ns-agent"),
    path("api/v1/", include("annotations.api.urls")),
    path("admin/", admin.site.urls),
]
