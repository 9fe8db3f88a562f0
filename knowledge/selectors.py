"""Reads for the knowledge pages, each with a bounded number of queries."""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import F, Prefetch, QuerySet, prefetch_related_objects
from wagtail.models import Page

from accounts.models import User
from knowledge.models import (
    OpenResource,
    Platform,
    ResourceVersion,
    Subdomain,
    TutorialPage,
    TutorialResource,
)

LATEST_TUTORIALS = 6


def subdomain_landing(*, slug: str) -> Subdomain:
    """A sub-domain with its platforms and their (verified) staff; raises DoesNotExist."""
    staff = User.objects.select_related("profile").order_by("username")
    platforms = Platform.objects.prefetch_related(Prefetch("staff", queryset=staff))
    return Subdomain.objects.prefetch_related(Prefetch("platforms", queryset=platforms)).get(
        slug=slug
    )


def resources_by_kind(*, subdomain: Subdomain) -> list[tuple[str, list[OpenResource]]]:
    """The sub-domain's resource catalogue as ``[(kind label, [resources…]), …]`` (one query)."""
    groups: OrderedDict[str, list[OpenResource]] = OrderedDict()
    labels = dict(OpenResource.Kind.choices)
    for kind, _label in OpenResource.Kind.choices:
        groups[kind] = []
    resources = (
        OpenResource.objects.filter(platform__subdomain=subdomain)
        .select_related("platform")
        .order_by("kind", "name")
    )
    for resource in resources:
        groups.setdefault(resource.kind, []).append(resource)
    return [(labels.get(kind, kind), items) for kind, items in groups.items() if items]


def tutorial_list(
    *,
    subdomain: Subdomain | None = None,
    within: Page | None = None,
    level: str = "",
    tag: str = "",
) -> QuerySet[TutorialPage]:
    """Live tutorials, newest first, optionally filtered (tags prefetched, sub-domain joined)."""
    tutorials = (
        TutorialPage.objects.live()
        .public()
        .select_related("subdomain")
        .prefetch_related("tags")
        .order_by("-first_published_at", "-pk")
    )
    if within is not None:
        tutorials = tutorials.descendant_of(within)
    elif subdomain is not None:
        tutorials = tutorials.filter(subdomain=subdomain)
    if level:
        tutorials = tutorials.filter(level=level)
    if tag:
        tutorials = tutorials.filter(tags__slug=tag)
    return tutorials


def latest_tutorials(*, subdomain: Subdomain, limit: int = LATEST_TUTORIALS) -> list[TutorialPage]:
    return list(tutorial_list(subdomain=subdomain)[:limit])


def resource_detail(*, slug: str) -> OpenResource:
    """A resource with platform, sub-domain, versions (newest first) and tags; raises DoesNotExist."""
    versions = ResourceVersion.objects.order_by(
        F("released_on").desc(nulls_last=True), "-sort_order", "-pk"
    )
    return (
        OpenResource.objects.select_related("platform__subdomain")
        .prefetch_related(Prefetch("versions", queryset=versions), "tags")
        .get(slug=slug)
    )


def tutorials_using(*, resource: OpenResource) -> list[TutorialResource]:
    """Live tutorials that link to ``resource`` (one query, from the links stored on publish)."""
    return list(
        TutorialResource.objects.filter(resource=resource, tutorial__live=True)
        .select_related("tutorial")
        .order_by("-tutorial__first_published_at")
    )


def tutorial_resources(tutorial: TutorialPage) -> list[OpenResource]:
    """The resources the body's cards point to, with their platforms loaded (two queries).

    The StreamField loads all chosen resources in bulk; their platforms are then
    prefetched in place, so each card renders without a query of its own.
    """
    resources = [
        block.value["resource"]
        for block in tutorial.body
        if block.block_type == "resource" and block.value["resource"] is not None
    ]
    prefetch_related_objects(resources, "platform")
    return resources


def series_neighbours(
    tutorial: TutorialPage,
) -> tuple[TutorialPage | None, TutorialPage | None]:
    """The previous and next live tutorials in the tutorial's series (one query)."""
    if not tutorial.series_id:
        return None, None
    siblings = list(
        TutorialPage.objects.live()
        .filter(series_id=tutorial.series_id)
        .order_by("series_order", "first_published_at", "pk")
        .only("id", "title", "url_path", "series_order", "path", "depth")
    )
    ids = [page.pk for page in siblings]
    if tutorial.pk not in ids:
        return None, None
    index = ids.index(tutorial.pk)
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return previous, following
