"""RSS feed of open collaboration posts. Only public fields: never contact details."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from collaboration.selectors import PostFilters, post_list
from core.markdown import markdown_to_text


class LatestPostsFeed(Feed):
    title = _("Huiju collaboration board")
    description = _("New collaboration posts: partners sought, skills offered, pilots wanted.")

    def link(self):
        return reverse("collaboration:post_list")

    def items(self):
        return post_list(filters=PostFilters())[:30]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return markdown_to_text(item.description)[:600]

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item) -> str:
        return item.author.display_name

    def item_categories(self, item):
        return [item.subdomain.name, *(skill.name for skill in item.skills.all())]
