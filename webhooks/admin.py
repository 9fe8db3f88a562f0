from django.contrib import admin

from webhooks.models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "platform", "is_active", "created_at"]
    list_filter = ["is_active", "platform"]
    search_fields = ["url", "description"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "uuid",
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "created_at",
    ]
    list_filter = ["status", "event"]
    search_fields = ["uuid"]
    list_select_related = ["endpoint"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
