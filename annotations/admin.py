from typing import Any

from django.contrib import admin

from annotations import models


class TeamScopedAdmin(admin.ModelAdmin):
    list_select_related = ("team",)


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "default_due_days", "created_at")
    search_fields = ("slug", "name")


@admin.register(models.Membership)
class MembershipAdmin(TeamScopedAdmin):
    list_display = ("user", "team", "role")
    list_filter = ("team", "role")
    autocomplete_fields = ("user",)


@admin.register(models.Article)
class ArticleAdmin(TeamScopedAdmin):
    list_display = ("title", "team", "publisher", "revision", "created_at")
    list_filter = ("team",)
    search_fields = ("title", "canonical_url")
    readonly_fields = ("text", "layout", "content_hash", "revision")


@admin.register(models.ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ("article", "number", "created_at")
    readonly_fields = ("text", "layout", "content_hash")


@admin.register(models.Claim)
class ClaimAdmin(TeamScopedAdmin):
    list_display = ("exact", "article", "status", "assignee", "anchor_outcome", "updated_at")
    list_filter = ("team", "status", "anchor_outcome")
    search_fields = ("exact", "restated", "claimant")
    raw_id_fields = ("article", "assignee", "created_by")


@admin.register(models.Source)
class SourceAdmin(TeamScopedAdmin):
    list_display = ("url", "claim", "stance", "created_at")
    list_filter = ("team",)
    raw_id_fields = ("claim", "snapshot", "added_by")


@admin.register(models.Snapshot)
class SnapshotAdmin(TeamScopedAdmin):
    list_display = ("url", "status", "http_status", "size", "fetched_at")
    list_filter = ("team", "status")
    search_fields = ("url", "final_url", "title")


@admin.register(models.RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ("team", "name")


@admin.register(models.Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("label", "scale", "value", "position", "color")
    list_filter = ("scale",)


@admin.register(models.Verdict)
class VerdictAdmin(TeamScopedAdmin):
    list_display = ("claim", "rating", "is_current", "author", "published_at", "created_at")
    list_filter = ("team",)
    raw_id_fields = ("claim", "corrects", "author", "approved_by", "retracted_by")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        """A published verdict changes only through a correction or a retraction (the database refuses edits)."""
        if obj is not None and obj.published_at is not None:
            return [field.name for field in obj._meta.fields]
        return super().get_readonly_fields(request, obj)


@admin.register(models.Comment)
class CommentAdmin(TeamScopedAdmin):
    list_display = ("claim", "author", "created_at")
    list_filter = ("team",)
    raw_id_fields = ("claim", "author")


@admin.register(models.AuditEvent)
class AuditEventAdmin(TeamScopedAdmin):
    list_display = ("action", "target_type", "target_id", "actor", "created_at")
    list_filter = ("team", "action")
    readonly_fields = ("team", "actor", "action", "target_type", "target_id", "claim", "before", "after", "created_at")


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "prefix", "user", "team", "created_at", "last_used_at", "revoked_at")
    list_filter = ("kind", "team")
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    raw_id_fields = ("user", "created_by")


@admin.register(models.WebhookEndpoint)
class WebhookEndpointAdmin(TeamScopedAdmin):
    list_display = ("url", "team", "events", "is_active", "created_at")
    list_filter = ("team", "is_active")
    readonly_fields = ("secret",)


@admin.register(models.WebhookDelivery)
class WebhookDeliveryAdmin(TeamScopedAdmin):
    list_display = ("event", "endpoint", "status", "attempts", "response_status", "created_at", "delivered_at")
    list_filter = ("team", "status", "event")
    readonly_fields = ("payload", "attempts", "response_status", "error", "created_at", "delivered_at")
