"""Notification kinds of the collaboration board (``collaboration`` itself is built in)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register_kind

MATCH = register_kind(
    Kind(
        "collaboration_match",
        _("New collaboration posts matching my alerts"),
        _("New collaboration post matching your skills or sub-domains"),
        email_default=False,
    )
)

EXPIRING = register_kind(
    Kind(
        "collaboration_expiring",
        _("My collaboration posts about to expire"),
        _("Your collaboration post expires soon: extend it or close it"),
    )
)
