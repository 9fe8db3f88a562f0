"""Public views of the knowledge app: sub-domain landings, resources, tutorials, feeds."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from knowledge import selectors
from knowledge.models import (
    OpenResource,
    Subdomain,
    SubdomainPage,
    TutorialIndexPage,
    TutorialPage,
)

TUTORIALS_PER_PAGE = 20


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def render_subdomain_landing(
    request: HttpRequest, subdomain: Subdomain, *, page: SubdomainPage | None = None
) -> HttpResponse:
    """The landing of a sub-domain, served at /d/<slug>/ and by its SubdomainPage."""
    if page is None:
        page = SubdomainPage.objects.live().filter(subdomain=subdomain).first()
    tutorial_index = (
        TutorialIndexPage.objects.live().child_of(page).first() if page is not None else None
    )
    context = {
        "subdomain": subdomain,
        "page": page,
        "tutorial_index": tutorial_index,
        "resource_groups": selectors.resources_by_kind(subdomain=subdomain),
        "tutorials": selectors.latest_tutorials(subdomain=subdomain),
        "feed_url": reverse("knowledge:subdomain_feed", kwargs={"slug": subdomain.slug}),
    }
    return render(request, "knowledge/subdomain_detail.html", context)


def subdomain_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        subdomain = selectors.subdomain_landing(slug=slug)
    except Subdomain.DoesNotExist as error:
        raise Http404 from error
    return render_subdomain_landing(request, subdomain)


def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A resource's card, versions, licence, links, tutorials and questions (``?version=``)."""
    try:
        resource = selectors.resource_detail(slug=slug)
    except OpenResource.DoesNotExist as error:
        raise Http404 from error
    versions = list(resource.versions.all())
    requested = request.GET.get("version", "")
    version = next((v for v in versions if v.version == requested), None)
    ask_url = _reverse_or_none("community:ask")
    if ask_url:
        query = {"resource": resource.slug}
        chosen = version or (versions[0] if versions else None)
        if chosen is not None:
            query["version"] = chosen.version
        ask_url = f"{ask_url}?{urlencode(query)}"
    context = {
        "resource": resource,
        "versions": versions,
        "version": version,
        "tags": list(resource.tags.all()),
        "tutorial_links": selectors.tutorials_using(resource=resource),
        "ask_url": ask_url,
    }
    return render(request, "knowledge/resource_detail.html", context)


def tutorial_listing_context(request: HttpRequest, tutorials, *, subdomain=None) -> dict:
    """Filter (level, tag) and paginate a tutorial queryset for a listing template."""
    level = request.GET.get("level", "")
    if level not in TutorialPage.Level.values:
        level = ""
    tag = request.GET.get("tag", "")[:100]
    if level:
        tutorials = tutorials.filter(level=level)
    if tag:
        tutorials = tutorials.filter(tags__slug=tag)
    paginator = Paginator(tutorials, TUTORIALS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    filters = {key: value for key, value in {"level": level, "tag": tag}.items() if value}
    return {
        "tutorials": list(page_obj.object_list),
        "page_obj": page_obj,
        "levels": TutorialPage.Level.choices,
        "level": level,
        "tag": tag,
        "filter_query": urlencode(filters),
        "listing_subdomain": subdomain,
    }


def tutorial_list(request: HttpRequest) -> HttpResponse:
    """Every live tutorial in every sub-domain, newest first, filterable."""
    subdomains = list(Subdomain.objects.all())
    chosen = request.GET.get("subdomain", "")
    subdomain = next((s for s in subdomains if s.slug == chosen), None)
    context = tutorial_listing_context(
        request, selectors.tutorial_list(subdomain=subdomain), subdomain=subdomain
    )
    context["subdomains"] = subdomains
    context["title"] = _("Tutorials")
    if subdomain is not None:
        context["filter_query"] = "&".join(
            part
            for part in (urlencode({"subdomain": subdomain.slug}), context["filter_query"])
            if part
        )
    return render(request, "knowledge/tutorial_list.html", context)


RESOURCES_PER_PAGE = 30


def resource_list(request: HttpRequest) -> HttpResponse:
    """The open-resource catalogue of every platform, filterable by sub-domain, kind, access, tag."""
    subdomains = list(Subdomain.objects.all())
    subdomain = next((s for s in subdomains if s.slug == request.GET.get("subdomain")), None)
    kind = request.GET.get("kind", "")
    kind = kind if kind in OpenResource.Kind.values else ""
    access = request.GET.get("access", "")
    access = access if access in OpenResource.Access.values else ""
    tag = request.GET.get("tag", "")[:100]
    resources = selectors.resource_catalogue(subdomain=subdomain, kind=kind, access=access, tag=tag)
    page_obj = Paginator(resources, RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    filters = {
        "subdomain": subdomain.slug if subdomain else "",
        "kind": kind,
        "access": access,
        "tag": tag,
    }
    context = {
        "resources": list(page_obj.object_list),
        "page_obj": page_obj,
        "subdomains": subdomains,
        "kinds": OpenResource.Kind.choices,
        "accesses": OpenResource.Access.choices,
        "filters": filters,
        "filtered": any(filters.values()),
        "filter_query": urlencode({k: v for k, v in filters.items() if v}),
    }
    return render(request, "knowledge/resource_list.html", context)
