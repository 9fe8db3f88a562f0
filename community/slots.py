"""What the Q&A adds to other apps' pages (see core.slots)."""

from __future__ import annotations

from core.slots import register_slot

SLOT_SIZE = 5


def _newest_and_unanswered(**filters) -> dict:
    from community.selectors import question_list

    return {
        "newest": list(question_list(sort="newest", **filters)[:SLOT_SIZE]),
        "unanswered": list(question_list(sort="unanswered", **filters)[:SLOT_SIZE]),
    }


@register_slot("subdomain_page", order=20)
def subdomain_questions(request, *, subdomain, **kwargs):
    """Newest and unanswered questions in the sub-domain, with a link to ask one there."""
    return "community/slots/questions.html", {
        **_newest_and_unanswered(subdomain=subdomain),
        "slot_subdomain": subdomain,
    }


@register_slot("subdomain_page", order=25)
def subdomain_articles(request, *, subdomain, **kwargs):
    """The sub-domain's newest experience articles, with a link to write one there."""
    from community.selectors import article_list

    return "community/slots/articles.html", {
        "articles": list(article_list(subdomain=subdomain)[:SLOT_SIZE]),
        "slot_subdomain": subdomain,
    }


@register_slot("resource_page", order=20)
def resource_questions(request, *, resource, version=None, **kwargs):
    """Questions about an open resource (or the version being viewed) and an "Ask about
    this resource" link pre-filled with both."""
    return "community/slots/questions.html", {
        **_newest_and_unanswered(resource=resource, version=version),
        "slot_resource": resource,
        "slot_version": version,
    }


@register_slot("profile_page", order=20)
def member_activity(request, *, member, **kwargs):
    """A member's reputation history and their recent questions and answers."""
    from community.permissions import can_moderate
    from community.selectors import member_activity, reputation_history

    return "community/slots/profile.html", {
        "member": member,
        "can_moderate_member": can_moderate(request.user) and member.pk != request.user.pk,
        "activity": member_activity(user=member),
        "reputation_events": list(reputation_history(user=member)),
    }


@register_slot("profile_page", order=15)
def member_tags_and_badges(request, *, member, **kwargs):
    """The tags a member answers best in and the badges they earned (two queries)."""
    from community.selectors import member_badges, member_top_tags

    return "community/slots/profile_badges.html", {
        "top_tags": member_top_tags(user=member),
        "badges": member_badges(user=member),
    }
