from django.contrib import admin

from events.models import LiveQuestion, LiveSession, Registration


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "platform", "subdomain", "starts_at", "status"]
    list_filter = ["status", "subdomain", "platform"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["hosts", "moderators", "resources"]
    readonly_fields = ["sequence", "started_at", "ended_at", "archived_at"]
    date_hierarchy = "starts_at"


@admin.register(LiveQuestion)
class LiveQuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "session", "author", "status", "vote_count", "pinned"]
    list_filter = ["status", "pinned"]
    search_fields = ["body"]
    raw_id_fields = ["session", "author", "answered_by"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "created_at", "reminded_at"]
    raw_id_fields = ["session", "user"]
