"""Open resources in search (see search/registry.py for the adapter API)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from knowledge.models import OpenResource, OpenResourceTag, Platform, ResourceVersion
from search.registry import SearchDocument, SearchKind, register


@register
class OpenResourceKind(SearchKind):
    kind = "resource"
    label = _("Resource")
    model = OpenResource
    order = 30

    def get_queryset(self):
        return OpenResource.objects.select_related("platform__subdomain").prefetch_related(
            "tags", "versions"
        )

    def to_document(self, resource: OpenResource) -> SearchDocument:
        platform = resource.platform
        versions = [v.version for v in resource.versions.all()]
        body = "\n".join(
            part
            for part in (
                resource.summary_zh_hans,
                resource.summary_zh_hant,
                resource.summary_en,
                f"{platform.name_zh_hans} {platform.name_en} {resource.get_kind_display()}",
                resource.licence,
            )
            if part
        )
        with translation.override(settings.LANGUAGE_CODE):
            url = resource.get_absolute_url()
        return SearchDocument(
            kind=self.kind,
            object_id=str(resource.pk),
            url=url,
            title=resource.name,
            body=body,
            tags=[tag.name for tag in resource.tags.all()],
            subdomain=platform.subdomain.slug,
            platform=platform.slug,
            resources=[resource.slug, *(f"{resource.slug}@{v}" for v in versions)],
            created_at=resource.created_at,
            updated_at=resource.updated_at,
        )

    def watched(self):
        return {
            OpenResource: lambda r: [r.pk],
            OpenResourceTag: lambda t: [t.content_object_id],
            ResourceVersion: lambda v: [v.resource_id],
            Platform: lambda p: list(p.resources.values_list("pk", flat=True)),
        }
