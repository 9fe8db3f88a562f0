"""REST endpoints of the collaboration board (mounted under /api/v1/ by ``api.urls``).

The post representation carries only public fields. Contact details are served
by a separate endpoint, answered through :mod:`collaboration.privacy`, and only
to the two parties of an accepted interest.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.etag import ETagRetrieveMixin
from api.views import ID_PATH
from collaboration import privacy, selectors
from collaboration.models import CollaborationPost, Interest


class CollaborationPostSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    subdomain = serializers.CharField(source="subdomain.slug", read_only=True)
    organisation = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )
    skills = serializers.SerializerMethodField()
    resources = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = CollaborationPost
        fields = [
            *privacy.PUBLIC_POST_FIELDS,
            "author",
            "subdomain",
            "organisation",
            "skills",
            "resources",
            "url",
            "is_open",
        ]

    def get_skills(self, obj) -> list[str]:
        return [skill.name for skill in obj.skills.all()]

    def get_resources(self, obj) -> list[str]:
        return [resource.slug for resource in obj.resources.all()]


class ContactSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()


class InterestContactsSerializer(serializers.Serializer):
    member = serializers.CharField()
    contacts = ContactSerializer(many=True)


class PostContactsSerializer(serializers.Serializer):
    author = ContactSerializer(many=True, allow_null=True)
    interests = InterestContactsSerializer(many=True)


def _contacts(details) -> list[dict[str, str]]:
    return [
        {"kind": name.removeprefix("contact_"), "label": label, "value": value}
        for name, label, value in details
    ]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("subdomain", str, description="Sub-domain slug"),
            OpenApiParameter("skill", str),
            OpenApiParameter("kind", str, enum=CollaborationPost.Kind.values),
            OpenApiParameter("stage", str, enum=CollaborationPost.Stage.values),
            OpenApiParameter("remote", bool),
            OpenApiParameter("closed", bool, description="Include closed and expired posts"),
        ]
    )
)
class CollaborationPostViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """Collaboration posts: partners sought, skills offered, pilots wanted."""

    serializer_class = CollaborationPostSerializer
    lookup_value_regex = ID_PATH

    def get_queryset(self):
        params = self.request.query_params
        truthy = {"1", "true", "yes"}
        filters = selectors.PostFilters(
            subdomain=params.get("subdomain", "")[:60],
            skill=params.get("skill", "")[:40],
            kind=params.get("kind", "")
            if params.get("kind") in CollaborationPost.Kind.values
            else "",
            stage=params.get("stage", "")
            if params.get("stage") in CollaborationPost.Stage.values
            else "",
            remote=params.get("remote", "").lower() in truthy,
            include_closed=self.action != "list" or params.get("closed", "").lower() in truthy,
        )
        return selectors.post_list(filters=filters).prefetch_related("resources").order_by("-id")

    @extend_schema(responses=PostContactsSerializer)
    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated])
    def contacts(self, request, pk=None):
        """Contact details you may see for this post: the author's after they accepted your
        interest; as the author, your own and those of members you accepted. 404 otherwise."""
        try:
            post = CollaborationPost.objects.visible().get(pk=int(pk))
        except (CollaborationPost.DoesNotExist, ValueError, TypeError, OverflowError):
            raise Http404 from None
        user = request.user
        mine = selectors.interest_of(post=post, member=user)
        author = privacy.author_contacts_for(post=post, viewer=user, interest=mine)
        interests = []
        if user.pk == post.author_id:
            accepted = Interest.objects.filter(
                post=post, status=Interest.Status.ACCEPTED
            ).select_related("member")
            for interest in accepted:
                interest.post = post
                details = privacy.member_contacts_for(interest=interest, viewer=user)
                if details:
                    interests.append(
                        {"member": interest.member.username, "contacts": _contacts(details)}
                    )
        if author is None:
            raise Http404
        response = Response({"author": _contacts(author), "interests": interests})
        response["Cache-Control"] = "private, no-store"
        return response
