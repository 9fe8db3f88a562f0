"""Reads for the webhook settings pages."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from knowledge.models import Platform
from webhooks.models import WebhookDelivery, WebhookEndpoint


def platform_get(*, slug: str) -> Platform:
    return get_object_or_404(Platform.objects.select_related("subdomain"), slug=slug)


def endpoints_for_platform(*, platform: Platform) -> QuerySet[WebhookEndpoint]:
    """The platform's endpoints with the status and time of each one's latest delivery."""
    latest = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        WebhookEndpoint.objects.filter(platform=platform)
        .annotate(
            last_status=Subquery(latest.values("status")[:1]),
            last_delivery_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("-created_at", "-id")
    )


def endpoint_get(*, platform: Platform, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(
        WebhookEndpoint.objects.select_related("platform"), platform=platform, pk=endpoint_id
    )


def deliveries_for_endpoint(
    *, endpoint: WebhookEndpoint, status: str = "", event: str = ""
) -> QuerySet[WebhookDelivery]:
    """The delivery log, newest first; the heavy JSON columns are left for the detail page."""
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).defer(
        "payload", "request_headers", "response_headers", "response_excerpt"
    )
    if status:
        deliveries = deliveries.filter(status=status)
    if event:
        deliveries = deliveries.filter(event=event)
    return deliveries.order_by("-created_at", "-id")


def delivery_get(*, endpoint: WebhookEndpoint, delivery_uuid) -> WebhookDelivery:
    delivery = get_object_or_404(
        WebhookDelivery.objects.select_related("redelivery_of"),
        endpoint=endpoint,
        uuid=delivery_uuid,
    )
    delivery.endpoint = endpoint
    return delivery
