from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_save

        from community import slots  # noqa: F401 - registers the page slots
        from community.selectors import platform_staff_changed
        from knowledge.models import Platform

        def staff_changed(**kwargs) -> None:
            platform_staff_changed()

        m2m_changed.connect(
            staff_changed, sender=Platform.staff.through, dispatch_uid="community-staff"
        )
        post_save.connect(staff_changed, sender=Platform, dispatch_uid="community-platform")
