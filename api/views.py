"""API v1 endpoints. Reads are public; writes follow the site's permissions."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import AccessToken
from api.etag import ETagRetrieveMixin
from api.permissions import IsPlatformStaffForObject, ReadOnlyOrAuthenticated, TokenScopes
from api.serializers import (
    OpenResourceSerializer,
    PlatformSerializer,
    ResourceVersionSerializer,
    SubdomainSerializer,
)
from knowledge.models import OpenResource, Platform, ResourceVersion, Subdomain

# Object ids in API paths: at most 18 digits, so every id that matches fits a 64-bit
# integer column (a longer one is a 404, not a database overflow).
ID_PATH = r"\d{1,18}"


def since_filter(queryset, request, field: str):
    """``?since=<ISO 8601>`` → only objects changed at or after it (400 if unparsable)."""
    raw = request.query_params.get("since")
    if not raw:
        return queryset
    try:
        moment = parse_datetime(raw)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            moment = moment.astimezone(datetime.UTC)  # the database gets a plain UTC value
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise exceptions.ValidationError({"since": "Use an ISO 8601 date-time."})
    return queryset.filter(**{f"{field}__gte": moment})


class SubdomainViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """The fifteen AI sub-domains."""

    queryset = Subdomain.objects.all()
    serializer_class = SubdomainSerializer
    lookup_field = "slug"
    pagination_class = None


class PlatformViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """The national open innovation platforms and their lead organisations."""

    queryset = Platform.objects.select_related("subdomain")
    serializer_class = PlatformSerializer
    lookup_field = "slug"
    pagination_class = None


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("subdomain", str, description="Sub-domain slug"),
            OpenApiParameter("platform", str, description="Platform slug"),
            OpenApiParameter("kind", str, enum=[k for k, _ in OpenResource.Kind.choices]),
            OpenApiParameter("tag", str),
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Changed since"),
        ]
    )
)
class OpenResourceViewSet(
    ETagRetrieveMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Open resources (datasets, models, APIs, SDKs…). Platform staff manage their own."""

    serializer_class = OpenResourceSerializer
    lookup_field = "slug"
    write_scope = AccessToken.SCOPE_PLATFORM
    permission_classes = [TokenScopes, ReadOnlyOrAuthenticated, IsPlatformStaffForObject]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = OpenResource.objects.select_related("platform__subdomain").prefetch_related(
            "tags", Prefetch("versions", queryset=ResourceVersion.objects.order_by("sort_order"))
        )
        params = self.request.query_params
        if params.get("subdomain"):
            queryset = queryset.filter(platform__subdomain__slug=params["subdomain"])
        if params.get("platform"):
            queryset = queryset.filter(platform__slug=params["platform"])
        if params.get("kind"):
            queryset = queryset.filter(kind=params["kind"])
        if params.get("tag"):
            queryset = queryset.filter(tags__name=params["tag"])
        return since_filter(queryset, self.request, "updated_at").order_by("-id")


@extend_schema(request=ResourceVersionSerializer, responses=ResourceVersionSerializer)
class ResourceVersionListCreate(generics.ListCreateAPIView):
    """Versions of one resource; platform staff add new releases."""

    serializer_class = ResourceVersionSerializer
    write_scope = AccessToken.SCOPE_PLATFORM
    permission_classes = [TokenScopes, ReadOnlyOrAuthenticated]
    pagination_class = None

    def get_resource(self) -> OpenResource:
        if not hasattr(self, "_resource"):
            self._resource = get_object_or_404(
                OpenResource.objects.select_related("platform"), slug=self.kwargs["slug"]
            )
        return self._resource

    def get_queryset(self):
        return ResourceVersion.objects.filter(resource=self.get_resource()).order_by("sort_order")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "resource": self.get_resource()}

    def perform_create(self, serializer):
        resource = self.get_resource()
        if not IsPlatformStaffForObject().has_object_permission(self.request, self, resource):
            raise exceptions.PermissionDenied(IsPlatformStaffForObject.message)
        serializer.save(resource=resource)


class ResourceVersionDetail(ETagRetrieveMixin, generics.RetrieveUpdateAPIView):
    """One version of a resource."""

    serializer_class = ResourceVersionSerializer
    write_scope = AccessToken.SCOPE_PLATFORM
    permission_classes = [TokenScopes, ReadOnlyOrAuthenticated, IsPlatformStaffForObject]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        version = get_object_or_404(
            ResourceVersion.objects.select_related("resource__platform"),
            resource__slug=self.kwargs["slug"],
            version=self.kwargs["version"],
        )
        self.check_object_permissions(self.request, version)
        return version

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "slug" in self.kwargs:
            context["resource"] = OpenResource.objects.filter(slug=self.kwargs["slug"]).first()
        return context


@extend_schema(
    responses={
        200: {
            "type": "object",
            "properties": {
                "username": {"type": "string"},
                "reputation": {"type": "integer"},
                "scopes": {"type": "array", "items": {"type": "string"}},
            },
        }
    }
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request):
    """Who the request is authenticated as, and with which token scopes."""
    token = request.auth if isinstance(request.auth, AccessToken) else None
    return Response(
        {
            "username": request.user.username,
            "reputation": request.user.reputation,
            "scopes": token.scopes if token else ["session"],
        }
    )
