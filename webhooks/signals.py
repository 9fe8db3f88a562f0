"""``resource.updated``: emitted whenever an open resource or one of its versions is saved.

Resources are written from several places (the API, the CMS, the Django admin,
the demo loader), so a model signal is the one hook that sees them all. The
payload is built after commit, from the database, so it includes tags and
versions saved in the same transaction. Saves of one resource within one
transaction (a CMS edit re-saves every version) coalesce into one event.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from knowledge.models import OpenResource, ResourceVersion
from webhooks.payloads import resource_payload, version_payload
from webhooks.services import webhook_emit

EVENT = "resource.updated"
# When several changes coalesce, the most telling one names the event.
_PRIORITY = {"created": 3, "version_added": 2, "updated": 1, "version_updated": 0}


class _ResourceEmit:
    """An on-commit callback emitting ``resource.updated`` for one resource."""

    def __init__(self, platform_id: int, resource_id: int, change: str, version_id: int | None):
        self.platform_id = platform_id
        self.resource_id = resource_id
        self.change = change
        self.version_id = version_id
        self.done = False

    def merge(self, change: str, version_id: int | None) -> None:
        if _PRIORITY[change] > _PRIORITY[self.change]:
            self.change, self.version_id = change, version_id

    def build(self) -> dict | None:
        resource = (
            OpenResource.objects.prefetch_related("versions", "tags")
            .filter(pk=self.resource_id)
            .first()
        )
        if resource is None:
            return None
        data = {"change": self.change, "resource": resource_payload(resource, versions=True)}
        if self.change.startswith("version_"):
            version = next((v for v in resource.versions.all() if v.pk == self.version_id), None)
            data["version"] = version_payload(version) if version else None
        return data

    def __call__(self) -> None:
        self.done = True
        webhook_emit(platform=self.platform_id, event=EVENT, payload=self.build)


def _schedule(platform_id: int, resource_id: int, change: str, version_id: int | None = None):
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for entry in connection.run_on_commit:  # (savepoint ids, callback, robust)
            pending = entry[1]
            if (
                isinstance(pending, _ResourceEmit)
                and pending.resource_id == resource_id
                and not pending.done
            ):
                pending.merge(change, version_id)
                return
    transaction.on_commit(_ResourceEmit(platform_id, resource_id, change, version_id), robust=True)


@receiver(post_save, sender=OpenResource, dispatch_uid="webhooks.resource_saved")
def resource_saved(sender, instance: OpenResource, created: bool, raw: bool = False, **kwargs):
    if not raw:
        _schedule(instance.platform_id, instance.pk, "created" if created else "updated")


@receiver(post_save, sender=ResourceVersion, dispatch_uid="webhooks.version_saved")
def version_saved(sender, instance: ResourceVersion, created: bool, raw: bool = False, **kwargs):
    if raw:
        return
    if ResourceVersion.resource.is_cached(instance):
        platform_id = instance.resource.platform_id
    else:
        platform_id = (
            OpenResource.objects.filter(pk=instance.resource_id)
            .values_list("platform_id", flat=True)
            .first()
        )
    if platform_id is not None:
        change = "version_added" if created else "version_updated"
        _schedule(platform_id, instance.resource_id, change, instance.pk)
