"""Atom feed of a sub-domain's tutorials, and the sitemap of pages, sub-domains and resources."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap as WagtailSitemap

from knowledge import selectors
from knowledge.models import OpenResource, Subdomain, TutorialPage

FEED_ITEMS = 30


class SubdomainTutorialsFeed(Feed):
    """The newest tutorials of one sub-domain (Atom 1.0)."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, slug: str) -> Subdomain:
        return get_object_or_404(Subdomain, slug=slug)

    def title(self, subdomain: Subdomain) -> str:
        return _("%(name)s tutorials · Huiju") % {"name": subdomain.name}

    def subtitle(self, subdomain: Subdomain) -> str:
        return subdomain.description

    # Absolute URLs from the request: Django would otherwise prefix django.contrib.sites'
    # domain (example.com unless someone edited it).
    def link(self, subdomain: Subdomain) -> str:
        return self.request.build_absolute_uri(subdomain.get_absolute_url())

    def feed_url(self, subdomain: Subdomain) -> str:
        return self.request.build_absolute_uri()

    def items(self, subdomain: Subdomain):
        return selectors.tutorial_list(subdomain=subdomain)[:FEED_ITEMS]

    def item_title(self, item: TutorialPage) -> str:
        return item.title

    def item_description(self, item: TutorialPage) -> str:
        return item.summary

    def item_link(self, item: TutorialPage) -> str:
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_pubdate(self, item: TutorialPage):
        return item.first_published_at

    def item_updateddate(self, item: TutorialPage):
        return item.last_published_at

    def item_categories(self, item: TutorialPage) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class RequestHostSitemap(Sitemap):
    """A Django sitemap whose absolute URLs use the requested host (not django.contrib.sites)."""

    i18n = True
    alternates = True
    x_default = True

    def __init__(self, request=None):
        self.request = request

    def get_domain(self, site=None) -> str:
        return self.request.get_host() if self.request else super().get_domain(site)

    def get_protocol(self, protocol=None) -> str:
        return self.request.scheme if self.request else super().get_protocol(protocol)


class SubdomainSitemap(RequestHostSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Subdomain.objects.order_by("sort_order", "slug")


class ResourceSitemap(RequestHostSitemap):
    changefreq = "weekly"

    def items(self):
        return OpenResource.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, item: OpenResource):
        return item.updated_at


SITEMAPS = {"pages": WagtailSitemap, "subdomains": SubdomainSitemap, "resources": ResourceSitemap}


def sitemap(request):
    """/sitemap.xml: live public pages, sub-domain landings and resources (with language alternates)."""
    from django.contrib.sitemaps.views import sitemap as django_sitemap

    return django_sitemap(request, {name: cls(request) for name, cls in SITEMAPS.items()})
