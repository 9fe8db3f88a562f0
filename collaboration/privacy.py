"""The one place that decides who may read contact details.

The author's contact details are released to a member only after the author
accepted that member's interest; the member's details (given when expressing
interest) are released to the author on the same condition. Nothing else in the
app reads the ``contact_*`` fields: pages, the API, search documents and feeds
all go through these functions or leave contacts out entirely.
"""

from __future__ import annotations

from collaboration.models import CollaborationPost, Interest


def author_contacts_for(
    *, post: CollaborationPost, viewer, interest: Interest | None
) -> list[tuple[str, str, str]] | None:
    """The author's contact details if ``viewer`` may see them, else None.

    ``interest`` is the viewer's own interest in the post (or None).
    """
    if not getattr(viewer, "is_authenticated", False):
        return None
    if viewer.pk == post.author_id:
        return post.contact_details()
    if (
        interest is not None
        and interest.member_id == viewer.pk
        and interest.post_id == post.pk
        and interest.status == Interest.Status.ACCEPTED
    ):
        return post.contact_details()
    return None


def member_contacts_for(*, interest: Interest, viewer) -> list[tuple[str, str, str]] | None:
    """The responding member's contact details if ``viewer`` may see them, else None."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    if viewer.pk == interest.member_id:
        return interest.contact_details()
    if viewer.pk == interest.post.author_id and interest.status == Interest.Status.ACCEPTED:
        return interest.contact_details()
    return None


PUBLIC_POST_FIELDS = (
    "id",
    "kind",
    "title",
    "description",
    "stage",
    "engagement",
    "location",
    "remote",
    "expires_on",
    "status",
    "created_at",
    "updated_at",
)
