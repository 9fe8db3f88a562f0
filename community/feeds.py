"""Atom and RSS feeds of the newest questions: overall, per tag, per sub-domain, per resource.

Each list page has a feed beside it (``…/feed/`` is Atom, ``…/feed/rss/`` RSS 2.0)
and announces both with ``<link rel="alternate">``. Feeds follow the URL's
language prefix (``/en/questions/feed/``). Item text is the question's Markdown
as plain text (``core.markdown.markdown_to_text``), HTML-escaped, so no member
markup reaches a reader; entries carry the author, tags as categories, and
publish/edit times.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from community import selectors
from community.models import Question, Tag
from core.markdown import markdown_to_text
from knowledge.models import OpenResource, Subdomain

FEED_SIZE = 30
EXCERPT_CHARS = 400


def _absolute(path: str) -> str:
    """Feeds need absolute links; ``SITE_URL`` is the site's public address."""
    return f"{settings.SITE_URL}{path}"


class NewestQuestionsFeed(Feed):
    """The newest questions on Huiju (Atom)."""

    feed_type = Atom1Feed
    list_url_name = "community:question_list"
    feed_url_name = "community:question_feed"

    # --- the feed -----------------------------------------------------------------------

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj) -> str:
        return _("Newest questions · Huiju")

    def subtitle(self, obj) -> str:
        return _("The newest questions asked on Huiju.")

    description = subtitle  # RSS's name for the subtitle

    def url_kwargs(self, obj) -> dict:
        return {}

    def link(self, obj) -> str:
        return _absolute(reverse(self.list_url_name, kwargs=self.url_kwargs(obj)))

    def feed_url(self, obj) -> str:
        name = self.feed_url_name + ("_rss" if self.feed_type is Rss201rev2Feed else "")
        return _absolute(reverse(name, kwargs=self.url_kwargs(obj)))

    def questions(self, obj):
        return selectors.question_list(sort="newest")

    def items(self, obj):
        return list(self.questions(obj)[:FEED_SIZE])

    # --- each entry ---------------------------------------------------------------------

    def item_title(self, item: Question) -> str:
        return item.title

    def item_description(self, item: Question) -> str:
        # Readers treat Atom summaries and RSS descriptions as HTML: escape the plain text.
        return escape(Truncator(markdown_to_text(item.body)).chars(EXCERPT_CHARS))

    def item_link(self, item: Question) -> str:
        return _absolute(item.get_absolute_url())

    def item_guid(self, item: Question) -> str:
        return f"{settings.SITE_URL}/questions/{item.pk}/"  # stable across languages

    item_guid_is_permalink = False

    def item_author_name(self, item: Question) -> str:
        return item.author.display_name if item.author else _("deleted member")

    def item_author_link(self, item: Question) -> str | None:
        return _absolute(item.author.get_absolute_url()) if item.author else None

    def item_pubdate(self, item: Question):
        return item.created_at

    def item_updateddate(self, item: Question):
        return item.edited_at or item.created_at

    def item_categories(self, item: Question) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class SubdomainQuestionsFeed(NewestQuestionsFeed):
    list_url_name = "community:question_list_subdomain"
    feed_url_name = "community:subdomain_feed"

    def get_object(self, request, slug: str):
        return get_object_or_404(Subdomain, slug=slug)

    def title(self, obj) -> str:
        return _("Newest questions in %(subdomain)s · Huiju") % {"subdomain": obj.name}

    def subtitle(self, obj) -> str:
        return _("The newest questions in %(subdomain)s.") % {"subdomain": obj.name}

    description = subtitle

    def url_kwargs(self, obj) -> dict:
        return {"slug": obj.slug}

    def questions(self, obj):
        return selectors.question_list(sort="newest", subdomain=obj)


class ResourceQuestionsFeed(NewestQuestionsFeed):
    list_url_name = "community:question_list_resource"
    feed_url_name = "community:resource_feed"

    def get_object(self, request, slug: str):
        return get_object_or_404(OpenResource, slug=slug)

    def title(self, obj) -> str:
        return _("Newest questions about %(resource)s · Huiju") % {"resource": obj.name}

    def subtitle(self, obj) -> str:
        return _("The newest questions about %(resource)s.") % {"resource": obj.name}

    description = subtitle

    def url_kwargs(self, obj) -> dict:
        return {"slug": obj.slug}

    def questions(self, obj):
        return selectors.question_list(sort="newest", resource=obj)


class TagQuestionsFeed(NewestQuestionsFeed):
    list_url_name = "community:tag_detail"
    feed_url_name = "community:tag_feed"

    def get_object(self, request, slug: str):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj) -> str:
        return _("Newest questions tagged [%(tag)s] · Huiju") % {"tag": obj.name}

    def subtitle(self, obj) -> str:
        return _("The newest questions tagged [%(tag)s].") % {"tag": obj.name}

    description = subtitle

    def url_kwargs(self, obj) -> dict:
        return {"slug": obj.slug}

    def questions(self, obj):
        return selectors.question_list_for_tag(tag=obj, sort="newest")


class NewestArticlesFeed(NewestQuestionsFeed):
    """The newest experience articles (Atom), with the same plain-text summaries."""

    list_url_name = "community:article_list"
    feed_url_name = "community:article_feed"

    def title(self, obj) -> str:
        return _("Newest articles · Huiju")

    def subtitle(self, obj) -> str:
        return _("The newest experience articles on Huiju.")

    description = subtitle

    def feed_url(self, obj) -> str:
        return _absolute(reverse(self.feed_url_name))

    def questions(self, obj):
        return selectors.article_list(sort="newest").defer(None)

    def item_guid(self, item) -> str:
        return f"{settings.SITE_URL}/articles/{item.pk}/"


def _rss(feed_class: type[NewestQuestionsFeed]) -> type[NewestQuestionsFeed]:
    return type(f"{feed_class.__name__}Rss", (feed_class,), {"feed_type": Rss201rev2Feed})


def tag_feed(request, slug: str, rss: bool = False):
    """A synonym's feed redirects to its canonical tag's feed."""
    tag = get_object_or_404(Tag.objects.select_related("canonical"), slug=slug)
    if tag.canonical_id:
        name = "community:tag_feed_rss" if rss else "community:tag_feed"
        return redirect(name, slug=tag.canonical.slug, permanent=True)
    return (_rss(TagQuestionsFeed) if rss else TagQuestionsFeed)()(request, slug=slug)


urlpatterns = [
    path("articles/feed/", NewestArticlesFeed(), name="article_feed"),
    path("questions/feed/", NewestQuestionsFeed(), name="question_feed"),
    path("questions/feed/rss/", _rss(NewestQuestionsFeed)(), name="question_feed_rss"),
    path("questions/in/<slug:slug>/feed/", SubdomainQuestionsFeed(), name="subdomain_feed"),
    path(
        "questions/in/<slug:slug>/feed/rss/",
        _rss(SubdomainQuestionsFeed)(),
        name="subdomain_feed_rss",
    ),
    path("questions/about/<slug:slug>/feed/", ResourceQuestionsFeed(), name="resource_feed"),
    path(
        "questions/about/<slug:slug>/feed/rss/",
        _rss(ResourceQuestionsFeed)(),
        name="resource_feed_rss",
    ),
    path("tags/<str:slug>/feed/", tag_feed, name="tag_feed"),
    path("tags/<str:slug>/feed/rss/", tag_feed, {"rss": True}, name="tag_feed_rss"),
]
