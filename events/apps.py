from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Live sessions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from events import slots  # noqa: F401  (registers the page slots)
        from notifications.kinds import Kind, register_kind

        register_kind(
            Kind(
                "live_session",
                _("Reminders for live sessions I registered for"),
                _("A live session you registered for starts soon"),
            )
        )
        register_kind(
            Kind(
                "live_answer",
                _("Answers to my questions in live sessions"),
                _("%(actor)s answered your question in a live session"),
            )
        )
