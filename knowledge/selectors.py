"""Reads for the knowledge pages, each with a bounded number of queries."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, QuerySet, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
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
RESOURCES_PER_KIND = 6


def subdomain_landing(*, slug: str) -> Subdomain:
    """A sub-domain with its platforms and their (verified) staff; raises DoesNotExist."""
    staff = User.objects.select_related("profile").order_by("username")
    platforms = Platform.objects.prefetch_related(Prefetch("staff", queryset=staff))
    return Subdomain.objects.prefetch_related(Prefetch("platforms", queryset=platforms)).get(
        slug=slug
    )


def resources_by_kind(*, subdomain: Subdomain, per_kind: int = RESOURCES_PER_KIND) -> list[dict]:
    """The sub-domain's catalogue grouped by kind: ``[{kind, label, resources, total}, …]``.

    At most ``per_kind`` resources of each kind are loaded (one window-function query),
    so a large catalogue does not make the landing page slow; ``total`` says how many exist.
    """
    labels = dict(OpenResource.Kind.choices)
    ranked = (
        OpenResource.objects.filter(platform__subdomain=subdomain)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("kind")], order_by=[F("name").asc()]),
            kind_total=Window(Count("pk"), partition_by=[F("kind")]),
        )
        .select_related("platform")
        .order_by("kind", "name")
    )
    groups: dict[str, dict] = {}
    for resource in ranked.filter(rank__lte=per_kind):
        group = groups.setdefault(
            resource.kind,
            {
                "kind": resource.kind,
                "label": labels.get(resource.kind, resource.kind),
                "resources": [],
                "total": resource.kind_total,
            },
        )
        group["resources"].append(resource)
    order = list(labels)
    return sorted(
        groups.values(), key=lambda g: order.index(g["kind"]) if g["kind"] in order else 99
    )


def resource_catalogue(
    *, subdomain: Subdomain | None = None, kind: str = "", access: str = "", tag: str = ""
) -> QuerySet[OpenResource]:
    """Every open resource, filterable, with platform and sub-domain joined and tags prefetched."""
    resources = OpenResource.objects.select_related("platform__subdomain").prefetch_related("tags")
    if subdomain is not None:
        resources = resources.filter(platform__subdomain=subdomain)
    if kind:
        resources = resources.filter(kind=kind)
    if access:
        resources = resources.filter(access=access)
    if tag:
        resources = resources.filter(tags__slug=tag)
    return resources.order_by("name", "pk")


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
