"""Keep the normalized copy of profile skills (``MemberSkill``) in step with ``Profile.skills``."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Profile


@receiver(post_save, sender=Profile, dispatch_uid="collaboration_sync_member_skills")
def _sync_member_skills(sender, instance: Profile, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    from collaboration.services import member_skills_sync

    member_skills_sync(user=instance.user, names=instance.skills or [])
