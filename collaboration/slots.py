"""What the collaboration board adds to other apps' pages (see core.slots)."""

from __future__ import annotations

from core.slots import register_slot

SLOT_LIMIT = 5


def _posts():
    from collaboration.selectors import PostFilters, post_list

    return post_list(filters=PostFilters())


@register_slot("subdomain_page", order=40)
def subdomain_posts(request, *, subdomain, **kwargs):
    posts = list(_posts().filter(subdomain=subdomain)[:SLOT_LIMIT])
    return "collaboration/slots/posts.html", {
        "slot_posts": posts,
        "slot_kind": "subdomain",
        "slot_subdomain": subdomain,
    }


@register_slot("resource_page", order=40)
def resource_posts(request, *, resource, **kwargs):
    posts = list(_posts().filter(resources=resource)[:SLOT_LIMIT])
    if not posts:
        return None
    return "collaboration/slots/posts.html", {"slot_posts": posts, "slot_kind": "resource"}


@register_slot("profile_page", order=40)
def profile_posts(request, *, member, **kwargs):
    posts = list(_posts().filter(author=member)[:SLOT_LIMIT])
    if not posts:
        return None
    return "collaboration/slots/posts.html", {"slot_posts": posts, "slot_kind": "profile"}
