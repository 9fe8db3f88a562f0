from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from notifications.kinds import Kind, register_kind
        from webhooks import community_hooks, live_hooks, signals, slots  # noqa: F401

        register_kind(
            Kind(
                "webhook_failed",
                _("Failed webhook deliveries (platform staff)"),
                _("A webhook delivery to your platform's endpoint failed"),
            )
        )
