from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotations.policy import declare
from annotations.views import corrections, health, pages, snapshots
from annotations.views import queues as queue_views
from annotations.views import team_settings as team_settings_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path(
        "login/",
        declare(auth_views.LoginView.as_view(redirect_authenticated_user=True), "session.login"),
        name="login",
    ),
    path("logout/", declare(auth_views.LogoutView.as_view(), "session.login"), name="logout"),
    path("", pages.home, name="home"),
    path("t/<slug:team_slug>/", pages.dashboard, name="dashboard"),
    path("t/<slug:team_slug>/articles/new/", pages.article_new, name="article_new"),
    path("articles/<int:article_id>/", pages.article_detail, name="article"),
    path("articles/<int:article_id>/edit/", pages.article_edit, name="article_edit"),
    path("snapshots/<int:snapshot_id>/copy", snapshots.snapshot_copy, name="snapshot_copy"),
    path("snapshots/<int:snapshot_id>/text", snapshots.snapshot_text, name="snapshot_text"),
    path("corrections/<slug:team_slug>/", corrections.corrections_log, name="corrections_log"),
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
    path("api/v1/", include("annotations.api.urls")),
    path("admin/", admin.site.urls),
]
