from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from annotations.views import health, pages

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", pages.home, name="home"),
    path("t/<slug:team_slug>/", pages.dashboard, name="dashboard"),
    path("t/<slug:team_slug>/articles/new/", pages.article_new, name="article_new"),
    path("articles/<int:article_id>/", pages.article_detail, name="article"),
    path("admin/", admin.site.urls),
]
