"""Per-platform permissions for the catalogue snippets in the CMS.

Django's model permissions say *whether* someone may add or change resources at
all; these policies add *which ones*: platform staff change only their own
platform's resources (and their own sub-domain's tutorial series), while
moderators and superusers change everything.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from accounts.roles import is_moderator

INSTANCE_ACTIONS = {"change", "delete", "publish", "unpublish", "lock", "unlock"}


def staff_platform_ids(user) -> frozenset[int]:
    """Ids of the platforms ``user`` is staff of (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_huiju_platform_ids", None)
    if cached is None:
        cached = frozenset(user.platforms.values_list("pk", flat=True))
        user._huiju_platform_ids = cached
    return cached


class PlatformScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the user's own platforms for instance actions.

    ``platform_lookup`` is the ORM path from the model to ``Platform`` ("platform"
    for resources, "subdomain__platforms" for series).
    """

    def __init__(self, model, *, platform_lookup: str, **kwargs):
        super().__init__(model, **kwargs)
        self.platform_lookup = platform_lookup

    def _unrestricted(self, user) -> bool:
        return is_moderator(user)

    def instance_platform_ids(self, instance: Model) -> set[int]:
        if self.platform_lookup == "platform":
            return {instance.platform_id} if instance.platform_id else set()
        if self.platform_lookup == "subdomain__platforms":
            if not instance.subdomain_id:
                return set()
            from knowledge.models import Platform

            return set(
                Platform.objects.filter(subdomain_id=instance.subdomain_id).values_list(
                    "pk", flat=True
                )
            )
        raise ValueError(self.platform_lookup)

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if not self.user_has_permission(user, action):
            return False
        if action not in INSTANCE_ACTIONS or self._unrestricted(user):
            return True
        return bool(self.instance_platform_ids(instance) & staff_platform_ids(user))

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        queryset = super().instances_user_has_any_permission_for(user, actions)
        if self._unrestricted(user) or not (set(actions) <= INSTANCE_ACTIONS):
            return queryset
        return queryset.filter(**{f"{self.platform_lookup}__in": staff_platform_ids(user)})
