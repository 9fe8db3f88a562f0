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


@register_slot("profile_page", order=30)
def profile_expertise(request, *, member, **kwargs):
    """Proven expertise from the Q&A forum: accepted answers and up-votes per tag,
    sub-domain and resource."""
    from collaboration import expertise
    from knowledge.models import OpenResource, Subdomain

    grouped = expertise.member_expertise(user=member)
    if not grouped:
        return None
    names = {
        "subdomain": {
            s.slug: s.name
            for s in Subdomain.objects.filter(slug__in=[r.key for r in grouped["subdomain"]])
        },
        "resource": {
            r.slug: r.name
            for r in OpenResource.objects.filter(slug__in=[r.key for r in grouped["resource"]])
        },
    }
    lines = [
        expertise.describe(row, names.get(dimension, {}).get(row.key, row.key))
        for dimension in ("tag", "subdomain", "resource")
        for row in grouped.get(dimension, [])
    ]
    return "collaboration/slots/expertise.html", {"expertise_lines": lines, "member": member}
