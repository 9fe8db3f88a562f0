"""Keep the cached header menu in step with sub-domain edits."""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from knowledge.models import Subdomain


@receiver([post_save, post_delete], sender=Subdomain, dispatch_uid="knowledge.clear_nav_cache")
def clear_nav_cache(**kwargs) -> None:
    cache.delete_many([f"nav:subdomains:{code}" for code, _ in settings.LANGUAGES])
