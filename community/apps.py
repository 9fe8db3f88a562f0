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

        # Local functions: weak=False, or they are collected as soon as ready() returns.
        m2m_changed.connect(
            staff_changed,
            sender=Platform.staff.through,
            dispatch_uid="community-staff",
            weak=False,
        )
        post_save.connect(
            staff_changed, sender=Platform, dispatch_uid="community-platform", weak=False
        )

        from django.contrib.auth import get_user_model

        from community.context_processors import moderator_role_changed

        def groups_changed(instance, pk_set=None, reverse=False, **kwargs) -> None:
            user_ids = (pk_set or ()) if reverse else [instance.pk]
            for user_id in user_ids:
                moderator_role_changed(user_id)

        m2m_changed.connect(
            groups_changed,
            sender=get_user_model().groups.through,
            dispatch_uid="community-moderator-role",
            weak=False,
        )
