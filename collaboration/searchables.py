"""Collaboration posts in site search (see search.registry).

The document carries public fields only: title, description text, skills,
sub-domain, resources and author. Contact details are never indexed, and
hidden posts are removed from the index.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from collaboration.models import CollaborationPost
from core.markdown import markdown_to_text
from search.registry import SearchDocument, SearchKind, register


@register
class CollaborationPostKind(SearchKind):
    kind = "collaboration"
    label = _("Collaboration post")
    model = CollaborationPost
    order = 20

    def get_queryset(self):
        return (
            CollaborationPost.objects.defer(*CollaborationPost.CONTACT_FIELDS)
            .select_related("author", "subdomain")
            .prefetch_related("skills", "resources__platform")
        )

    def to_document(self, post: CollaborationPost) -> SearchDocument | None:
        if post.hidden_at is not None:
            return None
        resources = list(post.resources.all())
        return SearchDocument(
            kind=self.kind,
            object_id=str(post.pk),
            url=post.get_absolute_url(),
            title=post.title,
            body=markdown_to_text(post.description),
            tags=[skill.name for skill in post.skills.all()],
            subdomain=post.subdomain.slug,
            platform=resources[0].platform.slug if resources else "",
            resources=[resource.slug for resource in resources],
            author=post.author.username,
            created_at=post.created_at,
            updated_at=post.updated_at,
        )
