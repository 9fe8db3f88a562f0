"""REST endpoints of the Q&A forum (mounted under /api/v1/ by ``api.urls``).

Reads go through :mod:`community.selectors`, writes through :mod:`community.services`,
so the API enforces the same privileges, rate limits and validation as the site.
Soft-deleted posts and comments are never served. Authors appear by username only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.etag import ETagRetrieveMixin
from api.pagination import StableCursorPagination
from api.serializers import SlugRelatedField
from api.views import ID_PATH, since_filter
from community import selectors, services
from community.models import Answer, Article, Comment, PostStatus, Question, Tag
from core.ratelimit import client_ip
from knowledge.models import OpenResource, Subdomain

# --- errors ------------------------------------------------------------------------------


def call_service(func: Callable[..., Any], **kwargs) -> Any:
    """Run a community service, translating its errors into API errors (400/403/429)."""
    try:
        return func(**kwargs)
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else error.messages
        raise exceptions.ValidationError(detail) from error
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from error
    except services.RateLimited as error:
        raise exceptions.Throttled(wait=error.retry_after, detail=error.message) from error


# --- representations ---------------------------------------------------------------------


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "question",
            "answer",
            "article",
            "author",
            "body",
            "body_html",
            "created_at",
        ]


class AnswerSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    comments = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = [
            "id",
            "question",
            "author",
            "body",
            "body_html",
            "score",
            "is_accepted",
            "comment_count",
            "created_at",
            "edited_at",
            "url",
            "comments",
        ]

    def get_comments(self, obj) -> list[dict]:
        comments = getattr(obj, "visible_comments", None)
        if comments is None:
            comments = selectors._comments(answer=obj).order_by("created_at", "id")
        return CommentSerializer(comments, many=True).data


class QuestionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    tags = serializers.SerializerMethodField()
    subdomain = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    accepted_answer = serializers.PrimaryKeyRelatedField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "title",
            "author",
            "tags",
            "subdomain",
            "status",
            "score",
            "answer_count",
            "comment_count",
            "view_count",
            "accepted_answer",
            "locked",
            "created_at",
            "last_activity_at",
            "url",
        ]

    def get_tags(self, obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


class ResourceLinkSerializer(serializers.Serializer):
    resource = serializers.CharField(source="resource.slug")
    version = serializers.CharField(source="version.version", allow_null=True, default=None)


class QuestionDetailSerializer(QuestionSerializer):
    body_html = serializers.CharField(read_only=True)
    resources = ResourceLinkSerializer(source="linked_resources", many=True, read_only=True)
    comments = CommentSerializer(source="visible_comments", many=True, read_only=True)
    answers = AnswerSerializer(source="visible_answers", many=True, read_only=True)

    class Meta(QuestionSerializer.Meta):
        fields = [
            *QuestionSerializer.Meta.fields,
            "body",
            "body_html",
            "close_reason",
            "edited_at",
            "resources",
            "comments",
            "answers",
        ]


class QuestionAskSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=150)
    body = serializers.CharField(max_length=services.BODY_MAX)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), max_length=5)
    subdomain = SlugRelatedField(
        slug_field="slug", queryset=Subdomain.objects.all(), required=False, allow_null=True
    )
    resources = serializers.ListField(
        child=SlugRelatedField(slug_field="slug", queryset=OpenResource.objects.all()),
        required=False,
        max_length=5,
        help_text="Slugs of open resources the question is about.",
    )


class BodySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=services.BODY_MAX)


class VoteSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=[1, -1, 0], help_text="+1, −1, or 0 to retract.")


class VoteResultSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    score = serializers.IntegerField()


class ArticleSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, default=None)
    tags = serializers.SerializerMethodField()
    subdomain = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "author",
            "tags",
            "subdomain",
            "score",
            "comment_count",
            "view_count",
            "created_at",
            "edited_at",
            "url",
        ]

    def get_tags(self, obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


class ArticleDetailSerializer(ArticleSerializer):
    resources = ResourceLinkSerializer(source="linked_resources", many=True, read_only=True)
    comments = CommentSerializer(source="visible_comments", many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "body_html", "resources", "comments"]


class TagSerializer(serializers.ModelSerializer):
    synonyms = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Tag
        fields = ["name", "slug", "wiki_excerpt", "question_count", "synonyms", "url"]

    def get_synonyms(self, obj) -> list[str]:
        return sorted(tag.name for tag in obj.synonyms.all())


class TagDetailSerializer(TagSerializer):
    canonical = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta(TagSerializer.Meta):
        fields = [*TagSerializer.Meta.fields, "canonical", "wiki_html"]


# --- views -------------------------------------------------------------------------------


class QuestionCursorPagination(StableCursorPagination):
    """Cursor pagination in the order ``?sort=`` names (newest, active, votes, unanswered)."""

    def get_ordering(self, request, queryset, view):
        sort = request.query_params.get("sort", selectors.DEFAULT_SORT)
        return selectors.SORTS.get(sort, selectors.SORTS[selectors.DEFAULT_SORT])


def _lookup(model, **filters):
    """Fetch a filter target or fail with 400 naming the unknown value."""
    obj = model.objects.filter(**filters).first()
    if obj is None:
        field, value = next(iter(filters.items()))
        raise exceptions.ValidationError({field.split("__")[0]: f"Unknown value {value!r}."})
    return obj


def _post_or_404(model, pk: str):
    try:
        return get_object_or_404(model.objects.filter(is_deleted=False), pk=int(pk))
    except (TypeError, ValueError) as error:
        raise Http404 from error


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("tag", str, description="Tag name"),
            OpenApiParameter("subdomain", str, description="Sub-domain slug"),
            OpenApiParameter("resource", str, description="Open resource slug"),
            OpenApiParameter("status", str, enum=[s for s, _ in PostStatus.choices]),
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Active since"),
            OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
        ]
    ),
    create=extend_schema(request=QuestionAskSerializer, responses={201: QuestionDetailSerializer}),
)
class QuestionViewSet(ETagRetrieveMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Questions: list with filters, a thread with answers and comments, and asking."""

    pagination_class = QuestionCursorPagination
    lookup_value_regex = ID_PATH

    def get_serializer_class(self):
        if self.action == "list":
            return QuestionSerializer
        if self.action == "create":
            return QuestionAskSerializer
        return QuestionDetailSerializer

    def get_queryset(self):
        params = self.request.query_params
        sort = params.get("sort", selectors.DEFAULT_SORT)
        if sort not in selectors.SORTS:
            raise exceptions.ValidationError({"sort": f"Use one of {', '.join(selectors.SORTS)}."})
        filters: dict[str, Any] = {}
        if params.get("tag"):
            filters["tag"] = _lookup(Tag, name=params["tag"])
            filters["tag"] = filters["tag"].canonical or filters["tag"]
        if params.get("subdomain"):
            filters["subdomain"] = _lookup(Subdomain, slug=params["subdomain"])
        if params.get("resource"):
            filters["resource"] = _lookup(OpenResource, slug=params["resource"])
        queryset = selectors.question_list(sort=sort, **filters)
        if params.get("status"):
            if params["status"] not in PostStatus.values:
                raise exceptions.ValidationError({"status": "Unknown status."})
            queryset = queryset.filter(status=params["status"])
        return since_filter(queryset, self.request, "last_activity_at")

    def get_object(self):
        return selectors.question_get_detail(pk=int(self.kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        data = QuestionAskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        question = call_service(
            services.question_ask,
            author=request.user,
            title=values["title"],
            body=values["body"],
            tags=values["tags"],
            subdomain=values.get("subdomain"),
            resources=[(resource, None) for resource in values.get("resources", [])],
            ip=client_ip(request),
        )
        thread = selectors.question_get_detail(pk=question.pk)
        return Response(QuestionDetailSerializer(thread).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BodySerializer, responses={201: AnswerSerializer})
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        """Answer this question."""
        question = _post_or_404(Question, pk)
        data = BodySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = call_service(
            services.answer_create,
            question=question,
            author=request.user,
            body=data.validated_data["body"],
            ip=client_ip(request),
        )
        return Response(AnswerSerializer(answer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BodySerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        """Comment on this question."""
        question = _post_or_404(Question, pk)
        return _comment(request, question=question)

    @extend_schema(request=VoteSerializer, responses={200: VoteResultSerializer})
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """Vote this question up (+1), down (−1) or retract (0)."""
        return _vote(request, _post_or_404(Question, pk))


def _comment(request, **target) -> Response:
    data = BodySerializer(data=request.data)
    data.is_valid(raise_exception=True)
    comment = call_service(
        services.comment_create,
        author=request.user,
        body=data.validated_data["body"],
        ip=client_ip(request),
        **target,
    )
    return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


def _vote(request, post) -> Response:
    data = VoteSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    value = int(data.validated_data["value"])
    call_service(
        services.vote_cast, user=request.user, post=post, value=value, ip=client_ip(request)
    )
    post.refresh_from_db(fields=["score"])
    return Response({"value": value, "score": post.score})


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("question", int, description="Only this question's")]
    )
)
class AnswerViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """Answers (newest first), with their comments; voting and accepting."""

    serializer_class = AnswerSerializer
    lookup_value_regex = ID_PATH

    def get_queryset(self):
        queryset = (
            Answer.objects.filter(is_deleted=False, question__is_deleted=False)
            .select_related("author", "question")  # the question's slug builds the answer URL
            .prefetch_related(
                Prefetch(
                    "comments",
                    queryset=selectors._comments().order_by("created_at", "id"),
                    to_attr="visible_comments",
                )
            )
        )
        question = self.request.query_params.get("question")
        if question:
            if not question.isdigit():
                raise exceptions.ValidationError({"question": "Use a question id."})
            queryset = queryset.filter(question_id=int(question))
        return queryset.order_by("-id")

    @extend_schema(request=BodySerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        """Comment on this answer."""
        return _comment(request, answer=_post_or_404(Answer, pk))

    @extend_schema(request=VoteSerializer, responses={200: VoteResultSerializer})
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """Vote this answer up (+1), down (−1) or retract (0)."""
        return _vote(request, _post_or_404(Answer, pk))

    @extend_schema(request=None, responses={200: AnswerSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The asker accepts this answer (replacing an earlier choice)."""
        answer = _post_or_404(Answer, pk)
        call_service(services.answer_accept, answer=answer, user=request.user)
        return Response(AnswerSerializer(self.get_queryset().get(pk=answer.pk)).data)


class ArticleCursorPagination(StableCursorPagination):
    """Cursor pagination in the order ``?sort=`` names (newest, votes)."""

    def get_ordering(self, request, queryset, view):
        sort = request.query_params.get("sort", "newest")
        return selectors.ARTICLE_SORTS.get(sort, selectors.ARTICLE_SORTS["newest"])


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("tag", str, description="Tag name"),
            OpenApiParameter("subdomain", str, description="Sub-domain slug"),
            OpenApiParameter("sort", str, enum=list(selectors.ARTICLE_SORTS)),
        ]
    )
)
class ArticleViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """Experience articles (read-only): list with filters, one article with its comments."""

    pagination_class = ArticleCursorPagination
    lookup_value_regex = ID_PATH

    def get_serializer_class(self):
        return ArticleSerializer if self.action == "list" else ArticleDetailSerializer

    def get_queryset(self):
        if self.action != "list":
            return selectors.article_get_detail_queryset()
        params = self.request.query_params
        sort = params.get("sort", "newest")
        if sort not in selectors.ARTICLE_SORTS:
            raise exceptions.ValidationError(
                {"sort": f"Use one of {', '.join(selectors.ARTICLE_SORTS)}."}
            )
        filters: dict[str, Any] = {}
        if params.get("tag"):
            tag = _lookup(Tag, name=params["tag"])
            filters["tag"] = tag.canonical or tag
        if params.get("subdomain"):
            filters["subdomain"] = _lookup(Subdomain, slug=params["subdomain"])
        return selectors.article_list(sort=sort, **filters)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("question", int, description="Comments on this question"),
            OpenApiParameter("answer", int, description="Comments on this answer"),
            OpenApiParameter("article", int, description="Comments on this article"),
        ]
    )
)
class CommentViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """Comments on questions, answers and articles (newest first)."""

    serializer_class = CommentSerializer
    lookup_value_regex = ID_PATH

    def get_queryset(self):
        queryset = Comment.objects.filter(is_deleted=False).select_related("author")
        queryset = (
            queryset.exclude(question__is_deleted=True)
            .exclude(answer__is_deleted=True)
            .exclude(article__is_deleted=True)
        )
        for field in ("question", "answer", "article"):
            value = self.request.query_params.get(field)
            if value:
                if not value.isdigit():
                    raise exceptions.ValidationError({field: f"Use an {field} id."})
                queryset = queryset.filter(**{f"{field}_id": int(value)})
        return queryset.order_by("-id")


class TagCursorPagination(StableCursorPagination):
    ordering = ("-question_count", "name")


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("q", str, description="Name contains")])
)
class TagViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """Tags (canonical ones in the list, most used first) with their synonyms."""

    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"
    pagination_class = TagCursorPagination

    def get_serializer_class(self):
        return TagSerializer if self.action == "list" else TagDetailSerializer

    def get_queryset(self):
        if self.action != "list":
            return Tag.objects.select_related("canonical").prefetch_related("synonyms")
        query = self.request.query_params.get("q", "")
        return selectors.tag_list(query=query).prefetch_related("synonyms")
