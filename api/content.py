"""API v1 read endpoints for tutorials, live sessions and site search (public fields only)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

import search
from api.etag import ETagRetrieveMixin
from api.views import ID_PATH, since_filter
from events.models import LiveSession
from knowledge.models import TutorialPage
from search.backends.base import SORTS as SEARCH_SORTS

# --- tutorials ---------------------------------------------------------------------------


class TutorialSerializer(serializers.ModelSerializer):
    subdomain = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    tags = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = TutorialPage
        fields = [
            "id",
            "title",
            "slug",
            "summary",
            "level",
            "estimated_minutes",
            "content_language",
            "subdomain",
            "tags",
            "first_published_at",
            "last_published_at",
            "url",
        ]

    def get_tags(self, obj) -> list[str]:
        return sorted(tag.name for tag in obj.tags.all())

    def get_url(self, obj) -> str:
        return obj.get_url(request=self.context.get("request")) or ""


class TutorialDetailSerializer(TutorialSerializer):
    prerequisites = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()

    class Meta(TutorialSerializer.Meta):
        fields = [*TutorialSerializer.Meta.fields, "prerequisites", "body_html"]

    def get_prerequisites(self, obj) -> list[str]:
        return [line.strip() for line in obj.prerequisites.splitlines() if line.strip()]

    def get_body_html(self, obj) -> str:
        return str(obj.body)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("subdomain", str, description="Sub-domain slug"),
            OpenApiParameter("tag", str),
            OpenApiParameter("level", str, enum=[v for v, _ in TutorialPage.Level.choices]),
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Published since"),
        ]
    )
)
class TutorialViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """Published, publicly visible tutorials (newest first)."""

    lookup_value_regex = ID_PATH

    def get_serializer_class(self):
        return TutorialSerializer if self.action == "list" else TutorialDetailSerializer

    def get_queryset(self):
        queryset = (
            TutorialPage.objects.live()
            .public()
            .select_related("subdomain")
            .prefetch_related("tags")
        )
        params = self.request.query_params
        if params.get("subdomain"):
            queryset = queryset.filter(subdomain__slug=params["subdomain"])
        if params.get("tag"):
            queryset = queryset.filter(tags__name=params["tag"])
        if params.get("level"):
            if params["level"] not in TutorialPage.Level.values:
                raise exceptions.ValidationError({"level": "Unknown level."})
            queryset = queryset.filter(level=params["level"])
        return since_filter(queryset, self.request, "last_published_at").order_by("-id")


# --- live sessions -----------------------------------------------------------------------


class LiveSessionSerializer(serializers.ModelSerializer):
    platform = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    subdomain = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    hosts = serializers.SerializerMethodField()
    resources = serializers.SerializerMethodField()
    description_html = serializers.CharField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = LiveSession
        fields = [
            "slug",
            "title",
            "description",
            "description_html",
            "platform",
            "subdomain",
            "hosts",
            "resources",
            "status",
            "starts_at",
            "ends_at",
            "started_at",
            "ended_at",
            "stream_url",
            "url",
        ]

    def get_hosts(self, obj) -> list[str]:
        return sorted(user.username for user in obj.hosts.all())

    def get_resources(self, obj) -> list[str]:
        return sorted(resource.slug for resource in obj.resources.all())


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("platform", str, description="Platform slug"),
            OpenApiParameter("subdomain", str, description="Sub-domain slug"),
            OpenApiParameter("status", str, enum=[v for v, _ in LiveSession.Status.choices]),
        ]
    )
)
class LiveSessionViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """Live Q&A sessions of the platforms (latest start first)."""

    serializer_class = LiveSessionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        queryset = LiveSession.objects.select_related("platform", "subdomain").prefetch_related(
            "hosts", "resources"
        )
        params = self.request.query_params
        if params.get("platform"):
            queryset = queryset.filter(platform__slug=params["platform"])
        if params.get("subdomain"):
            queryset = queryset.filter(subdomain__slug=params["subdomain"])
        if params.get("status"):
            if params["status"] not in LiveSession.Status.values:
                raise exceptions.ValidationError({"status": "Unknown status."})
            queryset = queryset.filter(status=params["status"])
        return queryset.order_by("-id")


# --- search ------------------------------------------------------------------------------


class SearchUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = "Search is unavailable right now."


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.CharField(source="object_id")
    title = serializers.CharField(source="plain_title")
    title_html = serializers.CharField(source="title", help_text="Escaped, matches in <mark>.")
    snippet_html = serializers.CharField(source="snippet")
    url = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    subdomain = serializers.CharField()
    platform = serializers.CharField()
    author = serializers.CharField()
    score = serializers.IntegerField()
    answered = serializers.BooleanField()
    accepted = serializers.BooleanField()
    created_at = serializers.DateTimeField(allow_null=True)


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    relaxed = serializers.BooleanField()
    nothing_to_look_up = serializers.BooleanField(
        help_text="The query had only very common words or punctuation: nothing was searched."
    )
    results = SearchHitSerializer(many=True)


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, required=True, description="Query (supports [tag], is:kind)"),
        OpenApiParameter("kind", str, description="question, answer, tutorial, resource…"),
        OpenApiParameter("sort", str, enum=list(SEARCH_SORTS)),
        OpenApiParameter("page", int),
    ],
    responses={200: SearchResultsSerializer},
)
@api_view(["GET"])
@permission_classes([AllowAny])
def search_view(request):
    """Search every public content kind, as the site's search page does."""
    from search.registry import kinds

    params = request.query_params
    text = params.get("q", "").strip()
    if not text:
        raise exceptions.ValidationError({"q": "Give a search query."})
    kind = params.get("kind", "")
    if kind and kind not in kinds():
        raise exceptions.ValidationError({"kind": f"Use one of {', '.join(kinds())}."})
    sort = params.get("sort", "relevance")
    if sort not in SEARCH_SORTS:
        raise exceptions.ValidationError({"sort": "Unknown sort."})
    try:
        page = int(params.get("page", 1))
    except ValueError as error:
        raise exceptions.ValidationError({"page": "Use a page number."}) from error
    if page < 1:
        raise exceptions.ValidationError({"page": "Use a page number."})
    results = search.query(text[:500], {"kind": kind} if kind else None, sort, page)
    if results.error:
        raise SearchUnavailable(results.error)
    return Response(
        {
            "query": text,
            "total": results.total,
            "page": results.page,
            "num_pages": results.num_pages,
            "relaxed": results.relaxed,
            "nothing_to_look_up": results.nothing_to_look_up,
            "results": SearchHitSerializer(results.hits, many=True).data,
        }
    )
