"""Keep caches, tutorial links and CMS groups in step with edits."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from knowledge.models import Platform, Subdomain, TutorialPage, TutorialResource


@receiver([post_save, post_delete], sender=Subdomain, dispatch_uid="knowledge.clear_nav_cache")
def clear_nav_cache(**kwargs) -> None:
    cache.delete_many([f"nav:subdomains:{code}" for code, _ in settings.LANGUAGES])


@receiver(page_published, dispatch_uid="knowledge.tutorial_published")
def tutorial_published(sender, instance, **kwargs) -> None:
    """Store the resources a tutorial links to, so each resource page lists them in one query."""
    if isinstance(instance, TutorialPage):
        from knowledge.services import tutorial_links_sync

        tutorial_links_sync(tutorial=instance)


@receiver(page_unpublished, dispatch_uid="knowledge.tutorial_unpublished")
def tutorial_unpublished(sender, instance, **kwargs) -> None:
    if isinstance(instance, TutorialPage):
        TutorialResource.objects.filter(tutorial=instance).delete()


@receiver(m2m_changed, sender=Platform.staff.through, dispatch_uid="knowledge.staff_changed")
def platform_staff_changed(sender, instance, action, **kwargs) -> None:
    """Keep each platform's CMS group in step with its staff list."""
    if action not in {"post_add", "post_remove", "post_clear"} or not isinstance(
        instance, Platform
    ):
        return
    from knowledge.services import platform_group_sync_members

    transaction.on_commit(lambda: platform_group_sync_members(platform=instance))


@receiver(post_save, sender=Subdomain, dispatch_uid="knowledge.subdomain_created")
@receiver(post_save, sender=Platform, dispatch_uid="knowledge.platform_created")
def catalogue_created(sender, instance, created, raw=False, **kwargs) -> None:
    """A new sub-domain gets its pages; a new or edited platform its CMS group, scoped to
    its (possibly changed) sub-domain. Runs after the commit."""
    if raw or (not created and not isinstance(instance, Platform)):
        return

    def ensure() -> None:
        from knowledge import services
        from knowledge.models import HomePage

        if not HomePage.objects.exists():
            return
        if isinstance(instance, Platform):
            services.platform_group_ensure(platform=instance)
        else:
            services.subdomain_page_ensure(subdomain=instance)
        services.moderation_workflow_ensure()

    transaction.on_commit(ensure)


@receiver(post_page_move, dispatch_uid="knowledge.page_moved")
def tutorials_moved(sender, instance, **kwargs) -> None:
    """A tutorial (or a branch of them) moved to another sub-domain follows it."""
    from knowledge.models import SubdomainPage

    moved = TutorialPage.objects.descendant_of(instance, inclusive=True)
    owner = SubdomainPage.objects.ancestor_of(instance, inclusive=True).first()
    moved.update(subdomain_id=owner.subdomain_id if owner else None)
