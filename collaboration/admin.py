"""Moderators review flags here; admins verify organisations. Contact details are not shown."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_moderator
from collaboration.models import (
    CollaborationPost,
    Flag,
    Interest,
    InterestEvent,
    Organisation,
    OrganisationMembership,
    Skill,
)
from collaboration.services import flag_review


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["post", "reason", "reporter", "status", "created_at", "reviewed_by"]
    list_filter = ["status", "reason"]
    list_select_related = ["post", "reporter", "reviewed_by"]
    readonly_fields = [
        "post",
        "reporter",
        "reason",
        "note",
        "created_at",
        "reviewed_by",
        "reviewed_at",
    ]
    fields = [*readonly_fields, "status"]
    actions = ["hide_posts", "dismiss"]

    def has_add_permission(self, request):
        return False

    # Moderators (the Moderators group) review flags without needing model permissions.
    def has_module_permission(self, request):
        return is_moderator(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_moderator(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_moderator(request.user) or super().has_change_permission(request, obj)

    @admin.action(description=_("Hide the flagged posts"))
    def hide_posts(self, request, queryset):
        count = flag_review(flags=list(queryset), moderator=request.user, hide_post=True)
        self.message_user(
            request,
            _("%(count)d flags resolved; posts hidden.") % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Dismiss the flags"))
    def dismiss(self, request, queryset):
        count = flag_review(flags=list(queryset), moderator=request.user, hide_post=False)
        self.message_user(
            request, _("%(count)d flags dismissed.") % {"count": count}, messages.SUCCESS
        )


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "verified", "platform", "created_at"]
    list_filter = ["verified", "kind"]
    list_editable = ["verified"]
    search_fields = ["name", "website"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["verified_at"]
    inlines = [MembershipInline]


@admin.register(CollaborationPost)
class CollaborationPostAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "author", "subdomain", "status", "expires_on", "hidden_at"]
    list_filter = ["status", "kind", "stage", "subdomain"]
    list_select_related = ["author", "subdomain"]
    search_fields = ["title", "author__username"]
    raw_id_fields = ["author", "organisation"]
    exclude = CollaborationPost.CONTACT_FIELDS  # private to the author and accepted members
    filter_horizontal = ["skills", "resources"]


class InterestEventInline(admin.TabularInline):
    model = InterestEvent
    readonly_fields = ["actor", "action", "created_at"]
    extra = 0
    can_delete = False


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["post", "member", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["post", "member"]
    raw_id_fields = ["post", "member"]
    exclude = Interest.CONTACT_FIELDS
    readonly_fields = ["post", "member", "message", "status", "created_at", "decided_at"]
    inlines = [InterestEventInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "key"]
    search_fields = ["name", "key"]
    readonly_fields = ["key"]
