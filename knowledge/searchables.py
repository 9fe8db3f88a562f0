"""Open resources in search (see search/registry.py for the adapter API)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageViewRestriction

from knowledge.models import (
    OpenResource,
    OpenResourceTag,
    Platform,
    ResourceVersion,
    TutorialPage,
    TutorialPageTag,
)
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


@register
class TutorialKind(SearchKind):
    """Published, public tutorials; drafts, unpublished and private pages are never found."""

    kind = "tutorial"
    label = _("Tutorial")
    model = TutorialPage
    order = 60

    def get_queryset(self):
        return TutorialPage.objects.select_related("subdomain", "owner").prefetch_related(
            "tags", "subdomain__platforms"
        )

    def prepare(self, pages: list[TutorialPage]) -> None:
        """Resource slugs of the whole batch in one query; no restriction query when none exist."""
        unrestricted = not PageViewRestriction.objects.exists()
        links = {page.pk: page.body_resource_links() for page in pages}
        ids = {resource_id for found in links.values() for resource_id, _ in found}
        slugs = dict(OpenResource.objects.filter(pk__in=ids).values_list("pk", "slug"))
        for page in pages:
            page._search_links = links[page.pk]
            page._search_slugs = slugs
            page._search_unrestricted = unrestricted

    def to_document(self, page: TutorialPage) -> SearchDocument | None:
        if not page.live or page.expired:
            return None
        if (
            not getattr(page, "_search_unrestricted", False)
            and page.get_view_restrictions().exists()
        ):
            return None
        links = getattr(page, "_search_links", None)
        if links is None:
            links = page.body_resource_links()
        slugs = getattr(page, "_search_slugs", None)
        if slugs is None:
            slugs = dict(
                OpenResource.objects.filter(pk__in=[rid for rid, _ in links]).values_list(
                    "pk", "slug"
                )
            )
        resources = []
        for resource_id, version in links:
            if resource_id in slugs:
                resources.append(slugs[resource_id])
                if version:
                    resources.append(f"{slugs[resource_id]}@{version}")
        subdomain = page.subdomain
        platforms = list(subdomain.platforms.all()) if subdomain else []
        with translation.override(settings.LANGUAGE_CODE):
            url = page.get_url() or page.url_path
        body = "\n".join(
            part
            for part in (
                page.summary,
                page.plain_text(),
                page.prerequisites,
                f"{subdomain.name_zh_hans} {subdomain.name_en}" if subdomain else "",
            )
            if part
        )
        created = page.first_published_at or page.latest_revision_created_at
        return SearchDocument(
            kind=self.kind,
            object_id=str(page.pk),
            url=url,
            title=page.title,
            body=body,
            tags=[tag.name for tag in page.tags.all()],
            subdomain=subdomain.slug if subdomain else "",
            platform=platforms[0].slug if platforms else "",
            resources=resources,
            author=page.owner.username if page.owner else "",
            created_at=created,
            updated_at=page.last_published_at or created,
            language=page.content_language or "",
        )

    def watched(self):
        return {
            TutorialPage: lambda page: [page.pk],
            TutorialPageTag: lambda tag: [tag.content_object_id],
        }
